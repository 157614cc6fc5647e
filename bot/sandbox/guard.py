"""What keeps the sandbox from touching the school's real bot: its database and its messengers.

The real bot's settings are read as `python -m bot` reads them (the environment, then `./.env`); the sandbox's
own settings (`world.sandbox_settings`) must then name none of them: another database file (nor one of its
SQLite side files), only the embedded servers on 127.0.0.1, and made-up tokens. The checks import no messenger
library, so a refusal is one line within a second.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from bot.settings import MaxSettings, Settings, StorageSettings, TelegramSettings

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
#: The files SQLite keeps beside a database: opening one of them as a database would corrupt the real one.
SIDE_FILES = ("", "-wal", "-shm", "-journal")


class SandboxRefused(Exception):
    """The sandbox would touch something real; the message says what and how to avoid it."""


def real_config(env_file: str | Path | None = ".env") -> tuple[Path, set[str]]:
    """The real bot's DATABASE_PATH and tokens, as `python -m bot` would read them (environment, then `.env`).

    A malformed real setting is the real bot's business: it does not stop the sandbox, and a token that does not
    pass the real bot's checks is still refused as it is written."""
    env = env_file if env_file is not None and Path(env_file).is_file() else None
    try:
        database = StorageSettings(_env_file=env).database_path  # type: ignore[call-arg]
    except ValidationError:
        database = StorageSettings.model_fields["database_path"].default
    tokens: set[str] = set()
    for section in (TelegramSettings, MaxSettings):
        try:
            token = section(_env_file=env).bot_token  # type: ignore[call-arg]
        except ValidationError:
            token = None
            tokens |= _raw_tokens(section, env)
        if token is not None:
            tokens.add(token.get_secret_value())
    return database, tokens


def _raw_tokens(section: type[TelegramSettings] | type[MaxSettings], env_file: str | Path | None) -> set[str]:
    """The token as written in the environment or `.env`, when its section does not validate."""
    name = str(section.model_fields["bot_token"].validation_alias)
    found = {os.environ.get(name, "").strip()}
    if env_file is not None:
        for line in Path(env_file).read_text(encoding="utf-8", errors="replace").splitlines():
            key, equals, value = line.partition("=")
            if equals and key.strip().removeprefix("export ").strip() == name:
                found.add(value.strip().strip("\"'"))
    return {token for token in found if token}


def same_file(a: Path, b: Path) -> bool:
    """True when two paths name one file, whether or not it exists yet (symlinks and `..` resolved)."""
    a_resolved, b_resolved = Path(os.path.abspath(a)).resolve(), Path(os.path.abspath(b)).resolve()
    if a_resolved == b_resolved:
        return True
    try:
        return a_resolved.exists() and b_resolved.exists() and os.path.samefile(a_resolved, b_resolved)
    except OSError:
        return False


def touches(database: Path, real_database: Path) -> bool:
    """True when the sandbox's database, or a side file SQLite keeps beside it, is the real database or one of
    its side files (`--db data/nastavnik.sqlite3-wal` would write into the real bot's journal)."""
    mine = [Path(f"{database}{suffix}") for suffix in SIDE_FILES]
    real = [Path(f"{real_database}{suffix}") for suffix in SIDE_FILES]
    return any(same_file(a, b) for a in mine for b in real)


def check_database(database: Path, real_database: Path) -> None:
    if touches(database, real_database):
        raise SandboxRefused(
            f"the sandbox will not open the real bot's database ({real_database}): give it another file with "
            "--db PATH, or none for a temporary one"
        )
    if database.is_dir():
        raise SandboxRefused(f"--db {database} is a folder: give the path of a file (it is made if missing)")


def check(settings: Settings, *, real_database: Path, real_tokens: set[str]) -> None:
    """Refuse settings that would reach beyond this machine or into the real bot's data."""
    check_database(settings.storage.database_path, real_database)
    apis = {  # a messenger without a token is off (`--no-max`): its address is never called
        "Telegram": (settings.telegram.bot_token, settings.telegram.bot_api_base_url),
        "MAX": (settings.max.bot_token, settings.max.api_base_url),
    }
    for name, (token, url) in apis.items():
        if token is not None and (urlsplit(url).hostname or "") not in LOOPBACK:
            raise SandboxRefused(f"the sandbox talks only to its own {name} server on 127.0.0.1, not to {url}")
    if settings.max.webhook_url is not None:
        raise SandboxRefused(
            f"MAX_WEBHOOK_URL is set in the environment ({settings.max.webhook_url}): the sandbox polls its own MAX "
            "server; run it without that variable"
        )
    used = {t.get_secret_value() for t in (settings.telegram.bot_token, settings.max.bot_token) if t is not None}
    if used & real_tokens:
        raise SandboxRefused("the sandbox will not use the real bot's token: it runs on its own made-up ones")
