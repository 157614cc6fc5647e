"""Opening a campaign: recipients fixed and invitations queued in one transaction — shared by /campaign (the
curator's flow, `bot.flows.curator.campaigns`), pair confirmation and the programme calendar (the scheduler).

The campaigns' repository is the app's (storage.campaigns.CampaignRepo): it writes the campaign, its recipients
and the invitation's outbox rows (`Invitation`) in its transaction, which joins the caller's when there is one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from bot.clock import iso
from bot.flows.events import Messenger, Person
from bot.flows.notices import campaign_answer_buttons, stored_buttons
from bot.i18n import Audience, esc, quoted, tr
from bot.monitoring import questionnaire_for
from bot.programme import Role
from bot.questionnaires import Questionnaire

#: The app's repositories (storage.campaigns.CampaignRepo, storage.outbox.Outbox, storage.campaigns.Campaign and
#: Recipient), which the domain does not import: what is used of them is named where it is used.
CampaignRepo = Any
Outbox = Any
Campaign = Any
Recipient = Any


@dataclass(frozen=True)
class Report:
    to: Person  # a curator, on their messenger
    dedup_key: str
    text: str
    about: tuple[int, ...] = ()  # the participants it names (their withdrawal deletes it)


@dataclass(frozen=True)
class Invitation:
    """The message every recipient gets when a campaign opens, queued in the campaign's own transaction.

    Its buttons name the campaign, whose id is known only inside that transaction: hence `markup(id)`.
    """

    outbox: Outbox
    text: str
    markup: Callable[[int], dict[str, Any] | None]
    people: Mapping[int, Person]  # participant id -> who they are on their messenger
    reports: Sequence[Report] = ()  # to the curators: who was asked, queued in the same transaction
    texts: Mapping[int, str] = field(default_factory=dict)  # participant id -> their own wording of `text`

    def groups(
        self, campaign_id: int, participant_ids: Sequence[int]
    ) -> dict[tuple[str, Messenger], list[tuple[int, str | None]]]:
        """The invitations to queue, by text and messenger: each recipient's chat and dedup key under their
        wording, on their messenger."""
        out: dict[tuple[str, Messenger], list[tuple[int, str | None]]] = {}
        for pid in participant_ids:
            to = self.people[pid]
            group = out.setdefault((self.texts.get(pid, self.text), to.messenger), [])
            group.append((to.account_id, f"cinv:{campaign_id}:{pid}"))
        return out


def answer_markup(campaign_id: int) -> dict[str, Any] | None:
    """The «Ответить» button of a campaign's invitation or reminder, as the outbox stores it."""
    return stored_buttons(campaign_answer_buttons(campaign_id))


def until_text(closes_at: datetime, tz: tzinfo) -> str:
    return closes_at.astimezone(tz).strftime("%d.%m.%Y")


def _invitations(title: str, until: str, asked: list[tuple[Recipient, str]]) -> dict[int, str]:
    """Participant id -> the campaign's invitation worded for them («Ответь…» to a pupil, «Ответьте…»)."""
    texts = {
        audience: tr("campaign-invite", audience=audience, title=esc(title), until=until) for audience in Audience
    }
    return {p.participant_id: texts[p.audience] for p, _ in asked}


@dataclass(frozen=True)
class Launched:
    """What a launch did: the campaign (None if nobody was asked or its calendar key existed), who was asked,
    and who is not asked yet because their pair is too new, with the moment they may be."""

    campaign_id: int | None
    asked: list[Recipient] = field(default_factory=list)
    waiting: list[tuple[Recipient, datetime]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.asked) if self.campaign_id is not None else 0


#: At most this many names in a curator's report (the rest are counted).
REPORT_NAMES = 50


def _names(people: list[Recipient]) -> str:
    lines = [
        tr("campaign-report-name", name=esc(p.name), role=Role(p.role).label)
        for p in people[:REPORT_NAMES]
    ]
    if len(people) > REPORT_NAMES:
        lines.append(tr("campaign-report-more", count=len(people) - REPORT_NAMES))
    return "\n".join(lines)


def _waiting(waiting: list[tuple[Recipient, datetime]], closes_at: datetime, weeks: int, tz: tzinfo) -> str:
    if not waiting:
        return ""
    lines = []
    for person, ready in waiting[:REPORT_NAMES]:
        msg_id = "campaign-waiting-line" if ready < closes_at else "campaign-waiting-too-late"
        lines.append(tr(msg_id, name=esc(person.name), role=Role(person.role).label, date=until_text(ready, tz)))
    if len(waiting) > REPORT_NAMES:
        lines.append(tr("campaign-report-more", count=len(waiting) - REPORT_NAMES))
    return tr("campaign-waiting", weeks=weeks, count=len(waiting), lines="\n".join(lines))


def _asked_split(
    people: list[Recipient],
    survey: str,
    questionnaires: dict[str, Questionnaire],
    since: dict[int, datetime] | None,
    asked_before: datetime | None,
) -> tuple[list[tuple[Recipient, str]], list[Recipient]]:
    """(those to ask now with their questionnaire, those whose pair is too new); others are not asked."""
    asked, too_new = [], []
    for person in people:
        questionnaire = questionnaire_for(survey, person.role, questionnaires)
        if questionnaire is None:
            continue
        if since is not None and asked_before is not None:
            paired = since.get(person.participant_id)
            if paired is None:
                continue
            if paired > asked_before:
                too_new.append(person)
                continue
        asked.append((person, questionnaire.id))
    return asked, too_new


