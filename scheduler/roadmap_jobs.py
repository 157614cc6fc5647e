"""Roadmap reminders to the curators: «Скоро срок» N days before a checkpoint, «Срок прошёл» the day after it.

Stateless like the rest of the tick: what is due is derived from the roadmap, the done marks and today's date;
each notice is enqueued with a dedup key (item, checkpoint, kind, curator), so a second tick, a restart or a
catch-up after downtime queues nothing twice. The outbox moves notices out of quiet hours.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.flows.notices import open_card_buttons
from bot.flows.screens import Screen
from bot.i18n import esc, tr
from bot.roadmap import ReminderKind, RoadmapItem, reminder_years, reminders_due
from bot.settings import Settings
from scheduler.notices import queue
from storage.outbox import Outbox
from storage.roadmap import RoadmapRepo

#: Days a reminder is still sent late after its exact day (the bot was down): the tick catches up.
CATCH_UP_DAYS = 3
CONTENT_SHOWN = 300


def reminder_text(item: RoadmapItem, due: date, kind: ReminderKind, today: date) -> str:
    content = item.content if len(item.content) <= CONTENT_SHOWN else item.content[: CONTENT_SHOWN - 1] + "…"
    values = {
        "number": item.number,
        "content": esc(content),
        "result": esc(item.result),
        "due": f"{due:%d.%m.%Y}",
    }
    if kind == "overdue":
        return tr("roadmap-remind-overdue", **values)
    left = (due - today).days
    return tr("roadmap-remind-soon", **values, days=left)


async def roadmap_reminders(repo: RoadmapRepo, outbox: Outbox, settings: Settings, now: datetime) -> int:
    """Queue today's roadmap reminders to every curator; returns how many messages were newly queued.

    `reminders_due` is asked for today and the CATCH_UP_DAYS before it over `reminder_years(today)` (each year
    with its own done marks); a «soon» notice whose checkpoint has already passed is skipped (the «overdue» one
    follows), and a late «soon» says the days really left.
    """
    curators = settings.roster.people()  # each on their own messenger
    if not curators:
        return 0
    today = now.astimezone(settings.institution.tz).date()
    days_before = settings.roadmap.remind_days
    plan = await repo.roadmap()
    queued = 0
    for year in reminder_years(today):
        states = await repo.states(year)
        done = {number: day for number, state in states.items() if (day := state.effective_done_at) is not None}
        due_now: dict[tuple[str, date, ReminderKind], RoadmapItem] = {}
        for back in range(CATCH_UP_DAYS + 1):
            day = today - timedelta(days=back)
            for item, due, kind in reminders_due(plan.items, year, day, done, days_before):
                if kind == "soon" and due <= today:
                    continue
                due_now.setdefault((item.number, due, kind), item)
        for (number, due, kind), item in sorted(due_now.items(), key=lambda e: (e[0][1], e[1].sort_key, e[0][2])):
            notice = Screen(reminder_text(item, due, kind, today), open_card_buttons(year, number))
            for curator in curators:
                key = f"roadmap:{number}:{due.isoformat()}:{kind}:{curator.account_id}"
                if await queue(outbox, curator, notice, kind="roadmap", dedup_key=key):
                    queued += 1
    return queued
