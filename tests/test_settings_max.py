"""The settings for running Telegram, MAX or both: tokens, the MAX section, CURATOR_IDS across messengers."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.flows.events import Messenger, Person
from bot.settings import DEFAULT_MAX_API_BASE, Settings, SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]
TG_TOKEN = "123456:" + "A" * 35
MAX_TOKEN = "f9LHodD0cOTEST-max-token-" + "b" * 40
SECRET = "s3cret_for-MAX"
#: Every setting this file is about: cleared from the environment so that only the test's values count.
ENV_NAMES = (
    "BOT_TOKEN",
    "CURATOR_IDS",
    "MAX_BOT_TOKEN",
    "MAX_API_BASE_URL",
    "MAX_WEBHOOK_URL",
    "MAX_WEBHOOK_SECRET",
    "MAX_WEBHOOK_LISTEN",
    "MAX_OUTBOX_RATE",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


def _load(tmp_path: Path, *, telegram: dict[str, Any] | None = None, **max_values: Any) -> Settings:
    return load_settings(
        env_file=None,
        telegram=telegram if telegram is not None else {},
        storage={"database_path": tmp_path / "db.sqlite3"},
        max=max_values,
    )


def _error(tmp_path: Path, *, telegram: dict[str, Any] | None = None, **max_values: Any) -> str:
    with pytest.raises(SettingsError) as caught:
        _load(tmp_path, telegram=telegram, **max_values)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- which messengers run ----------------------------------------------------------------------------------


def test_telegram_alone_as_before(tmp_path: Path) -> None:
    settings = _load(tmp_path, telegram={"bot_token": TG_TOKEN})
    assert settings.messengers() == [Messenger.TELEGRAM]
    assert settings.max.bot_token is None


def test_max_alone_leaves_telegram_without_a_token(tmp_path: Path) -> None:
    settings = _load(tmp_path, telegram={"bot_token": ""}, bot_token=MAX_TOKEN)
    assert settings.messengers() == [Messenger.MAX]
    assert settings.telegram.bot_token is None
    assert settings.max.bot_token is not None and settings.max.bot_token.get_secret_value() == MAX_TOKEN


def test_both_tokens_run_both_telegram_first(tmp_path: Path) -> None:
    settings = _load(tmp_path, telegram={"bot_token": TG_TOKEN}, bot_token=MAX_TOKEN)
    assert settings.messengers() == [Messenger.TELEGRAM, Messenger.MAX]


def test_no_token_at_all_is_one_line_naming_both(tmp_path: Path) -> None:
    message = _error(tmp_path, telegram={"bot_token": "  "}, bot_token="")
    assert message == (
        "Neither BOT_TOKEN (Telegram) nor MAX_BOT_TOKEN (MAX) is set: put at least one into .env "
        "(see config.example.env)"
    )


def test_settings_built_without_a_max_section_have_max_off(tmp_path: Path) -> None:
    """Callers from before MAX build Settings with the old sections only."""
    old = _load(tmp_path, telegram={"bot_token": TG_TOKEN})
    sections = {name: getattr(old, name) for name in ("telegram", "storage", "institution", "logging")}
    rest = {name: getattr(old, name) for name in ("matching", "schedule", "monitoring", "roadmap")}
    settings = Settings(**sections, **rest)
    assert settings.messengers() == [Messenger.TELEGRAM]


def test_the_telegram_token_keeps_its_shape_check(tmp_path: Path) -> None:
    message = _error(tmp_path, telegram={"bot_token": "12345"})
    assert message.startswith("BOT_TOKEN is invalid: does not look like a token from @BotFather")


# --- the MAX section ---------------------------------------------------------------------------------------


def test_max_defaults_poll_the_production_api(tmp_path: Path) -> None:
    conf = _load(tmp_path, bot_token=f"  {MAX_TOKEN}\n").max
    assert conf.bot_token is not None and conf.bot_token.get_secret_value() == MAX_TOKEN  # stripped
    assert conf.api_base_url == DEFAULT_MAX_API_BASE == "https://platform-api2.max.ru"
    assert conf.webhook_url is None and conf.webhook_secret is None  # long polling
    assert conf.webhook_listen == "127.0.0.1:8443"
    assert conf.outbox_rate == 20


def test_the_default_api_address_is_maxapis(tmp_path: Path) -> None:
    from maxapi.connection.base import BaseConnection

    assert BaseConnection.API_URL == DEFAULT_MAX_API_BASE


@pytest.mark.parametrize(
    ("token", "says"),
    [
        ("abc def ghi jkl mno pqr stu", "MAX_BOT_TOKEN is invalid: has a space or a line break inside"),
        ("short-token", "MAX_BOT_TOKEN is invalid: is too short for a MAX bot token"),
    ],
)
def test_a_garbled_max_token_is_refused_readably(tmp_path: Path, token: str, says: str) -> None:
    message = _error(tmp_path, bot_token=token)
    assert message.startswith(says)
    assert token not in message  # a token is never printed


def test_the_max_api_address_is_an_http_url(tmp_path: Path) -> None:
    assert _load(tmp_path, bot_token=MAX_TOKEN, api_base_url="http://127.0.0.1:8090/").max.api_base_url == (
        "http://127.0.0.1:8090"
    )
    message = _error(tmp_path, bot_token=MAX_TOKEN, api_base_url="platform-api2.max.ru")
    assert message.startswith(
        "MAX_API_BASE_URL is invalid: must be an http(s) URL such as https://platform-api2.max.ru"
    )


def test_a_webhook_takes_https_and_the_secret(tmp_path: Path) -> None:
    conf = _load(tmp_path, bot_token=MAX_TOKEN, webhook_url="https://school.example/max", webhook_secret=SECRET).max
    assert conf.webhook_url == "https://school.example/max"
    assert conf.webhook_secret is not None and conf.webhook_secret.get_secret_value() == SECRET


def test_a_webhook_over_plain_http_is_refused(tmp_path: Path) -> None:
    message = _error(tmp_path, bot_token=MAX_TOKEN, webhook_url="http://school.example/max", webhook_secret=SECRET)
    assert message.startswith("MAX_WEBHOOK_URL is invalid: must be a public https:// address")


def test_a_webhook_without_the_secret_says_it_is_needed(tmp_path: Path) -> None:
    message = _error(tmp_path, bot_token=MAX_TOKEN, webhook_url="https://school.example/max")
    assert message.startswith("MAX_WEBHOOK_URL is set but MAX_WEBHOOK_SECRET is not: a webhook needs the secret")


@pytest.mark.parametrize("secret", ["abcd", "with space inside", "кириллица", "x" * 257, "semi;colon"])
def test_the_webhook_secret_has_maxs_shape(tmp_path: Path, secret: str) -> None:
    message = _error(tmp_path, bot_token=MAX_TOKEN, webhook_url="https://school.example/max", webhook_secret=secret)
    assert message.startswith(
        "MAX_WEBHOOK_SECRET is invalid: must be 5 to 256 characters of Latin letters, digits, _ and -"
    )


@pytest.mark.parametrize("secret", ["abcde", "A-Z_a-z_0-9", "x" * 256])
def test_the_webhook_secret_takes_the_whole_allowed_range(tmp_path: Path, secret: str) -> None:
    conf = _load(tmp_path, bot_token=MAX_TOKEN, webhook_url="https://school.example/max", webhook_secret=secret).max
    assert conf.webhook_secret is not None and conf.webhook_secret.get_secret_value() == secret


@pytest.mark.parametrize("listen", ["0.0.0.0:8080", "localhost:1", "[::1]:65535"])
def test_the_listen_address_is_host_and_port(tmp_path: Path, listen: str) -> None:
    assert _load(tmp_path, bot_token=MAX_TOKEN, webhook_listen=listen).max.webhook_listen == listen


@pytest.mark.parametrize("listen", ["8443", ":8443", "localhost:http", "localhost:70000", "local host:80"])
def test_a_bad_listen_address_is_refused(tmp_path: Path, listen: str) -> None:
    message = _error(tmp_path, bot_token=MAX_TOKEN, webhook_listen=listen)
    assert message.startswith("MAX_WEBHOOK_LISTEN is invalid: must be host:port")


@pytest.mark.parametrize("rate", ["0", "-1", "30.5", "100"])
def test_the_max_outbox_stays_within_maxs_limit(tmp_path: Path, rate: str) -> None:
    message = _error(tmp_path, bot_token=MAX_TOKEN, outbox_rate=rate)
    assert message.startswith("MAX_OUTBOX_RATE is invalid: must be above 0 and at most 30")


def test_the_max_outbox_rate_may_be_anything_up_to_30(tmp_path: Path) -> None:
    assert _load(tmp_path, bot_token=MAX_TOKEN, outbox_rate="30").max.outbox_rate == 30
    assert _load(tmp_path, bot_token=MAX_TOKEN, outbox_rate="0.5").max.outbox_rate == 0.5


def test_max_settings_come_from_the_env_file(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        f"MAX_BOT_TOKEN={MAX_TOKEN}\nMAX_WEBHOOK_URL=https://school.example/max\nMAX_WEBHOOK_SECRET={SECRET}\n"
        "MAX_WEBHOOK_LISTEN=127.0.0.1:9000\nMAX_OUTBOX_RATE=10\nCURATOR_IDS=max:77\n",
        encoding="utf-8",
    )
    settings = load_settings(env_file=env, storage={"database_path": tmp_path / "db.sqlite3"})
    assert settings.messengers() == [Messenger.MAX]
    assert settings.max.webhook_url == "https://school.example/max"
    assert settings.max.webhook_listen == "127.0.0.1:9000" and settings.max.outbox_rate == 10
    assert settings.roster.people() == [Person(Messenger.MAX, 77)]


def test_the_telegram_token_is_not_read_as_maxs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", TG_TOKEN)
    settings = load_settings(env_file=None, storage={"database_path": tmp_path / "db.sqlite3"})
    assert settings.messengers() == [Messenger.TELEGRAM]


# --- CURATOR_IDS across messengers --------------------------------------------------------------------------


def test_curator_ids_name_owners_on_both_messengers(tmp_path: Path) -> None:
    ids = "123, max:456 ,tg:789; telegram:11,MAX:5"
    settings = _load(tmp_path, telegram={"bot_token": TG_TOKEN, "curator_ids": ids})
    assert settings.roster.people() == [
        Person(Messenger.MAX, 5),
        Person(Messenger.MAX, 456),
        Person(Messenger.TELEGRAM, 11),
        Person(Messenger.TELEGRAM, 123),
        Person(Messenger.TELEGRAM, 789),
    ]
    assert settings.curator_ids() == [11, 123, 789]  # Telegram's, as before
    assert settings.is_curator(123) and settings.is_owner(123)
    assert not settings.is_curator(456)  # a bare id is a Telegram account
    assert settings.is_curator(Person(Messenger.MAX, 456)) and settings.is_owner(Person(Messenger.MAX, 456))
    assert not settings.is_curator(Person(Messenger.TELEGRAM, 456))


@pytest.mark.parametrize(
    ("ids", "says"),
    [
        ("123,max:abc", "CURATOR_IDS is invalid: 'max:abc' is not a user id"),
        ("vk:1", "CURATOR_IDS is invalid: 'vk:1': unknown messenger 'vk'"),
        ("12,abc", "CURATOR_IDS is invalid: 'abc' is not a user id"),
        ("max:", "CURATOR_IDS is invalid: 'max:' is not a user id"),
    ],
)
def test_a_bad_curator_id_is_named(tmp_path: Path, ids: str, says: str) -> None:
    message = _error(tmp_path, telegram={"bot_token": TG_TOKEN, "curator_ids": ids})
    assert message.startswith(says)


# --- the process --------------------------------------------------------------------------------------------


def test_python_m_bot_without_any_token_exits_2_naming_both(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_TOKEN=\nMAX_BOT_TOKEN=\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Configuration error: Neither BOT_TOKEN (Telegram) nor MAX_BOT_TOKEN (MAX) is set: put at least one into "
        ".env (see config.example.env)"
    ]


async def test_python_m_bot_with_the_max_token_alone_runs_max_for_a_max_owner(tmp_path: Path) -> None:
    """MAX_BOT_TOKEN alone starts the bot on MAX; an owner named `max:<id>` in CURATOR_IDS is a curator there."""
    from bot.sandbox.max import FakeMax

    env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
    async with FakeMax() as fake:
        env.update(
            PYTHONPATH=str(ROOT),
            MAX_BOT_TOKEN=fake.token,
            MAX_API_BASE_URL=fake.base_url,
            CURATOR_IDS="max:5001",
            DATABASE_PATH=str(tmp_path / "data" / "bot.sqlite3"),
        )
        log = tmp_path / "bot.log"
        with log.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=tmp_path, env=env, stdout=out, stderr=out
            )
        try:
            curator = fake.user(5001, "Куратор")
            await curator.start()
            greeting = await curator.expect("Вы куратор программы наставничества", timeout=20)
            assert "/invite" in greeting.text
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 15)
    assert code == 0
    assert not [line for line in log.read_text().splitlines() if " ERROR " in line or "Traceback" in line]
