"""The sandbox's clock: real time plus a lead the visitor adds to, so it only ever goes forward."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock, SystemClock


class ClockWentBackwards(ValueError):
    """A move to a moment before the sandbox's present; nothing already said can be unsaid."""


class SandboxClock:
    """`now()` runs at the pace of `base` (the system clock) from `start`; `move_to` jumps forward.

    The same lead is given to the embedded fakes (`FakeTelegram.advance_clock`), so message dates on the page are
    the sandbox's time."""

    def __init__(self, start: datetime, *, base: Clock | None = None) -> None:
        if start.tzinfo is None:
            raise ValueError("the sandbox starts at a timezone-aware moment")
        self._base = base or SystemClock()
        self._lead = start - self._base.now()

    def now(self) -> datetime:
        return self._base.now() + self._lead

    @property
    def lead(self) -> timedelta:
        """How far the sandbox is ahead of the base clock (negative when it started in the past)."""
        return self._lead

    def move_to(self, moment: datetime) -> timedelta:
        """Jump to `moment`; returns how far the clock moved. Raises ClockWentBackwards for a moment past."""
        if moment.tzinfo is None:
            raise ValueError("a moment of the sandbox is timezone-aware")
        step = moment - self.now()
        if step < timedelta(0):
            raise ClockWentBackwards(f"{moment.isoformat()} is before the sandbox's present")
        self._lead += step
        return step

    def advance(self, step: timedelta) -> datetime:
        if step < timedelta(0):
            raise ClockWentBackwards("the sandbox's clock does not go backwards")
        self._lead += step
        return self.now()
