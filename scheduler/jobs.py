"""What comes due, derived from the database on every tick: reminders, check-ins, nudges, the digest.

Nothing is kept in memory between ticks and no job store is needed: every message is enqueued with a
dedup key naming what it is for (meeting, moment, offset, person), so a tick that runs twice, or after a
restart, queues nothing twice; a reminder that came due while the bot was down still goes out within
MISSED_GRACE.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import TypeVar

from bot.clock import Clock, iso
from bot.flows.campaign_launch import invite_latecomers, launch, until_text
from bot.flows.events import Person
from bot.flows.notices import campaign_answer_buttons, checkin_buttons, pref_start_buttons
from bot.flows.screens import Screen
from bot.i18n import Audience, esc, quoted, tr
from bot.meetings import StagePlan, quiet_level, stage_of_next_meeting
from bot.meetings.reminders import checkin_time, due, format_local, format_relative, reminder_times
from bot.monitoring import GROWTH_END, calendar_due, programme_year_of, survey_label
from bot.pairs import Pair, pair_label
from bot.questionnaires import Questionnaire
from bot.settings import Settings
from scheduler.notices import queue
from scheduler.roadmap_jobs import roadmap_reminders
from storage.campaigns import CampaignRepo
from storage.informing import InformingRepo
from storage.matching import MatchingRepo
from storage.meetings import MeetingRepo
from storage.outbox import Outbox
from storage.participants import ParticipantRepo
from storage.roadmap import RoadmapRepo

log = logging.getLogger(__name__)

T = TypeVar("T")

CHECKIN_WINDOW = timedelta(days=14)
LATE = timedelta(minutes=5)


class Jobs:
    def __init__(
        self,
        settings: Settings,
        clock: Clock,
        meetings: MeetingRepo,
        matching: MatchingRepo,
        participants: ParticipantRepo,
        outbox: Outbox,
        informing: InformingRepo,
        campaigns: CampaignRepo,
        questionnaires: dict[str, Questionnaire],
        roadmap: RoadmapRepo,
    ) -> None:
        self.roadmap = roadmap
        self.informing = informing
        self.campaigns = campaigns
        self.questionnaires = questionnaires
        self.settings = settings
        self.clock = clock
        self.meetings = meetings
        self.matching = matching
        self.participants = participants
        self.outbox = outbox
        self._running = asyncio.Lock()
        self._closed = False

    @property
    def tz(self) -> tzinfo:
        return self.settings.institution.tz

    @property
    def plan(self) -> StagePlan:
        return StagePlan(self.settings.schedule.work_meetings)

    async def tick(self) -> None:
        async with self._running:
            if not self._closed:
                await self._tick()

    async def close(self) -> None:
        """Let a tick in progress finish and refuse later ones (at shutdown, before the database closes)."""
        self._closed = True
        async with self._running:
            pass

    async def _tick(self) -> None:
        """Every job on its own: one that raises is logged under its name and the others still run (and it
        is tried again on the next tick)."""
        now = self.clock.now()
        steps: list[tuple[str, Callable[[], Awaitable[object]]]] = []
        pairs = await self._run("pairs", self._pairs)
        if pairs is not None:
            steps += [
                ("reminders", lambda: self.reminders(now, pairs)),
                ("checkins", lambda: self.checkins(now, pairs)),
                ("quiet_pairs", lambda: self.quiet_pairs(now, pairs)),
                ("digest", lambda: self.digest(now, pairs)),
            ]
        steps += [
            ("broadcast_reports", self.broadcast_reports),
            ("campaign_calendar", lambda: self.campaign_calendar(now)),
            ("campaign_nudges", lambda: self.campaign_nudges(now)),
            ("campaign_closing", lambda: self.campaign_closing(now)),
            ("preference_nudges", lambda: self.preference_nudges(now)),
            ("roadmap_reminders", lambda: roadmap_reminders(self.roadmap, self.outbox, self.settings, now)),
        ]
        for name, step in steps:
            await self._run(name, step)

    async def _run(self, name: str, step: Callable[[], Awaitable[T]]) -> T | None:
        try:
            return await step()
        except Exception:
            log.exception("tick job %s failed; the other jobs go on", name)
            return None

    async def _pairs(self) -> dict[int, Pair]:
        return {p.id: p for p in await self.matching.pairs()}

    def curators(self) -> list[Person]:
        """Every curator now, each on their own messenger (the curators' notices, reports and digest)."""
        return self.settings.roster.people()

    async def _audiences(self) -> dict[int, Audience]:
        """Participant id -> how to speak to them: every notice is worded for its receiver."""
        return {p.id: p.audience for p in await self.participants.all_consented()}

    async def reminders(self, now: datetime, pairs: dict[int, Pair]) -> None:
        schedule = self.settings.schedule
        if not schedule.reminder_offsets:
            return
        horizon = max(schedule.reminder_offsets) + timedelta(days=1)
        for meeting in await self.meetings.planned_between(now, now + horizon):
            pair = pairs.get(meeting.pair_id)
            if pair is None:
                continue
            slots = reminder_times(
                meeting.starts_at,
                schedule.reminder_offsets,
                schedule.quiet_hours,
                self.tz,
                not_before=meeting.updated_at,
            )
            for offset, send_at in slots:
                if send_at > now or due(send_at, now, schedule.missed_grace) != "send":
                    continue
                # A reminder sent late (the bot was down) tells the time really left.
                reference = send_at if now - send_at <= LATE else now
                notice = Screen(tr(
                    "reminder",
                    relative=format_relative(meeting.starts_at - reference.replace(second=0, microsecond=0)),
                    stage=meeting.stage.label,
                    when=format_local(meeting.starts_at, self.tz),
                    place=esc(meeting.place),
                ))
                for person in pair.people:
                    key = f"rem:{meeting.id}:{iso(meeting.starts_at)}:{int(offset.total_seconds())}:{person.id}"
                    await queue(self.outbox, person.person, notice, kind="reminder", dedup_key=key)

    async def checkins(self, now: datetime, pairs: dict[int, Pair]) -> None:
        schedule = self.settings.schedule
        for meeting, done in await self.meetings.missing_checkins(now - CHECKIN_WINDOW, now):
            ask_at = checkin_time(meeting.starts_at, schedule.checkin_after, schedule.quiet_hours, self.tz)
            pair = pairs.get(meeting.pair_id)
            if ask_at > now or pair is None:
                continue
            notice = Screen(
                tr("checkin-ask", stage=meeting.stage.label, when=format_local(meeting.starts_at, self.tz)),
                checkin_buttons(meeting.id),
            )
            for person in pair.people:
                if person.id in done:
                    continue
                key = f"chk:{meeting.id}:{iso(meeting.starts_at)}:{person.id}"
                await queue(self.outbox, person.person, notice, kind="checkin", dedup_key=key)

    async def quiet_pairs(self, now: datetime, pairs: dict[int, Pair]) -> None:
        days = self.settings.schedule.inactivity_days
        last_held = await self.meetings.last_held()
        held = await self.meetings.held_by_pair()
        planned = await self.meetings.pairs_with_planned()
        for pair in pairs.values():
            last = last_held.get(pair.id)
            if stage_of_next_meeting(held.get(pair.id, []), self.plan) is None:
                continue
            level = quiet_level(last, pair.confirmed_at, now, days)
            if level == "ok" or pair.mentor is None:
                continue
            since = max(pair.confirmed_at, last) if last else pair.confirmed_at
            silent = (now - since).days
            if pair.id not in planned:
                key = f"nudge:{pair.id}:{iso(since)}"
                mentor = await self.participants.get(pair.mentor.id)
                audience = mentor.audience if mentor is not None else Audience.ADULT
                notice = Screen(tr("nudge-mentor", audience=audience, days=silent))
                await queue(self.outbox, pair.mentor.person, notice, kind="nudge", dedup_key=key)
            if level == "alert_curator":
                mentees = ", ".join(m.name if m else tr("pair-withdrawn") for m in pair.mentees) or "—"
                alert = Screen(tr("alert-quiet",
                    kind=pair.kind,
                    pair=pair.id,
                    mentor=esc(pair.mentor.name),
                    mentees=esc(mentees),
                    days=silent,
                ))
                for curator in self.curators():
                    key = f"quiet:{pair.id}:{iso(since)}:{curator.account_id}"
                    await queue(
                        self.outbox, curator, alert, kind="alert", dedup_key=key, about=[p.id for p in pair.people]
                    )

    async def campaign_calendar(self, now: datetime) -> None:
        """Open the programme calendar's standard campaigns (once each: the calendar key is unique), telling
        the curators who was asked, and ask later pairs while a campaign is open."""
        today = now.astimezone(self.tz).date()
        monitoring = self.settings.monitoring
        # A pair formed a minute ago cannot judge the programme: only pairs that have worked long enough.
        min_pair_age = timedelta(weeks=monitoring.campaign_min_pair_weeks)
        for entry, _opens, closes in calendar_due(monitoring.campaign_calendar, today):
            closes_at = datetime.combine(closes, time(0, 0), tzinfo=self.tz).astimezone(UTC)
            await launch(
                self.campaigns,
                self.outbox,
                self.questionnaires,
                self.tz,
                survey=entry.survey,
                kind=GROWTH_END if entry.survey == "growth" else entry.survey,
                segment="active",
                title=survey_label(entry.survey),
                opens_at=now,
                closes_at=closes_at,
                created_by=None,
                calendar_key=entry.key(programme_year_of(today)),
                min_pair_age=min_pair_age,
                report_to=self.curators(),
            )
        # Pairs formed after a launch, or grown old enough since, are asked while the campaign is open.
        await invite_latecomers(
            self.campaigns,
            self.outbox,
            self.questionnaires,
            self.tz,
            now,
            min_pair_age=min_pair_age,
            report_to=self.curators(),
        )

    async def preference_nudges(self, now: datetime) -> None:
        """Remind those who have not answered an open preference survey, every NUDGE_EVERY after it opened."""
        every = self.settings.monitoring.nudge_every
        for current in await self.matching.open_rounds():
            periods = int((now - current.opened_at) / every)
            if periods < 1:
                continue
            answered = await self.matching.submitted(current.id)
            buttons = pref_start_buttons(current.id)
            # A candidate of the round names only the account id: the participant's row says the messenger.
            consented = {p.id: p for p in await self.participants.all_consented()}
            for person in await self.matching.round_pool(current):
                if person.id in answered or person.id not in consented:
                    continue
                participant = consented[person.id]
                await queue(
                    self.outbox,
                    participant.person,
                    Screen(tr("pref-reminder", audience=participant.audience), buttons),
                    kind="preferences",
                    dedup_key=f"prefnudge:{current.id}:{person.id}:{periods}",
                )

    async def campaign_nudges(self, now: datetime) -> None:
        pendings = await self.campaigns.to_nudge(now, self.settings.monitoring.nudge_every)
        audiences = await self._audiences() if pendings else {}
        for pending in pendings:
            text = tr(
                "campaign-nudge",
                audience=audiences.get(pending.participant_id, Audience.ADULT),
                title=esc(quoted(pending.campaign.title)),
                until=until_text(pending.campaign.closes_at, self.tz),
            )
            await queue(
                self.outbox,
                pending.person,
                Screen(text, campaign_answer_buttons(pending.campaign.id)),
                kind="campaign",
                dedup_key=f"cnudge:{pending.campaign.id}:{pending.participant_id}:{now.date().isoformat()}",
            )
            await self.campaigns.mark_nudged(pending.campaign.id, pending.participant_id)

    async def campaign_closing(self, now: datetime) -> None:
        due = await self.campaigns.due_to_close(now)
        if not due:
            return
        rates = {c.id: (total, done) for c, total, done in await self.campaigns.response_rates()}
        for campaign in due:
            if not await self.campaigns.close(campaign.id):
                continue
            total, done = rates.get(campaign.id, (0, 0))
            report = Screen(tr("campaign-closed-report", title=esc(campaign.title), done=done, total=total))
            for curator in self.curators():
                key = f"cclosed:{campaign.id}:{curator.account_id}"
                await queue(self.outbox, curator, report, kind="report", dedup_key=key)

    async def broadcast_reports(self) -> None:
        for report in await self.informing.finished_unreported():
            notice = Screen(tr("broadcast-report",
                id=report.id,
                sent=report.counts.get("sent", 0),
                blocked=report.counts.get("blocked", 0),
                failed=report.counts.get("failed", 0),
            ))
            await queue(
                self.outbox, report.curator, notice, kind="report", dedup_key=f"broadcast-report:{report.id}"
            )
            await self.informing.mark_reported(report.id)

    async def digest(self, now: datetime, pairs: dict[int, Pair]) -> None:
        local = now.astimezone(self.tz)
        if local.time() < self.settings.schedule.digest_time or not self.curators():
            return
        day_start = datetime.combine(local.date(), datetime.min.time(), tzinfo=self.tz)
        today = await self.meetings.planned_between(day_start, day_start + timedelta(days=1))
        lines = "".join(
            tr("digest-line",
                time=m.starts_at.astimezone(self.tz).strftime("%H:%M"),
                pair=pair_label(pairs[m.pair_id]) if m.pair_id in pairs else tr("who-pair", id=m.pair_id),
                stage=m.stage.label,
            )
            for m in today[:20]
        )
        missing = sum(
            1
            for meeting, done in await self.meetings.missing_checkins(now - CHECKIN_WINDOW, now)
            if meeting.starts_at + self.settings.schedule.checkin_after <= now and not done
        )
        last_held = await self.meetings.last_held()
        days = self.settings.schedule.inactivity_days
        quiet = sum(1 for p in pairs.values() if quiet_level(last_held.get(p.id), p.confirmed_at, now, days) != "ok")
        pending = await self.participants.pending_consents()
        digest = Screen(tr("digest",
            date=local.strftime("%d.%m.%Y"),
            today=len(today),
            lines=lines,
            missing=missing,
            days=days,
            quiet=quiet,
            pending=pending,
        ))
        for curator in self.curators():
            key = f"digest:{local.date().isoformat()}:{curator.account_id}"
            await queue(self.outbox, curator, digest, kind="digest", dedup_key=key)
