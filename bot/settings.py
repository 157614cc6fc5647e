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

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.curators import CuratorRoster
from bot.meetings.timeparse import QuietHours, parse_duration, parse_offsets, parse_quiet_hours
from bot.monitoring import CalendarEntry, parse_calendar

TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{30,}$")
DEFAULT_API_BASE = "https://api.telegram.org"
DEFAULT_CALENDAR = "quality@01.12/14d, quality@01.05/14d, growth@01.05/14d, final@15.05/14d"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it and says where to put it."""


def _config(env_file: str | Path | None) -> SettingsConfigDict:
    return SettingsConfigDict(env_file=env_file, env_file_encoding="utf-8", extra="ignore")


class TelegramSettings(BaseSettings):
    model_config = _config(".env")

    bot_token: SecretStr = Field(validation_alias="BOT_TOKEN")
    bot_api_base_url: str = Field(DEFAULT_API_BASE, validation_alias="BOT_API_BASE_URL")
    curator_ids: Annotated[frozenset[int], NoDecode] = Field(frozenset(), validation_alias="CURATOR_IDS")

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_RE.match(value.get_secret_value().strip()):
            raise ValueError("does not look like a token from @BotFather (digits, a colon, then 30+ characters)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("bot_api_base_url", mode="before")
    @classmethod
    def _base_url(cls, value: Any) -> str:
        text = str(value or "").strip().rstrip("/")
        if not text:
            return DEFAULT_API_BASE
        if not re.match(r"^https?://[^\s/]+", text):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org")
        return text

    @field_validator("curator_ids", mode="before")
    @classmethod
    def _curator_ids(cls, value: Any) -> frozenset[int]:
        if isinstance(value, (set, frozenset, list, tuple)):
            return frozenset(int(v) for v in value)
        ids: set[int] = set()
        for part in str(value or "").replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not re.fullmatch(r"\d{1,20}", part):
                raise ValueError(f"{part!r} is not a Telegram user id (comma-separated numbers expected)")
            ids.add(int(part))
        return frozenset(ids)


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
    #: Who is a curator now: the owners in CURATOR_IDS and those added from the bot (bot/curators.py).
    roster: CuratorRoster = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roster", CuratorRoster(self.telegram.curator_ids))

    def is_curator(self, user_id: int) -> bool:
        return user_id in self.roster

    def is_owner(self, user_id: int) -> bool:
        """A curator by CURATOR_IDS: nobody can remove them from the bot."""
        return self.roster.is_owner(user_id)

    def curator_ids(self) -> list[int]:
        """Every curator now, in a stable order: the one source for every notice to the curators."""
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
}


def _describe(exc: ValidationError) -> str:
    error = exc.errors()[0]
    name = str(error["loc"][0]) if error["loc"] else "?"
    if error["type"] == "missing":
        return f"{name} is not set. Put it into .env (copy config.example.env to .env) or into the environment."
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{name} is invalid: {message}. Fix it in .env or in the environment (see config.example.env)."


def load_settings(env_file: str | Path | None = ".env", **overrides: Any) -> Settings:
    """Read every section; `overrides` (section name -> dict of field values) are for tests."""
    sections: dict[str, BaseSettings] = {}
    for name, cls in _SECTIONS.items():
        try:
            sections[name] = cls(_env_file=env_file, **overrides.get(name, {}))  # type: ignore[call-arg]
        except ValidationError as exc:
            raise SettingsError(_describe(exc)) from None
    return Settings(**sections)  # type: ignore[arg-type]
