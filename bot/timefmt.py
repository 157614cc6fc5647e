"""How a person sees a moment in chat: on the institution's wall clock, in one format (ДД.ММ.ГГГГ ЧЧ:ММ).

Storage keeps UTC (`bot.clock.iso`); a text shows the institution's zone (`settings.institution.tz`) and never
says «UTC»: a mentor, a parent and the curator read the same clock as the station's wall.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from bot.clock import parse_iso


def moment_text(moment: datetime | str, tz: tzinfo) -> str:
    """«10.09.2026 12:00»: a stored moment (aware `datetime` or its ISO text) on the institution's clock."""
    if isinstance(moment, str):
        moment = parse_iso(moment)
    return f"{moment.astimezone(tz):%d.%m.%Y %H:%M}"


def day_text(day: datetime | date, tz: tzinfo | None = None) -> str:
    """«10.09.2026»: a day (a moment is taken on the institution's clock)."""
    if isinstance(day, datetime):
        if tz is None:
            raise ValueError("a moment needs the institution's zone to name its day")
        day = day.astimezone(tz).date()
    return f"{day:%d.%m.%Y}"
