"""What keeps the sandbox from touching the school's real bot: its database and its messengers."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from bot.settings import MaxSettings, Settings, StorageSettings, TelegramSettings

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class SandboxRefused(Exception):
    """The sandbox would touch something real; the message says what and how to avoid it."""


def real_config(env_file: str | Path | None = ".env") -> tuple[Path, set[str]]:
    """The real bot's DATABASE_PATH and tokens, as `python -m bot` would read them (environment, then `.env`)."""
    env = env_file if env_file is not None and Path(env_file).is_file() else None
    storage = StorageSettings(_env_file=env)  # type: ignore[call-arg]
    tokens: set[str] = set()
    try:
        telegram = TelegramSettings(_env_file=env)  # type: ignore[call-arg]
        if telegram.bot_token is not None:
            tokens.add(telegram.bot_token.get_secret_value())
    except ValueError:
        pass  # a malformed real setting is the real bot's business; only its tokens matter here
    try:
        max_settings = MaxSettings(_env_file=env)  # type: ignore[call-arg]
        if max_settings.bot_token is not None:
            tokens.add(max_settings.bot_token.get_secret_value())
    except ValueError:
        pass
    return storage.database_path, tokens


def same_file(a: Path, b: Path) -> bool:
    """True when two paths name one file, whether or not it exists yet (symlinks and `..` resolved)."""
    a_resolved, b_resolved = Path(os.path.abspath(a)).resolve(), Path(os.path.abspath(b)).resolve()
    if a_resolved == b_resolved:
        return True
    try:
        return a_resolved.exists() and b_resolved.exists() and os.path.samefile(a_resolved, b_resolved)
    except OSError:
        return False


def check(settings: Settings, *, real_database: Path, real_tokens: set[str]) -> None:
    """Refuse settings that would reach beyond this machine or into the real bot's data."""
    if same_file(settings.storage.database_path, real_database):
        raise SandboxRefused(
            f"the sandbox will not open the real bot's database ({real_database}): give it another file with "
            "--db PATH, or none for a temporary one"
        )
    apis = {"Telegram": settings.telegram.bot_api_base_url, "MAX": settings.max.api_base_url}
    for name, url in apis.items():
        host = urlsplit(url).hostname or ""
        if host not in LOOPBACK:
            raise SandboxRefused(f"the sandbox talks only to its own {name} server on 127.0.0.1, not to {url}")
    used = {t.get_secret_value() for t in (settings.telegram.bot_token, settings.max.bot_token) if t is not None}
    if used & real_tokens:
        raise SandboxRefused("the sandbox will not use the real bot's token: it runs on its own made-up ones")
