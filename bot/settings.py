"""Configuration from the environment and `.env`, one pydantic-settings class per concern.

Every setting is documented in `config.example.env`. `load_settings` turns a validation error into one
readable line (`SettingsError`) so that `python -m bot` can exit with status 2 instead of a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.curators import CuratorRoster
from bot.flows.events import Messenger, Person
from bot.meetings.timeparse import QuietHours, parse_duration, parse_offsets, parse_quiet_hours
from bot.monitoring import CalendarEntry, parse_calendar

TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,}$")
DEFAULT_API_BASE = "https://api.telegram.org"
#: maxapi's `BaseConnection.API_URL`: MAX moved its Bot API here from platform-api.max.ru.
DEFAULT_MAX_API_BASE = "https://platform-api2.max.ru"
#: The secret MAX sends back in X-Max-Bot-Api-Secret ([docs] POST /subscriptions: 5..256 of A-Z a-z 0-9 _ -).
WEBHOOK_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{5,256}")
#: MAX allows 30 requests a second in all; the outbox may take at most that (the replies need the rest).
MAX_RPS = 30.0
#: CURATOR_IDS' prefixes: a bare number is a Telegram id.
CURATOR_PREFIXES = {"tg": Messenger.TELEGRAM, "telegram": Messenger.TELEGRAM, "max": Messenger.MAX}
DEFAULT_CALENDAR = "quality@01.12/14d, quality@01.05/14d, growth@01.05/14d, final@15.05/14d"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it and says where to put it."""


def _config(env_file: str | Path | None) -> SettingsConfigDict:
    return SettingsConfigDict(env_file=env_file, env_file_encoding="utf-8", extra="ignore")


def _secret_text(value: Any) -> str:
    return (value.get_secret_value() if isinstance(value, SecretStr) else str(value or "")).strip()


def _http_url(value: Any, default: str) -> str:
    text = str(value or "").strip().rstrip("/")
    if not text:
        return default
    if not re.match(r"^https?://[^\s/]+", text):
        raise ValueError(f"must be an http(s) URL such as {default}")
    return text


def _curator(part: str) -> Person:
    """One entry of CURATOR_IDS: `123` or `tg:123`/`telegram:123` on Telegram, `max:123` on MAX."""
    prefix, colon, number = part.rpartition(":")
    messenger = CURATOR_PREFIXES.get(prefix.strip().lower()) if colon else Messenger.TELEGRAM
    if messenger is None:
        raise ValueError(
            f"{part!r}: unknown messenger {prefix.strip()!r} (a plain number is a Telegram id, max:<digits> a MAX id)"
        )
    number = number.strip()
    if not re.fullmatch(r"\d{1,20}", number):
        raise ValueError(f"{part!r} is not a user id (digits expected, e.g. 123456789 or max:123456789)")
    return Person(messenger, int(number))


def parse_curator_ids(value: Any) -> frozenset[Person]:
    """CURATOR_IDS: comma-separated owners, e.g. `123456789,max:987654`; a bare int or number is on Telegram."""
    if isinstance(value, (set, frozenset, list, tuple)):
        return frozenset(v if isinstance(v, Person) else _curator(str(v)) for v in value)
    parts = (part.strip() for part in str(value or "").replace(";", ",").split(","))
    return frozenset(_curator(part) for part in parts if part)


