"""Benchmark: the sandbox's clock moved across a programme year, day by day, and what the year brought, checked.

A sandbox world (`bot.sandbox.world.Sandbox`: the real app on the embedded fakes, with a still base clock so that
every tick is exactly on its hour) gets a programme, then its clock moves from where the programme leaves it to
31 May, 09:00, one day at a time (`move_clock` to the next day's 09:00, which ticks the scheduler every hour
and lets the outbox deliver what came due at each). The wall time of the year and of each day is printed.

Programmes (`--programme`):
* `empty`: the curator alone (the floor: 24 ticks a day of an idle bot; the digest and the roadmap's deadlines);
* `seeded` (the default): 6 mentors and 18 mentees (12 pupils, minors whose parent consented, 6 young teachers),
  every fourth person on MAX, in 6 pairs and groups confirmed on 1 September, each with its 9 stage meetings
  planned 4 weeks apart at its own hour (16:00, 15:30, 08:30, 17:00, 19:30, 10:00: 08:30 puts the 1-hour
  reminder into the quiet hours, 19:30 the check-in). Written through the repositories (`bench only`): the
  people are personas of the world, those on MAX opened the bot first;
* `demo`: `bot.sandbox.demo.load_demo(world, "monitoring")` (the demo programme through the real flows), when
  that module is there.

Then every message the fakes hold in each persona's chat, dated from the start of the move to its end, is
classified by its text and compared with what the database says should have come, at which hour:
* reminder: each planned meeting × each slot of `reminder_times` (REMINDER_OFFSETS, quiet hours) × each
  member of its pair, at the first tick at or after the slot;
* check-in: each planned meeting × each member who has not checked in, at the first tick at or after
  `checkin_time` (CHECKIN_AFTER, quiet hours), within the 14 days the scheduler asks;
* campaign: each recipient of each campaign (`campaign_recipients`) once, when invited (out of quiet hours);
* campaign nudge: each recipient who has not answered, every NUDGE_EVERY after the invitation while the
  campaign is open;
* launch and closing reports of the calendar's campaigns, and the digest: to the curator, once a day at
  DIGEST_TIME.
A message that is missing, at another hour, or there twice shows in the table; any mismatch exits with 1.
Other messages (the roadmap's deadlines, quiet pairs' nudges and alerts) are counted, not checked.

    python bench/bench_sandbox_year.py [--programme seeded|empty|demo] [--until 2027-05-31] [--no-max]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import platform
import re
import statistics
import sys
import tempfile
import time as timer
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import parse_iso
from bot.consent import ConsentKind, render
from bot.flows.campaign_launch import until_text
from bot.flows.events import Messenger
from bot.meetings import StagePlan
from bot.meetings.reminders import checkin_time, format_local, reminder_times, shift_out_of_quiet
from bot.programme import INTAKE_BY_ROLE, Form, Role
from bot.sandbox.world import CURATOR_ID, ORGANIZATION, PersonaKind, Sandbox
from scheduler.jobs import CHECKIN_WINDOW
from storage.matching import ProposedGroup

#: The kinds checked against the database, in the table's order; `other` is counted only.
CHECKED = ("reminder", "checkin", "campaign", "nudge", "launch", "closed", "digest")
HOUR = timedelta(hours=1)
#: What comes at its own moment: the clock stops there (`Sandbox.due_moments`); the rest at the next hourly tick.
STOPS = ("reminder", "checkin", "digest")
#: Each pair's meeting hour (local) and its first meeting's day after 15 September.
MEETING_HOURS = ((16, 0), (15, 30), (8, 30), (17, 0), (19, 30), (10, 0))
MEETING_EVERY = timedelta(weeks=4)
#: How far past its tick a message's date may be and still count as that tick's (see Window.snap).
SNAP = timedelta(seconds=30)


class StillClock:
    """The world's base clock, standing still: the sandbox's time moves only when the bench moves it."""

    def __init__(self, moment: datetime) -> None:
        self._now = moment

    def now(self) -> datetime:
        return self._now


# ---- the programme --------------------------------------------------------------------------------------------


async def seed(world: Sandbox, *, with_max: bool) -> None:
    """6 mentors, 18 mentees, 6 pairs and groups, 9 meetings each (see the module's note)."""
    s = world.app.services
    count = 0

    async def person(name: str, kind: PersonaKind, role: Role, form: Form, adult: bool) -> int:
        nonlocal count
        count += 1
        messenger = Messenger.MAX if with_max and count % 4 == 0 else Messenger.TELEGRAM
        persona = world.add_persona(name, kind, messenger)
        if messenger is Messenger.MAX:
            await world.open_link(persona.key, None)  # MAX writes only to a dialog the person opened
        invite = await s["invites"].create(role, form, CURATOR_ID, days=None, max_uses=None)
        joined = await s["participants"].join(persona.account_id, invite, messenger)
        await s["participants"].set_adult(joined.id, adult, None)
        consent = ConsentKind.SELF if adult else ConsentKind.PARENT
        await s["participants"].record_consent(
            joined.id, render(ORGANIZATION, consent, messenger.value), kind=consent, given_by=persona.account_id
        )
        await s["participants"].save_answer(joined.id, INTAKE_BY_ROLE[role], "name", name)
        await s["participants"].mark_survey_done(joined.id)
        return joined.id

    sizes = ((Form.TEACHER_PUPIL, 1), (Form.TEACHER_PUPIL, 2), (Form.TEACHER_PUPIL, 4), (Form.TEACHER_PUPIL, 5),
             (Form.TEACHER_TEACHER, 3), (Form.TEACHER_TEACHER, 3))  # fmt: skip
    pair_ids: list[int] = []
    for index, (form, size) in enumerate(sizes):
        mentor = await person(f"Наставник{index + 1} Педагогов", PersonaKind.MENTOR, Role.MENTOR, form, True)
        mentees = []
        for number in range(size):
            if form is Form.TEACHER_TEACHER:
                name, kind, role = f"Педагог{index}{number} Молодой", PersonaKind.TEACHER, Role.MENTEE_TEACHER
                adult = True
            else:
                name, kind, role, adult = f"Ученик{index}{number} Юный", PersonaKind.PUPIL, Role.MENTEE_PUPIL, False
            mentees.append((await person(name, kind, role, form, adult), 9.0, ""))
        pair_ids += await s["matching"].create_pairs(form, [ProposedGroup(mentor, mentees)], CURATOR_ID)
    first_day = datetime(world.now().astimezone(world.tz).year, 9, 15).date()
    for index, pair_id in enumerate(pair_ids):
        hour, minute = MEETING_HOURS[index % len(MEETING_HOURS)]
        first = datetime.combine(first_day + timedelta(days=index), time(hour, minute), tzinfo=world.tz)
        for number, stage in enumerate(StagePlan().sequence):
            starts = (first + number * MEETING_EVERY).astimezone(UTC)
            await s["meetings"].create(pair_id, stage, starts, "кабинет 12", None)
    await world.settle()


async def load_programme(world: Sandbox, programme: str, *, with_max: bool) -> None:
    if programme == "seeded":
        await seed(world, with_max=with_max)
    elif programme == "demo":
        from bot.sandbox.demo import load_demo  # type: ignore[import-not-found,unused-ignore]

        await load_demo(world, "monitoring")


# ---- what should have come --------------------------------------------------------------------------------------

Key = tuple[str, str, int, str, datetime]  # kind, messenger, account id, what it is about, the tick it came at


@dataclass(frozen=True)
class Window:
    """The ticks of the move: `start` (a tick is run there too) and every hour after it, up to `end`."""

    start: datetime
    end: datetime

    def snap(self, moment: datetime) -> datetime:
        """A message's date as the tick it came at: the fakes' clocks run on in real time between two syncs with
        the sandbox's (a date is a fraction of a second past its tick); every tick is on a whole minute."""
        past = timedelta(seconds=moment.second, microseconds=moment.microsecond)
        return moment - past if past < SNAP else moment

    def tick_of(self, moment: datetime, *, stop: bool = False) -> datetime | None:
        """The first tick at or after `moment`, None outside the window. `stop`: the clock stops at `moment`
        itself (a reminder's, a check-in's or the digest's moment: `Sandbox.due_moments`)."""
        if moment < self.start:
            return None
        if stop:
            return moment if moment <= self.end else None
        steps = math.ceil((moment - self.start) / HOUR)
        tick = self.start + steps * HOUR
        return tick if tick <= self.end else None


async def expected(world: Sandbox, window: Window) -> Counter[Key]:
    s = world.app.services
    settings = world.app.settings
    schedule, tz = settings.schedule, world.tz
    quiet = schedule.quiet_hours
    out: Counter[Key] = Counter()

    def add(kind: str, people: Iterable[Any], about: str, moment: datetime) -> None:
        tick = window.tick_of(moment, stop=kind in STOPS)
        if tick is not None:
            for who in people:
                out[(kind, str(who.messenger), who.account_id, about, tick)] += 1

    pairs = {p.id: p for p in await s["matching"].pairs()}
    rows = await world.app.db.fetchall("SELECT id FROM meetings WHERE status='planned' ORDER BY id")
    done: dict[int, set[int]] = {}
    for r in await world.app.db.fetchall("SELECT meeting_id, participant_id FROM checkins"):
        done.setdefault(r["meeting_id"], set()).add(r["participant_id"])
    for r in rows:
        meeting = await s["meetings"].get(r["id"])
        pair = pairs.get(meeting.pair_id)
        if pair is None or pair.dissolved_at is not None:
            continue
        people = [member.person for member in pair.people]
        when = format_local(meeting.starts_at, tz)
        slots = reminder_times(
            meeting.starts_at, schedule.reminder_offsets, quiet, tz, not_before=meeting.updated_at
        )
        for _offset, send_at in slots:
            add("reminder", people, when, send_at)
        ask_at = checkin_time(meeting.starts_at, schedule.checkin_after, quiet, tz)
        tick = window.tick_of(ask_at, stop=True)
        if tick is not None and tick - meeting.starts_at <= CHECKIN_WINDOW:
            asked = [m.person for m in pair.people if m.id not in done.get(meeting.id, set())]
            add("checkin", asked, when, ask_at)

    curators = settings.roster.people()
    every = settings.monitoring.nudge_every
    campaigns = await world.app.db.fetchall("SELECT * FROM campaigns ORDER BY id")
    for c in campaigns:
        closes_at = parse_iso(c["closes_at"])
        about = f"{c['title']} до {until_text(closes_at, tz)}"
        if c["calendar_key"]:
            add("launch", curators, about, shift_out_of_quiet(parse_iso(c["created_at"]), quiet, tz))
        if c["closed_at"]:
            add("closed", curators, c["title"], shift_out_of_quiet(parse_iso(c["closed_at"]), quiet, tz))
        recipients = await world.app.db.fetchall(
            "SELECT r.invited_at, r.completed_at, p.messenger, p.account_id FROM campaign_recipients r"
            " JOIN participants p ON p.id=r.participant_id WHERE r.campaign_id=?",
            (c["id"],),
        )
        for rec in recipients:
            who = [_Who(Messenger(rec["messenger"]), rec["account_id"])]
            invited = parse_iso(rec["invited_at"])
            add("campaign", who, about, shift_out_of_quiet(invited, quiet, tz))
            if rec["completed_at"] is not None:
                continue
            nudge = invited + every
            while nudge < closes_at and nudge <= window.end:
                add("nudge", who, about, shift_out_of_quiet(nudge, quiet, tz))
                nudge += every

    day = window.start.astimezone(tz).date()
    while day <= window.end.astimezone(tz).date():
        moment = datetime.combine(day, schedule.digest_time, tzinfo=tz).astimezone(UTC)
        add("digest", curators, day.strftime("%d.%m.%Y"), moment)
        day += timedelta(days=1)
    return out


@dataclass(frozen=True)
class _Who:
    messenger: Messenger
    account_id: int


# ---- what came ------------------------------------------------------------------------------------------------

WHEN_RE = re.compile(r"Когда: (\d\d\.\d\d\.\d{4} \d\d:\d\d)")
UNTIL_RE = re.compile(r"до (\d\d\.\d\d\.\d{4})")
QUOTED_RE = re.compile(r"«(.+?)»")


def classify(text: str, titles: set[str]) -> tuple[str, str]:
    """(kind, what it is about) of a bot message, from its text as the chat shows it."""
    first = text.split("\n", 1)[0]
    until = UNTIL_RE.search(text)
    if text.startswith("Сводка на "):
        return "digest", first.removeprefix("Сводка на ").strip()
    if text.startswith("Напоминание: опрос «") and until:
        return "nudge", f"{QUOTED_RE.search(text).group(1)} до {until.group(1)}"  # type: ignore[union-attr]
    if text.startswith("Напоминание: ") and (when := WHEN_RE.search(text)):
        return "reminder", when.group(1)
    if "Встреча состоялась?" in first:
        return "checkin", first.split(" — ", 1)[0]
    if "По календарю программы запущен опрос «" in first and until:
        return "launch", f"{QUOTED_RE.search(first).group(1)} до {until.group(1)}"  # type: ignore[union-attr]
    if first.startswith("Опрос «") and " закрыт: " in first:
        return "closed", QUOTED_RE.search(first).group(1)  # type: ignore[union-attr]
    if first in titles and until:
        return "campaign", f"{first} до {until.group(1)}"
    return "other", first[:60]


def observed(world: Sandbox, window: Window, titles: set[str]) -> Counter[Key]:
    out: Counter[Key] = Counter()
    for persona in world.personas.values():
        if persona.messenger is Messenger.TELEGRAM:
            chat = [(m.text or "", m.date) for m in world.tg.messages(persona.account_id)]
        else:
            assert world.max is not None
            chat = [(m.text or "", m.timestamp / 1000) for m in world.max.user(persona.account_id).replies()]
        for text, stamp in chat:
            moment = window.snap(datetime.fromtimestamp(stamp, UTC))
            if window.start <= moment <= window.end:
                kind, about = classify(text, titles)
                out[(kind, str(persona.messenger), persona.account_id, about, moment)] += 1
    return out


# ---- the run ----------------------------------------------------------------------------------------------------


def table(want: Counter[Key], got: Counter[Key]) -> tuple[list[str], bool]:
    lines = ["| what | expected | arrived | missing | extra (twice, at another hour, unexpected) |",
             "| --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
    ok = True
    for kind in CHECKED:
        w = Counter({k: n for k, n in want.items() if k[0] == kind})
        g = Counter({k: n for k, n in got.items() if k[0] == kind})
        missing, extra = w - g, g - w
        ok = ok and not missing and not extra
        lines.append(f"| {kind} | {w.total()} | {g.total()} | {missing.total()} | {extra.total()} |")
    others = Counter(k[3].split(" ", 3)[0] for k in got.elements() if k[0] == "other")
    lines.append(f"| other (not checked) | – | {sum(others.values())} | – | – |")
    return lines, ok


def mismatches(want: Counter[Key], got: Counter[Key], limit: int = 15) -> list[str]:
    out = []
    for label, diff in (("missing", want - got), ("extra", got - want)):
        for key, n in sorted((k, n) for k, n in diff.items() if k[0] in CHECKED)[:limit]:
            kind, messenger, account, about, tick = key
            out.append(f"  {label}: {kind} ×{n} to {messenger}:{account} «{about}» at {tick.isoformat()}")
    return out


async def run(args: argparse.Namespace) -> int:
    start = args.start
    with tempfile.TemporaryDirectory() as folder:
        world = Sandbox(Path(folder) / "year.sqlite3", start=start, with_max=not args.no_max,
                        base_clock=StillClock(start))  # fmt: skip
        began = timer.perf_counter()
        await world.start()
        try:
            print(f"world up in {timer.perf_counter() - began:.1f} s", flush=True)
            began = timer.perf_counter()
            await load_programme(world, args.programme, with_max=not args.no_max)
            print(f"programme «{args.programme}» in {timer.perf_counter() - began:.1f} s; "
                  f"{len(world.personas)} personas", flush=True)  # fmt: skip
            now = world.now()
            whole = now.replace(minute=0, second=0, microsecond=0)
            if whole < now:  # where the demo left it: the move's hourly ticks fall on whole hours from here
                await world.move_clock(whole + HOUR)
            first = world.now()
            await world.tick()  # what is due at the present moment, as the scheduler's tick at start-up does
            until = datetime.combine(args.until, time(9, 0), tzinfo=world.tz).astimezone(UTC)
            days: list[float] = []
            ticks = 0
            began, cpu = timer.perf_counter(), timer.process_time()
            day = first.astimezone(world.tz).date()
            while True:
                day += timedelta(days=1)
                target = datetime.combine(day, time(9, 0), tzinfo=world.tz).astimezone(UTC)
                if target > until:
                    break
                step = timer.perf_counter()
                ticks += await world.move_clock(target)
                days.append(timer.perf_counter() - step)
                if len(days) % 30 == 0:
                    print(f"  {day.isoformat()}: {len(days)} days, {timer.perf_counter() - began:.1f} s", flush=True)
            total, cpu = timer.perf_counter() - began, timer.process_time() - cpu
            window = Window(first, world.now())
            titles = {r["title"] for r in await world.app.db.fetchall("SELECT DISTINCT title FROM campaigns")}
            want = await expected(world, window)
            got = observed(world, window, titles)
        finally:
            await world.stop()
    print()
    print(f"{first.astimezone(world.tz):%d.%m.%Y %H:%M} → {window.end.astimezone(world.tz):%d.%m.%Y %H:%M}: "
          f"{len(days)} days, {ticks} ticks, {total:.1f} s "
          f"(a day: median {statistics.median(days) * 1000:.0f} ms, max {max(days) * 1000:.0f} ms; "
          f"a tick {total / ticks * 1000:.1f} ms); CPU {cpu:.1f} s of this process")  # fmt: skip
    lines, ok = table(want, got)
    print("\n".join(lines))
    if not ok:
        print("MISMATCH:")
        print("\n".join(mismatches(want, got)))
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load average at the end {load}")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--programme", choices=("seeded", "empty", "demo"), default="seeded")
    parser.add_argument(
        "--start", type=lambda v: datetime.fromisoformat(v).replace(tzinfo=UTC),
        default=datetime(2026, 9, 1, 6, 0, tzinfo=UTC), help="a UTC moment (default: 1 September 2026, 09:00 MSK)",
    )  # fmt: skip
    parser.add_argument("--until", type=date.fromisoformat, default=date(2027, 5, 31))
    parser.add_argument("--no-max", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
