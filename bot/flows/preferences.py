"""The participant's preference survey after the group meeting: rank up to N people of the other side.

Only the names of the other side's candidates are shown (they met at the group meeting); nothing else about them.
Every press is one action that saves the choices so far, so a restart keeps them. The buttons carry `PrefCb`
(`bot.flows.notices`): `pf:start:<round>` under the scheduler's invitation, then pick / none / reset / done.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.flows.context import Ctx
from bot.flows.effects import Effect, Show, Toast
from bot.flows.events import Event, PressIn
from bot.flows.notices import PrefCb, Rows
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
from bot.i18n import Audience, esc, tr
from bot.pairs import Candidate


def screen_text(me: Candidate, options: list[Candidate], chosen: list[int], audience: Audience) -> str:
    """Whom to rank, and the ranking so far: names only."""
    limit = me.picks_allowed
    text = tr("pref-screen-mentor" if me.is_mentor else "pref-screen-mentee", audience=audience, n=limit)
    names = {c.id: c.name for c in options}
    lines = [f"{n}. {esc(names[pid])}" for n, pid in enumerate(chosen, start=1) if pid in names]
    if lines:
        text += tr("pref-chosen", audience=audience, lines="\n".join(lines))
    return text


def pref_rows(round_id: int, options: Sequence[tuple[int, str]], chosen: Sequence[int]) -> Rows:
    """A button per person of the other side (its rank «№n» once picked), then none / reset / done."""
    kb = Keyboard()
    rank = {pid: n for n, pid in enumerate(chosen, start=1)}
    for pid, name in options:
        mark = f"№{rank[pid]} " if pid in rank else ""
        kb.add(f"{mark}{name}"[:60], PrefCb(a="pick", r=round_id, c=pid))
    kb.add(tr("btn-pref-none"), PrefCb(a="none", r=round_id))
    kb.add(tr("btn-pref-reset"), PrefCb(a="reset", r=round_id))
    kb.add(tr("btn-pref-done"), PrefCb(a="done", r=round_id))
    return kb.adjust(*([1] * len(options)), 1, 2).rows()


async def on_pref(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    payload = PrefCb.unpack(event.payload)
    matching = ctx.repos.matching
    current = await matching.round(payload.r)
    participant = await ctx.repos.participants.by_account(ctx.person.messenger, ctx.person.account_id)
    if current is None or participant is None:
        return [Toast(tr("stale-button"))]
    if current.closed_at is not None:
        return [Toast(tr("pref-closed-for-you"), alert=True)]
    pool = await matching.round_pool(current)
    me = next((c for c in pool if c.id == participant.id), None)
    if me is None:
        return [Toast(tr("pref-closed-for-you"), alert=True)]
    options = [c for c in pool if c.is_mentor != me.is_mentor and c.id != me.id]
    offered = {c.id for c in options}
    chosen, _ = await matching.draft_choices(current.id, me.id)
    chosen = [pid for pid in chosen if pid in offered]
    action = payload.a
    if action == "none" or (action == "start" and not options):
        await matching.save_choices(current.id, me.id, [], submit=True)
        return [Show(Screen(tr("pref-thanks-none") if options else tr("pref-nobody")))]
    if action == "done":
        await matching.save_choices(current.id, me.id, chosen, submit=True)
        thanks = tr("pref-thanks", audience=participant.audience) if chosen else tr("pref-thanks-none")
        return [Show(Screen(thanks))]
    if action == "pick":
        if payload.c in chosen:
            chosen.remove(payload.c)
        elif payload.c not in offered:
            return [Toast(tr("stale-button"))]
        elif len(chosen) >= me.picks_allowed:
            return [Toast(tr("pref-limit", n=me.picks_allowed), alert=True)]
        else:
            chosen.append(payload.c)
        await matching.save_choices(current.id, me.id, chosen)
    elif action == "reset":
        chosen = []
        await matching.save_choices(current.id, me.id, chosen)
    elif action != "start":
        return [Toast(tr("stale-button"))]
    text = screen_text(me, options, chosen, participant.audience)
    return [Show(Screen(text, pref_rows(current.id, [(c.id, c.name) for c in options], chosen)))]


ROUTES = FlowRoutes(presses={PrefCb.prefix: on_pref})
