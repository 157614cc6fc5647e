"""A sandbox world for a test: started on a still clock at `START` (or the test's own moment), always stopped."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.sandbox.world import Sandbox
from tests.fakes.clock import FakeClock

START = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)  # 09:00 in Moscow, a Tuesday: the programme year's first day


@contextlib.asynccontextmanager
async def running_world(folder: Path, start: datetime = START, **options: Any) -> AsyncIterator[Sandbox]:
    """The sandbox with its database in `folder`; the base clock stands still, so only `move_clock` moves time."""
    sandbox = Sandbox(folder / "sandbox.sqlite3", start=start, base_clock=FakeClock(start), **options)
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.stop()
