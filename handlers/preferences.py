"""The participant's preference survey after the group meeting: rank up to N people of the other side.

Only the names of the other side's candidates are shown (they met at the group meeting); nothing else
about them. Every press is saved, so a restart keeps the choices made so far.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import Audience, esc, tr
from bot.pairs import Candidate
from handlers.kb.matching import PrefCb, pref_keyboard
from handlers.ui import show
from storage.matching import MatchingRepo, PreferenceRound
from storage.participants import ParticipantRepo


def _screen(me: Candidate, options: list[Candidate], chosen: list[int], audience: Audience) -> str:
    limit = me.picks_allowed
    text = tr("pref-screen-mentor" if me.is_mentor else "pref-screen-mentee", audience=audience, n=limit)
    names = {c.id: c.name for c in options}
    lines = [f"{n}. {esc(names[pid])}" for n, pid in enumerate(chosen, start=1) if pid in names]
    if lines:
        text += tr("pref-chosen", audience=audience, lines="\n".join(lines))
    return text


async def on_pref(
    query: CallbackQuery,
    callback_data: PrefCb,
    participants: ParticipantRepo,
    matching: MatchingRepo,
    callback_answer: CallbackAnswer,
) -> None:
    current: PreferenceRound | None = await matching.round(callback_data.r)
    participant = await participants.by_telegram(query.from_user.id)
    if current is None or participant is None:
        callback_answer.text = tr("stale-button")
        return
    if current.closed_at is not None:
        callback_answer.text = tr("pref-closed-for-you")
        callback_answer.show_alert = True
        return
    pool = await matching.round_pool(current)
    me = next((c for c in pool if c.id == participant.id), None)
    if me is None:
        callback_answer.text = tr("pref-closed-for-you")
        callback_answer.show_alert = True
        return
    options = [c for c in pool if c.is_mentor != me.is_mentor and c.id != me.id]
    chosen, _ = await matching.draft_choices(current.id, me.id)
    chosen = [pid for pid in chosen if pid in {c.id for c in options}]
    action = callback_data.a
    if action == "none" or (action == "start" and not options):
        await matching.save_choices(current.id, me.id, [], submit=True)
        await show(query, tr("pref-thanks-none") if options else tr("pref-nobody"))
        return
    if action == "done":
        await matching.save_choices(current.id, me.id, chosen, submit=True)
        await show(query, tr("pref-thanks", audience=participant.audience) if chosen else tr("pref-thanks-none"))
        return
    if action == "pick":
        if callback_data.c in chosen:
            chosen.remove(callback_data.c)
        elif callback_data.c not in {c.id for c in options}:
            callback_answer.text = tr("stale-button")
            return
        elif len(chosen) >= me.picks_allowed:
            callback_answer.text = tr("pref-limit", n=me.picks_allowed)
            callback_answer.show_alert = True
            return
        else:
            chosen.append(callback_data.c)
        await matching.save_choices(current.id, me.id, chosen)
    elif action == "reset":
        chosen = []
        await matching.save_choices(current.id, me.id, chosen)
    elif action != "start":
        callback_answer.text = tr("stale-button")
        return
    await show(
        query,
        _screen(me, options, chosen, participant.audience),
        pref_keyboard(current.id, [(c.id, c.name) for c in options], chosen),
    )


def build_router() -> Router:
    router = Router(name="preferences")
    router.callback_query.register(on_pref, PrefCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
