"""APScheduler jobs that derive what is due from the database; no job store, nothing pickled."""

from apscheduler.schedulers.asyncio import AsyncIOScheduler


def build_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone="UTC")
