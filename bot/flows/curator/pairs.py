"""/pairs: the list of pairs and groups, a pair's card, dissolving one with a reason (a dialog), finishing the
programme year (every pair thanked, with «Участвую в следующем году») and the archive of past years (their pairs,
who takes part next year, their summary, charts and export).

Commands: /pairs. Presses: `PairPayload` (pr), `ArchivePayload` (ya; an archived year's reports go to the reports
flow). Dialog: `DissolvePair:reason`. Each is one action: the rows, the audit entry and the notices to the pair's
people (`Notify`) commit together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from bot.flows.context import Ctx
from bot.flows.curator.reports import archive_buttons, curator_only, on_archive_report, press_of
from bot.flows.effects import Effect, Notify, Show, Toast
from bot.flows.events import Event, Messenger, Person, TextIn
from bot.flows.payloads import ArchivePayload, PairPayload, Payload
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Button, Keyboard, Screen
from bot.i18n import Audience, esc, tr
from bot.pairs import Pair
from bot.programme import ArchivedYear, programme_year

#: The dissolving dialog's state (handlers.states.DissolvePair.reason).
DISSOLVE_REASON = "DissolvePair:reason"
#: Items a page of a paged list holds.
PAGE = 8

Rows = tuple[tuple[Button, ...], ...]


class RenewPayload(Payload, prefix="yn"):
    """«Участвую в следующем году» under the thank-you notice (the renewal flow's handlers.kb.years.RenewCb)."""

    y: int


# --- shared by the curator's lists ------------------------------------------------------------------------------
def paged(
    items: Sequence[tuple[str, Payload]],
    page: int,
    page_cb: Callable[[int], Payload],
    tail: Sequence[tuple[str, Payload]] = (),
) -> Rows:
    """Items one per row, PAGE at a time, with ‹ › buttons, then the `tail` buttons."""
    kb = Keyboard()
    pages = max(1, (len(items) + PAGE - 1) // PAGE)
    page = min(max(page, 0), pages - 1)
    shown = items[page * PAGE : (page + 1) * PAGE]
    for label, payload in shown:
        kb.add(label[:60], payload)
    widths = [1] * len(shown)
    nav = 0
    if page > 0:
        kb.add(tr("btn-prev"), page_cb(page - 1))
        nav += 1
    if page < pages - 1:
        kb.add(tr("btn-next"), page_cb(page + 1))
        nav += 1
    if nav:
        widths.append(nav)
    for label, payload in tail:
        kb.add(label, payload)
    widths += [1] * len(tail)
    return kb.adjust(*widths).rows()


async def reader(ctx: Ctx, participant_id: int, account: int | Person) -> tuple[Person, Audience]:
    """Who a notice goes to (on their messenger) and how it speaks to them: «ты» to a pupil, «вы» to an adult
    (and to someone already gone: `account`, a bare id being a Telegram one)."""
    person = await ctx.repos.participants.get(participant_id)
    if person is None:
        return (account if isinstance(account, Person) else Person(Messenger.TELEGRAM, account)), Audience.ADULT
    return person.person, person.audience


def _mentees(names: list[str]) -> str:
    return ", ".join(names) or "—"


def _items(pairs: list[Pair], card: Callable[[int], Payload]) -> list[tuple[str, Payload]]:
    return [(f"№{p.id} {(p.mentor.name if p.mentor else tr('pair-withdrawn'))}", card(p.id)) for p in pairs]


def _lines(pairs: list[Pair]) -> str:
    lines, form = [], None
    for pair in pairs:
        if pair.form != form:
            form = pair.form
            lines.append(tr("pairs-form", form=form.label))
        names = [m.name if m else tr("pair-withdrawn") for m in pair.mentees]
        mentor = pair.mentor.name if pair.mentor else tr("pair-withdrawn")
        lines.append(tr("pairs-line", n=pair.id, mentor=esc(mentor), mentees=esc(_mentees(names))))
    body = "".join(lines)
    if len(body) > 3500:
        body = body[:3500].rsplit("\n", 1)[0] + "\n…"
    return body


def _day(ctx: Ctx, moment: Any) -> str:
    return moment.astimezone(ctx.repos.settings.institution.tz).strftime("%d.%m.%Y")


# --- the screens ------------------------------------------------------------------------------------------------
async def pairs_list(ctx: Ctx, page: int = 0) -> Screen:
    """The current pairs with the finish button, and the archived years' buttons."""
    matching: Any = ctx.repos.matching
    pairs = await matching.pairs()
    archive = archive_buttons(await matching.years(), "pairs")
    if not pairs:
        return Screen(tr("pairs-empty"), paged([], 0, lambda p: PairPayload(a="list", id=p), archive))
    tail = [(tr("btn-finish-year"), PairPayload(a="finish")), *archive]
    items = _items(pairs, lambda pid: PairPayload(a="card", id=pid))
    rows = paged(items, page, lambda p: PairPayload(a="list", id=p), tail)
    return Screen(tr("pairs-list", count=len(pairs), lines=_lines(pairs)), rows)


def pair_card(ctx: Ctx, pair: Pair) -> Screen:
    names = [m.name if m else tr("pair-withdrawn") for m in pair.mentees]
    text = tr("pair-card",
        kind=tr("kind-group") if pair.is_group else tr("kind-pair"),
        id=pair.id,
        form=pair.form.label,
        mentor=esc(pair.mentor.name if pair.mentor else tr("pair-withdrawn")),
        mentees=esc(_mentees(names)),
        date=_day(ctx, pair.confirmed_at),
    )
    kb = Keyboard()
    if pair.dissolved_at is None:
        kb.add(tr("btn-dissolve"), PairPayload(a="dis", id=pair.id))
    kb.add(tr("btn-to-pairs"), PairPayload(a="list"))
    return Screen(text, kb.rows())


async def archive_list(ctx: Ctx, year: ArchivedYear, page: int) -> Screen:
    """The pairs an archived year ended with (their cards open as any pair's)."""
    pairs = await ctx.repos.matching.pairs(year=year.id)  # type: ignore[attr-defined]
    if not pairs:
        return Screen(tr("archive-pairs-empty", year=year.label))
    text = tr("archive-pairs-list",
        year=year.label, count=len(pairs), date=_day(ctx, year.finished_at), lines=_lines(pairs)
    )
    items = _items(pairs, lambda pair_id: ArchivePayload(a="card", y=year.id, p=pair_id))
    return Screen(text, paged(items, page, lambda p: ArchivePayload(a="pairs", y=year.id, p=p)))


async def archive_card(ctx: Ctx, year: ArchivedYear, pair: Pair) -> Screen:
    """An archived pair, with who of its people confirmed the next year and a button for each who has not (they
    told the curator)."""
    renewals = await ctx.repos.matching.renewals(year.id)  # type: ignore[attr-defined]
    names = [m.name if m else tr("pair-withdrawn") for m in pair.mentees]
    lines = "\n".join(
        tr("archive-renewal-line",
            name=esc(p.name), state=tr(f"archive-renewal-states-{renewals.get(p.id) or 'none'}")
        )
        for p in pair.people
    )
    text = tr("archive-pair-card",
        kind=tr("kind-group") if pair.is_group else tr("kind-pair"),
        id=pair.id,
        form=pair.form.label,
        year=year.label,
        mentor=esc(pair.mentor.name if pair.mentor else tr("pair-withdrawn")),
        mentees=esc(_mentees(names)),
        start=_day(ctx, pair.confirmed_at),
        end=_day(ctx, year.finished_at),
        renewals=lines or tr("summary-none"),
    )
    kb = Keyboard()
    for person in pair.people:
        if person.id not in renewals:
            label = tr("btn-archive-renew", name=person.name)[:60]
            kb.add(label, ArchivePayload(a="renew", y=year.id, p=pair.id, q=person.id))
    kb.add(tr("btn-to-pairs"), ArchivePayload(a="pairs", y=year.id))
    return Screen(text, kb.rows())


# --- the events -------------------------------------------------------------------------------------------------
@curator_only
async def on_pairs(ctx: Ctx, event: Event) -> list[Effect]:
    """/pairs."""
    await ctx.repos.audit.record(ctx.person.account_id, "pairs.list")
    return [Show(await pairs_list(ctx), edit=False)]


def _year_label(ctx: Ctx, pairs: list[Pair]) -> str:
    """The programme year being finished: the one its first pair was confirmed in (a year finished in June or
    late, in September, is still the year it began)."""
    started = min((p.confirmed_at for p in pairs), default=ctx.repos.clock.now())
    return programme_year(started.astimezone(ctx.repos.settings.institution.tz).date())


@curator_only
async def on_pair(ctx: Ctx, event: Event) -> list[Effect]:
    """A button of /pairs: a page of the list, a card, dissolving, finishing the year."""
    data = PairPayload.unpack(press_of(event).payload)
    matching: Any = ctx.repos.matching
    if data.a == "list":
        return [Show(await pairs_list(ctx, data.id))]
    if data.a == "finish":
        pairs = await matching.pairs()
        # The button carries how many years were archived then: a confirmation left in the chat cannot finish
        # the next year.
        kb = Keyboard().add(tr("btn-finish-ok"), PairPayload(a="finish_ok", id=len(await matching.years())))
        kb.add(tr("btn-cancel"), PairPayload(a="list")).adjust(2)
        return [Show(Screen(tr("finish-confirm", count=len(pairs), year=_year_label(ctx, pairs)), kb.rows()))]
    if data.a == "finish_ok":
        if data.id != len(await matching.years()):
            return [Toast(tr("stale-button"))]
        return await _finish(ctx)
    pair = await matching.pair(data.id)
    if pair is None:
        return [Toast(tr("stale-button"))]
    if data.a == "dis" and pair.dissolved_at is None:
        await ctx.dialog.set_state(DISSOLVE_REASON)
        await ctx.dialog.set_data({"pair": pair.id})
        return [Show(Screen(tr("dissolve-ask-reason", id=pair.id)), edit=False)]
    await ctx.repos.audit.record(ctx.person.account_id, "pair.card", str(pair.id))
    return [Show(pair_card(ctx, pair))]


async def _finish(ctx: Ctx) -> list[Effect]:
    """The year ends: its pairs closed and archived, each of their people thanked with «Участвую в следующем
    году»."""
    matching: Any = ctx.repos.matching
    curator = ctx.person.account_id
    label = _year_label(ctx, await matching.pairs())
    done = await matching.finish_year(label, curator, tr("finish-reason"))
    if done is None:
        return [Show(Screen(tr("finish-nothing")))]
    year, closed = done
    pairs = await matching.pairs(active=False, ids=closed) if closed else []
    effects: list[Effect] = []
    renew = Keyboard().add(tr("btn-renew"), RenewPayload(y=year.id)).rows()
    for pair in pairs:
        for member in pair.people:
            to, audience = await reader(ctx, member.id, member.person)
            effects.append(Notify(to, Screen(tr("finished-notice", audience=audience), renew)))
    renewed = await matching.renewed(year.id)
    await ctx.repos.audit.record(curator, "pairs.finish_year", year.label, {"pairs": len(closed)})
    return [Show(Screen(tr("finished", year=year.label, count=len(closed), renewed=renewed))), *effects]


@curator_only
async def on_archive(ctx: Ctx, event: Event) -> list[Effect]:
    """An archived year: its pairs (a page of them), a pair's card, a participant who takes part next year (they
    told the curator), its summary, charts or export."""
    data = ArchivePayload.unpack(press_of(event).payload)
    matching: Any = ctx.repos.matching
    curator = ctx.person.account_id
    year = next((y for y in await matching.years() if y.id == data.y), None)
    if year is None or data.a not in ("pairs", "card", "renew", "summary", "charts", "export"):
        return [Toast(tr("stale-button"))]
    if data.a == "pairs":
        await ctx.repos.audit.record(curator, "pairs.archive", year.label)
        return [Show(await archive_list(ctx, year, data.p))]
    if data.a in ("card", "renew"):
        pair = next((p for p in await matching.pairs(year=year.id) if p.id == data.p), None)
        if pair is None:
            return [Toast(tr("stale-button"))]
        if data.a == "renew" and data.q in {p.id for p in pair.people}:
            await matching.renew(data.q, year.id, "curator")
            await ctx.repos.audit.record(curator, "year.renew", str(data.q), {"year": year.label})
        else:
            await ctx.repos.audit.record(curator, "pair.card", str(pair.id))
        return [Show(await archive_card(ctx, year, pair))]
    return await on_archive_report(ctx, year, data.a)


@curator_only
async def on_dissolve_reason(ctx: Ctx, event: Event) -> list[Effect]:
    """The reason of a dissolving: the pair ends, and each of its people is told why."""
    if not isinstance(event, TextIn):
        return [Show(Screen(tr("dissolve-bad-reason")), edit=False)]
    reason = " ".join(event.text.split())
    if not 3 <= len(reason) <= 300:
        return [Show(Screen(tr("dissolve-bad-reason")), edit=False)]
    matching: Any = ctx.repos.matching
    data = await ctx.dialog.get_data()
    await ctx.dialog.clear()
    pair = await matching.pair(int(data.get("pair", 0)))
    if pair is None or not await matching.dissolve(pair.id, reason):
        return [Show(Screen(tr("stale-button")), edit=False)]
    await ctx.repos.audit.record(ctx.person.account_id, "pair.dissolve", str(pair.id), {"reason": reason})
    # The curator's reason may name one of them: a withdrawal of any of them takes these notices too.
    people = tuple(p.id for p in pair.people)
    effects: list[Effect] = [Show(Screen(tr("dissolved", id=pair.id)), edit=False)]
    for member in pair.people:
        to, audience = await reader(ctx, member.id, member.person)
        effects.append(Notify(to, Screen(tr("dissolved-notice", audience=audience, reason=esc(reason))), about=people))
    return effects


ROUTES = FlowRoutes(
    commands={"pairs": on_pairs},
    presses={PairPayload.prefix: on_pair, ArchivePayload.prefix: on_archive},
    dialogs={DISSOLVE_REASON.split(":", 1)[0]: on_dissolve_reason},
)
