"""The guard: the sandbox finds the real bot's database and tokens where `python -m bot` would, and refuses them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bot.sandbox.guard import SandboxRefused, check, check_database, real_config, same_file, touches
from bot.sandbox.world import MAX_TOKEN, TELEGRAM_TOKEN
from bot.settings import Settings, load_settings

REAL_TG = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-real"
REAL_MAX = "real-max-token-0123456789abcdefghijklmnop"
NAMES = (
    "DATABASE_PATH",
    "BOT_TOKEN",
    "MAX_BOT_TOKEN",
    "BOT_API_BASE_URL",
    "MAX_API_BASE_URL",
    "MAX_WEBHOOK_URL",
    "MAX_WEBHOOK_SECRET",
    "CURATOR_IDS",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def write_env(folder: Path, **values: str) -> Path:
    path = folder / ".env"
    path.write_text("".join(f"{key}={value}\n" for key, value in values.items()), encoding="utf-8")
    return path


def sandbox(db: Path, **telegram: Any) -> Settings:
    """Settings shaped as `world.sandbox_settings` makes them, with what a test changes."""
    max_section = telegram.pop("max", {})
    return load_settings(
        env_file=None,
        telegram={"bot_token": TELEGRAM_TOKEN, "bot_api_base_url": "http://127.0.0.1:8081", **telegram},
        storage={"database_path": db},
        max={"bot_token": MAX_TOKEN, "api_base_url": "http://127.0.0.1:8082", **max_section},
    )


def test_real_config_reads_the_env_file_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = write_env(tmp_path, DATABASE_PATH="school/bot.sqlite3", BOT_TOKEN=REAL_TG, MAX_BOT_TOKEN=REAL_MAX)
    assert real_config(env_file=env) == (Path("school/bot.sqlite3"), {REAL_TG, REAL_MAX})
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "from-env.sqlite3"))
    monkeypatch.setenv("BOT_TOKEN", "654321:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")
    database, tokens = real_config(env_file=env)
    assert database == tmp_path / "from-env.sqlite3"
    assert tokens == {"654321:BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", REAL_MAX}


def test_real_config_without_an_env_file_is_the_default_database_and_no_token(tmp_path: Path) -> None:
    assert real_config(env_file=tmp_path / "missing.env") == (Path("data/nastavnik.sqlite3"), set())
    assert real_config(env_file=None) == (Path("data/nastavnik.sqlite3"), set())


def test_a_token_the_real_bot_would_reject_is_still_refused_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = write_env(tmp_path, BOT_TOKEN="'not a token'", MAX_BOT_TOKEN="short")
    _, tokens = real_config(env_file=env)
    assert tokens == {"not a token", "short"}
    monkeypatch.setenv("MAX_BOT_TOKEN", "with space inside the token value here")
    assert "with space inside the token value here" in real_config(env_file=env)[1]


def test_the_sandbox_refuses_the_real_database_however_it_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    real = Path("data/nastavnik.sqlite3")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "nastavnik.sqlite3").write_bytes(b"SQLite format 3\x00")
    (tmp_path / "link.sqlite3").symlink_to(tmp_path / "data" / "nastavnik.sqlite3")
    os.link(tmp_path / "data" / "nastavnik.sqlite3", tmp_path / "hard.sqlite3")
    for name in (
        "data/nastavnik.sqlite3",
        str(tmp_path / "data/nastavnik.sqlite3"),
        "data/../data/nastavnik.sqlite3",
        "link.sqlite3",
        "hard.sqlite3",
        "data/nastavnik.sqlite3-wal",
        "data/nastavnik.sqlite3-shm",
        "data/nastavnik",
    ):
        if name == "data/nastavnik":  # its journal would be "data/nastavnik-wal", not the real one: allowed
            check_database(Path(name), real)
            continue
        with pytest.raises(SandboxRefused) as refused:
            check_database(Path(name), real)
        assert str(refused.value) == (
            "the sandbox will not open the real bot's database (data/nastavnik.sqlite3): give it another file with "
            "--db PATH, or none for a temporary one"
        )
        with pytest.raises(SandboxRefused):
            check(sandbox(Path(name)), real_database=real, real_tokens=set())
    # The real database's journal named as the sandbox's: data/x is fine, but not when the real one is "x-wal".
    assert touches(Path("data/db"), Path("data/db-wal"))
    assert not same_file(Path("data/nastavnik.sqlite3"), Path("data/other.sqlite3"))
    check(sandbox(Path("sandbox.sqlite3")), real_database=real, real_tokens=set())


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(SandboxRefused, match="is a folder"):
        check_database(tmp_path, Path("data/nastavnik.sqlite3"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"bot_api_base_url": "https://api.telegram.org"}, "only to its own Telegram server on 127.0.0.1"),
        ({"bot_api_base_url": "http://10.0.0.5:8081"}, "only to its own Telegram server on 127.0.0.1"),
        ({"max": {"api_base_url": "https://platform-api.max.ru"}}, "only to its own MAX server on 127.0.0.1"),
        ({"bot_token": REAL_TG}, "will not use the real bot's token"),
        ({"max": {"bot_token": REAL_MAX}}, "will not use the real bot's token"),
        (
            {"max": {"webhook_url": "https://school.example/max", "webhook_secret": "secret-1"}},
            "MAX_WEBHOOK_URL is set in the environment",
        ),
    ],
)
def test_the_sandbox_refuses_what_would_leave_the_machine(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    settings = sandbox(tmp_path / "sandbox.sqlite3", **changes)
    with pytest.raises(SandboxRefused, match=message):
        check(settings, real_database=Path("data/nastavnik.sqlite3"), real_tokens={REAL_TG, REAL_MAX})


def test_a_messenger_that_is_off_may_keep_its_default_address(tmp_path: Path) -> None:
    """`--no-max`: no MAX token, so MAX's public address (the default) is never called."""
    settings = sandbox(
        tmp_path / "sandbox.sqlite3", max={"bot_token": "", "api_base_url": "https://platform-api.max.ru"}
    )
    assert settings.max.bot_token is None
    check(settings, real_database=tmp_path / "real.sqlite3", real_tokens={REAL_TG})


def test_its_own_settings_pass(tmp_path: Path) -> None:
    check(
        sandbox(tmp_path / "sandbox.sqlite3"), real_database=tmp_path / "real.sqlite3", real_tokens={REAL_TG, REAL_MAX}
    )
