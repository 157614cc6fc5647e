"""APScheduler runs one stateless tick that derives what is due from the database; nothing is pickled.

The tick also runs once right at start-up, so what came due while the bot was down goes out at once
(reminders within MISSED_GRACE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock

if TYPE_CHECKING:
    from scheduler.jobs import Jobs

TICK_SECONDS = 30


def build_scheduler(jobs: Jobs, clock: Clock) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        jobs.tick,
        IntervalTrigger(seconds=TICK_SECONDS, timezone="UTC"),
        id="tick",
        next_run_time=clock.now(),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=TICK_SECONDS,
    )
    return scheduler