async def launch(
    campaigns: CampaignRepo,
    outbox: Outbox,
    questionnaires: dict[str, Questionnaire],
    tz: tzinfo,
    *,
    survey: str,
    kind: str,
    segment: str,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    created_by: int | None,
    calendar_key: str | None = None,
    min_pair_age: timedelta | None = None,
    report_to: Sequence[Person] = (),
) -> Launched:
    """Create the campaign and invite its recipients.

    `min_pair_age` asks only those whose pair or group has worked that long (the calendar's campaigns: a pair
    formed a minute ago cannot judge the programme); the others are named in the report to `report_to` (the
    curators), queued with the campaign, as those asked later (`invite_latecomers`).
    """
    people = await campaigns.segment(segment)
    since = await campaigns.paired_since() if min_pair_age is not None else None
    asked_before = opens_at - min_pair_age if min_pair_age is not None else None
    asked, too_new = _asked_split(people, survey, questionnaires, since, asked_before)
    if not asked:
        return Launched(None)
    waiting = (
        [(p, since[p.participant_id] + min_pair_age) for p in too_new]
        if since is not None and min_pair_age is not None
        else []
    )
    until = until_text(closes_at, tz)
    reports = []
    if report_to:
        weeks = int(min_pair_age / timedelta(weeks=1)) if min_pair_age else 0
        text = tr("campaign-launch-report",
            title=esc(quoted(title)),
            until=until,
            count=len(asked),
            names=_names([p for p, _ in asked]),
            waiting=_waiting(waiting, closes_at, weeks, tz),
        )
        about = tuple(sorted({p.participant_id for p, _ in asked} | {p.participant_id for p, _ in waiting}))
        key = calendar_key or f"{survey}:{iso(opens_at)}"
        reports = [Report(to, f"claunch:{key}:{to.account_id}", text, about) for to in report_to]
    campaign_id = await campaigns.create(
        survey=survey,
        kind=kind,
        segment=segment,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
        recipients=[(p.participant_id, questionnaire_id) for p, questionnaire_id in asked],
        calendar_key=calendar_key,
        invitation=Invitation(
            outbox=outbox,
            text=tr("campaign-invite", audience=Audience.ADULT, title=esc(title), until=until),
            markup=answer_markup,
            people={p.participant_id: p.person for p, _ in asked},
            reports=reports,
            texts=_invitations(title, until, asked),
        ),
    )
    if campaign_id is None:
        return Launched(None)
    return Launched(campaign_id, [p for p, _ in asked], waiting)


async def waiting_for(
    campaigns: CampaignRepo,
    questionnaires: dict[str, Questionnaire],
    campaign: Campaign,
    now: datetime,
    min_pair_age: timedelta,
) -> list[tuple[Recipient, datetime]]:
    """Those of an open calendar campaign's segment not asked yet because their pair is too new, each with the
    moment it will have worked `min_pair_age` (they are asked then if the campaign is still open)."""
    already = await campaigns.recipient_ids(campaign.id)
    people = [p for p in await campaigns.segment(campaign.segment) if p.participant_id not in already]
    since = await campaigns.paired_since()
    _asked, too_new = _asked_split(people, campaign.survey, questionnaires, since, now - min_pair_age)
    return [(p, since[p.participant_id] + min_pair_age) for p in too_new]


async def invite_latecomers(
    campaigns: CampaignRepo,
    outbox: Outbox,
    questionnaires: dict[str, Questionnaire],
    tz: tzinfo,
    now: datetime,
    *,
    min_pair_age: timedelta,
    report_to: Sequence[Person] = (),
) -> dict[int, list[int]]:
    """Invite to each open calendar campaign of all pairs those of a pair formed after its launch, or grown old
    enough since (`min_pair_age`); each once, with the curators told who. Campaign id -> participants added."""
    done: dict[int, list[int]] = {}
    open_campaigns = await campaigns.open_calendar(now)
    if not open_campaigns:
        return done
    since = await campaigns.paired_since()
    for campaign in open_campaigns:
        already = await campaigns.recipient_ids(campaign.id)
        people = [p for p in await campaigns.segment(campaign.segment) if p.participant_id not in already]
        asked, _too_new = _asked_split(people, campaign.survey, questionnaires, since, now - min_pair_age)
        if not asked:
            continue
        first = min(p.participant_id for p, _ in asked)
        text = tr("campaign-late-report",
            title=esc(quoted(campaign.title)),
            until=until_text(campaign.closes_at, tz),
            count=len(asked),
            names=_names([p for p, _ in asked]),
        )
        about = tuple(sorted(p.participant_id for p, _ in asked))
        until = until_text(campaign.closes_at, tz)
        added = await campaigns.add_recipients(
            campaign.id,
            [(p.participant_id, questionnaire_id) for p, questionnaire_id in asked],
            Invitation(
                outbox=outbox,
                text=tr("campaign-invite", audience=Audience.ADULT, title=esc(campaign.title), until=until),
                markup=answer_markup,
                people={p.participant_id: p.person for p, _ in asked},
                reports=[
                    Report(to, f"clate:{campaign.id}:{first}:{to.account_id}", text, about) for to in report_to
                ],
                texts=_invitations(campaign.title, until, asked),
            ),
        )
        if added:
            done[campaign.id] = added
    return done