class TelegramSettings(BaseSettings):
    model_config = _config(".env")

    #: None when BOT_TOKEN is empty or absent: the bot then runs without Telegram (MAX only).
    bot_token: SecretStr | None = Field(None, validation_alias="BOT_TOKEN")
    bot_api_base_url: str = Field(DEFAULT_API_BASE, validation_alias="BOT_API_BASE_URL")
    #: The owners in CURATOR_IDS on every messenger (read in this section, where it has always been).
    curator_ids: Annotated[frozenset[Person], NoDecode] = Field(frozenset(), validation_alias="CURATOR_IDS")

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: Any) -> SecretStr | None:
        token = _secret_text(value)
        if not token:
            return None
        if not TOKEN_RE.match(token):
            raise ValueError("does not look like a token from @BotFather (digits, a colon, then 30+ characters)")
        return SecretStr(token)

    @field_validator("bot_api_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: Any) -> str:
        return _http_url(value, DEFAULT_API_BASE)

    @field_validator("curator_ids", mode="before")
    @classmethod
    def _curator_ids(cls, value: Any) -> frozenset[Person]:
        return parse_curator_ids(value)


class MaxSettings(BaseSettings):
    """The MAX bot: its token, where its API lives, long polling (the default) or a webhook, the outbox's pace."""

    # Not populate_by_name: the environment source would then read BOT_TOKEN (any case) as `bot_token`.
    # `load_settings(max={"bot_token": ...})` turns field names into the env names instead.
    model_config = _config(".env")

    #: None when MAX_BOT_TOKEN is empty or absent: the bot then runs without MAX.
    bot_token: SecretStr | None = Field(None, validation_alias="MAX_BOT_TOKEN")
    api_base_url: str = Field(DEFAULT_MAX_API_BASE, validation_alias="MAX_API_BASE_URL")
    #: The public HTTPS address MAX posts updates to; None: long polling.
    webhook_url: str | None = Field(None, validation_alias="MAX_WEBHOOK_URL")
    webhook_secret: SecretStr | None = Field(None, validation_alias="MAX_WEBHOOK_SECRET")
    #: host:port the bot's own HTTP server listens on for the webhook (behind the reverse proxy).
    webhook_listen: str = Field("127.0.0.1:8443", validation_alias="MAX_WEBHOOK_LISTEN")
    #: Messages a second the outbox sends on MAX (notices, reminders); the replies take the rest of MAX's 30.
    outbox_rate: float = Field(20.0, validation_alias="MAX_OUTBOX_RATE")

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token(cls, value: Any) -> SecretStr | None:
        token = _secret_text(value)
        if not token:
            return None
        if re.search(r"\s", token):
            raise ValueError("has a space or a line break inside: paste the token from business.max.ru as it is")
        if len(token) < 20:
            raise ValueError("is too short for a MAX bot token (copy it whole from the bot's settings)")
        return SecretStr(token)

    @field_validator("api_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: Any) -> str:
        return _http_url(value, DEFAULT_MAX_API_BASE)

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: Any) -> str | None:
        text = str(value or "").strip()
        if not text:
            return None
        if not re.match(r"^https://[^\s/]+\S*$", text):
            raise ValueError("must be a public https:// address (MAX delivers webhooks over HTTPS only)")
        return text

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: Any) -> SecretStr | None:
        secret = _secret_text(value)
        if not secret:
            return None
        if not WEBHOOK_SECRET_RE.fullmatch(secret):
            raise ValueError("must be 5 to 256 characters of Latin letters, digits, _ and -")
        return SecretStr(secret)

    @field_validator("webhook_listen", mode="before")
    @classmethod
    def _listen(cls, value: Any) -> str:
        text = str(value or "").strip() or "127.0.0.1:8443"
        host, colon, port = text.rpartition(":")
        if not colon or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError("must be host:port, e.g. 127.0.0.1:8443")
        if re.search(r"\s", host):
            raise ValueError("must be host:port without spaces, e.g. 127.0.0.1:8443")
        return text

    @field_validator("outbox_rate")
    @classmethod
    def _rate(cls, value: float) -> float:
        if not 0 < value <= MAX_RPS:
            raise ValueError(f"must be above 0 and at most {MAX_RPS:g} (MAX allows {MAX_RPS:g} requests a second)")
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> MaxSettings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError(
                "MAX_WEBHOOK_URL is set but MAX_WEBHOOK_SECRET is not: a webhook needs the secret "
                "(5 to 256 Latin letters, digits, _ and -) so that the bot can tell MAX's requests from anyone's"
            )
        return self


class StorageSettings(BaseSettings):
    model_config = _config(".env")

    database_path: Path = Field(Path("data/nastavnik.sqlite3"), validation_alias="DATABASE_PATH")


class InstitutionSettings(BaseSettings):
    model_config = _config(".env")

    organization_name: str = Field(
        "МБУ ДО «Станция юных техников»", min_length=2, max_length=200, validation_alias="ORGANIZATION_NAME"
    )
    #: The operator's address for the destruction act (Приказ РКН № 179); empty leaves a line to fill in by hand.
    organization_address: str = Field("", max_length=300, validation_alias="ORGANIZATION_ADDRESS")
    #: The operator's INN, printed in the consent document when set.
    organization_inn: str = Field("", max_length=12, validation_alias="ORGANIZATION_INN")
    timezone: str = Field("Europe/Moscow", validation_alias="TIMEZONE")
    # The director's order «О закреплении наставнических пар (групп)» (4.4). Unset: a blank line in the order
    # to fill in by hand, never an invented value.
    city: str | None = Field(None, max_length=100, validation_alias="CITY")
    director_name: str | None = Field(None, max_length=200, validation_alias="DIRECTOR_NAME")
    order_number: str | None = Field(None, max_length=50, validation_alias="ORDER_NUMBER")
    mentorship_regulation_date: Annotated[date | None, NoDecode] = Field(
        None, validation_alias="MENTORSHIP_REGULATION_DATE"
    )
    mentorship_regulation_number: str | None = Field(
        None, max_length=50, validation_alias="MENTORSHIP_REGULATION_NUMBER"
    )

    @field_validator("city", "director_name", "order_number", "mentorship_regulation_number", mode="before")
    @classmethod
    def _optional_text(cls, value: Any) -> str | None:
        text = " ".join(str(value or "").split())
        return text or None

    @field_validator("organization_inn", mode="before")
    @classmethod
    def _inn(cls, value: Any) -> str:
        text = "".join(str(value or "").split())
        if text and not re.fullmatch(r"\d{10}|\d{12}", text):
            raise ValueError("must be 10 digits (an organisation) or 12 (an individual entrepreneur)")
        return text

    @field_validator("mentorship_regulation_date", mode="before")
    @classmethod
    def _day(cls, value: Any) -> date | None:
        if value is None or isinstance(value, date):
            return value
        text = str(value).strip()
        if not text:
            return None
        try:
            return datetime.strptime(text, "%d.%m.%Y").date()
        except ValueError:
            raise ValueError("must be a date like 01.09.2026") from None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Moscow)") from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class LoggingSettings(BaseSettings):
    model_config = _config(".env")

    log_level: str = Field("INFO", validation_alias="LOG_LEVEL")

    @field_validator("log_level", mode="before")
    @classmethod
    def _level(cls, value: Any) -> str:
        level = str(value or "INFO").strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level


class MatchingSettings(BaseSettings):
    model_config = _config(".env")

    match_weights: Annotated[dict[str, float], NoDecode] = Field(default_factory=dict, validation_alias="MATCH_WEIGHTS")

    @field_validator("match_weights", mode="before")
    @classmethod
    def _weights(cls, value: Any) -> dict[str, float]:
        if isinstance(value, dict):
            return {str(k): float(v) for k, v in value.items()}
        known = {
            "request_competency",
            "interests",
            "club",
            "age",
            "free_days",
            "mutual_preference",
            "one_sided_preference",
        }
        weights: dict[str, float] = {}
        for part in str(value or "").split(","):
            if not part.strip():
                continue
            name, _, number = part.partition("=")
            name = name.strip()
            if name not in known:
                raise ValueError(f"unknown criterion {name!r} (known: {', '.join(sorted(known))})")
            try:
                weights[name] = float(number)
            except ValueError:
                raise ValueError(f"{name} needs a number, e.g. {name}=2.5") from None
            if weights[name] < 0:
                raise ValueError(f"{name} must not be negative")
        return weights


class ScheduleSettings(BaseSettings):
    """Meetings, reminders, check-ins, nudges, the digest and the outbox's pace."""

    model_config = _config(".env")

    reminder_offsets: Annotated[tuple[timedelta, ...], NoDecode] = Field(
        (timedelta(hours=24), timedelta(hours=1)), validation_alias="REMINDER_OFFSETS"
    )
    quiet_hours: Annotated[QuietHours | None, NoDecode] = Field(
        QuietHours(time(21, 0), time(8, 0)), validation_alias="QUIET_HOURS"
    )
    checkin_after: Annotated[timedelta, NoDecode] = Field(timedelta(hours=2), validation_alias="CHECKIN_AFTER")
    inactivity_days: int = Field(14, ge=1, le=365, validation_alias="INACTIVITY_DAYS")
    digest_time: Annotated[time, NoDecode] = Field(time(9, 0), validation_alias="DIGEST_TIME")
    outbox_rate: float = Field(25.0, gt=0, le=1000, validation_alias="OUTBOX_RATE")
    outbox_chat_rate: float = Field(1.0, gt=0, le=100, validation_alias="OUTBOX_CHAT_RATE")
    missed_grace: Annotated[timedelta, NoDecode] = Field(timedelta(hours=6), validation_alias="MISSED_GRACE")
    work_meetings: int = Field(6, ge=1, le=100, validation_alias="WORK_MEETINGS")

    @field_validator("reminder_offsets", mode="before")
    @classmethod
    def _offsets(cls, value: Any) -> tuple[timedelta, ...]:
        return value if isinstance(value, tuple) else parse_offsets(str(value))

    @field_validator("quiet_hours", mode="before")
    @classmethod
    def _quiet(cls, value: Any) -> QuietHours | None:
        return value if value is None or isinstance(value, QuietHours) else parse_quiet_hours(str(value))

    @field_validator("checkin_after", "missed_grace", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> timedelta:
        return value if isinstance(value, timedelta) else parse_duration(str(value))

    @field_validator("digest_time", mode="before")
    @classmethod
    def _clock(cls, value: Any) -> time:
        if isinstance(value, time):
            return value
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", str(value).strip())
        if not match:
            raise ValueError("must be a time of day like 09:00")
        return time(int(match.group(1)), int(match.group(2)))


class MonitoringSettings(BaseSettings):
    """Campaigns of the programme calendar, reminders to those who have not answered, the contingent."""

    model_config = _config(".env")

    campaign_calendar: Annotated[tuple[CalendarEntry, ...], NoDecode] = Field(
        parse_calendar(DEFAULT_CALENDAR), validation_alias="CAMPAIGN_CALENDAR"
    )
    nudge_every: Annotated[timedelta, NoDecode] = Field(timedelta(days=3), validation_alias="NUDGE_EVERY")
    campaign_min_pair_weeks: int = Field(4, ge=0, le=52, validation_alias="CAMPAIGN_MIN_PAIR_WEEKS")
    contingent_pupils: int = Field(0, ge=0, le=1_000_000, validation_alias="CONTINGENT_PUPILS")
    contingent_teachers: int = Field(0, ge=0, le=100_000, validation_alias="CONTINGENT_TEACHERS")

    @field_validator("campaign_calendar", mode="before")
    @classmethod
    def _calendar(cls, value: Any) -> tuple[CalendarEntry, ...]:
        return value if isinstance(value, tuple) else parse_calendar(str(value))

    @field_validator("nudge_every", mode="before")
    @classmethod
    def _every(cls, value: Any) -> timedelta:
        every = value if isinstance(value, timedelta) else parse_duration(str(value))
        if every < timedelta(hours=1):
            raise ValueError("must be at least 1h")
        return every


class RoadmapSettings(BaseSettings):
    model_config = _config(".env")

    remind_days: int = Field(7, ge=1, le=60, validation_alias="ROADMAP_REMIND_DAYS")


@dataclass(frozen=True)
class Settings:
    telegram: TelegramSettings
    storage: StorageSettings
    institution: InstitutionSettings
    logging: LoggingSettings
    matching: MatchingSettings
    schedule: ScheduleSettings
    monitoring: MonitoringSettings
    roadmap: RoadmapSettings
    #: MAX is not configured unless given (tests and callers from before MAX pass no section).
    max: MaxSettings = field(default_factory=MaxSettings.model_construct)
    #: Who is a curator now: the owners in CURATOR_IDS and those added from the bot (bot/curators.py).
    roster: CuratorRoster = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roster", CuratorRoster(self.telegram.curator_ids))

    def messengers(self) -> list[Messenger]:
        """The messengers whose token is set, Telegram first."""
        tokens = ((Messenger.TELEGRAM, self.telegram.bot_token), (Messenger.MAX, self.max.bot_token))
        return [messenger for messenger, token in tokens if token is not None]

    def is_curator(self, who: int | Person) -> bool:
        """A bare int is a Telegram id."""
        return who in self.roster

    def is_owner(self, who: int | Person) -> bool:
        """A curator by CURATOR_IDS: nobody can remove them from the bot."""
        return self.roster.is_owner(who)

    def curator_ids(self) -> list[int]:
        """Every curator on Telegram now, in a stable order (`roster.people()` has them on every messenger)."""
        return self.roster.ids()


_SECTIONS: dict[str, type[BaseSettings]] = {
    "telegram": TelegramSettings,
    "storage": StorageSettings,
    "institution": InstitutionSettings,
    "logging": LoggingSettings,
    "matching": MatchingSettings,
    "schedule": ScheduleSettings,
    "monitoring": MonitoringSettings,
    "roadmap": RoadmapSettings,
    "max": MaxSettings,
}

NO_MESSENGER = (
    "Neither BOT_TOKEN (Telegram) nor MAX_BOT_TOKEN (MAX) is set: put at least one into .env (see config.example.env)"
)


def _env_name(cls: type[BaseSettings], name: str) -> str:
    """The setting's name in .env, also when the value came by field name (`load_settings` overrides)."""
    field_info = cls.model_fields.get(name)
    alias = field_info.validation_alias if field_info is not None else None
    return alias if isinstance(alias, str) else name


def _describe(exc: ValidationError, cls: type[BaseSettings]) -> str:
    error = exc.errors()[0]
    if not error["loc"]:  # a rule across fields names its settings itself
        return f"{str(error['msg']).removeprefix('Value error, ')}. Fix it in .env or in the environment."
    name = _env_name(cls, str(error["loc"][0]))
    if error["type"] == "missing":
        return f"{name} is not set. Put it into .env (copy config.example.env to .env) or into the environment."
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{name} is invalid: {message}. Fix it in .env or in the environment (see config.example.env)."


def load_settings(env_file: str | Path | None = ".env", **overrides: Any) -> Settings:
    """Read every section; `overrides` (section name -> dict of field values) are for tests."""
    sections: dict[str, BaseSettings] = {}
    for name, cls in _SECTIONS.items():
        try:
            given = {_env_name(cls, key): value for key, value in overrides.get(name, {}).items()}
            sections[name] = cls(_env_file=env_file, **given)  # type: ignore[call-arg]
        except ValidationError as exc:
            raise SettingsError(_describe(exc, cls)) from None
    settings = Settings(**sections)  # type: ignore[arg-type]
    if not settings.messengers():
        raise SettingsError(NO_MESSENGER)
    return settings
