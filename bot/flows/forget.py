"""The withdrawal of consent: /forget and the menu's «Отозвать согласие», a participant's own or a parent's for
a child they consented for.

The confirmation says what the withdrawal does to their pair. «Да» is one action in one transaction
(`bot.flows.act`): the person's rows, the messages to them and about them, their dialog and the dialogs that hold
them, the destruction record, the notices to their pair and to the curators; the file is scrubbed after the
commit (`Database.scrub` inside a transaction defers itself). A child whose parent withdrew gets the farewell at
once, not through the outbox (`Farewell`): a queued row would keep their account id.
"""

from __future__ import annotations

from bot.flows.context import Ctx
from bot.flows.effects import Effect, Farewell, Notify, NotifyCurators, Show, Toast
from bot.flows.events import Event, Messenger, Person, PressIn
from bot.flows.menu import child_button_name, children_of, participant_of
from bot.flows.notices import Rows
from bot.flows.payloads import ForgetPayload, FormPayload, MenuPayload, PayloadError
from bot.flows.ports import Repos
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
from bot.i18n import Audience, esc, tr
from bot.pairs import Member, Pair
from bot.participants import CATEGORY_LABELS, Participant
from bot.programme import Role

#: The dialog's one step (handlers.states.Forget.confirm).
CONFIRM = "Forget:confirm"
#: The menu's buttons that open the withdrawal: a participant's, a parent's (and anyone's who is not a participant).
MENU_ACTIONS = ("forget", "p_forget")


def confirm_rows(children: list[Participant] | None = None, repos: Repos | None = None) -> Keyboard:
    """«Да, удалить мои данные» (or one button per child for a parent) and «Нет, оставить»."""
    kb = Keyboard()
    if children and repos is not None:
        tz = repos.settings.institution.tz
        for child in children:
            kb.add(tr("btn-forget-child", name=child_button_name(child, tz)), ForgetPayload(confirm=True, pid=child.id))
    else:
        kb.add(tr("btn-forget-yes"), ForgetPayload(confirm=True))
    kb.add(tr("btn-forget-no"), ForgetPayload(confirm=False))
    return kb


# --- asking -------------------------------------------------------------------------------------------------
async def ask(ctx: Ctx, participant: Participant) -> list[Effect]:
    """The confirmation says what the withdrawal does to their pair: a mentor's mentees get a new mentor.
    Before any consent there is nothing to withdraw: it offers to leave the programme."""
    audience = participant.audience
    await ctx.dialog.set_state(CONFIRM)
    if not participant.has_consent:
        return [Show(Screen(tr("forget-confirm-no-consent", audience=audience), confirm_rows().rows()), edit=False)]
    text = tr("forget-confirm", audience=audience)
    pair = await ctx.repos.matching.pair_of(participant.id)
    if pair is not None and participant.role is Role.MENTOR:
        mentees = sum(1 for m in pair.mentees if m is not None)
        if mentees == 1:
            text += tr("forget-has-mentee", audience=audience)
        elif mentees > 1:
            text += tr("forget-has-mentees", n=mentees, audience=audience)
    elif pair is not None and pair.mentor is not None:
        text += tr("forget-has-mentor", audience=audience)
    return [Show(Screen(text, confirm_rows().rows()), edit=False)]


async def ask_parent(ctx: Ctx, children: list[Participant]) -> list[Effect]:
    await ctx.dialog.set_state(CONFIRM)
    text = tr("forget-confirm-parent", n=len(children))
    return [Show(Screen(text, confirm_rows(children, ctx.repos).rows()), edit=False)]


async def on_command(ctx: Ctx, event: Event) -> list[Effect]:
    """/forget: a participant's own withdrawal, else a parent's for a child, else there is nothing to withdraw."""
    participant = await participant_of(ctx.person, ctx.repos.participants)
    if participant is not None:
        return await ask(ctx, participant)
    children = await children_of(ctx.person, ctx.repos.participants)
    if not children:
        return [Show(Screen(tr("forget-nothing")), edit=False)]
    return await ask_parent(ctx, children)


async def on_menu_press(ctx: Ctx, event: PressIn) -> list[Effect] | None:
    """The menu's «Отозвать согласие» (None for the menu's other buttons): a parent's button (`p_…`) and anyone's
    who is not a participant go to the parent's confirmation."""
    try:
        action = MenuPayload.unpack(event.payload).action
    except PayloadError:
        return None
    if action not in MENU_ACTIONS:
        return None
    participant = await participant_of(ctx.person, ctx.repos.participants)
    if participant is not None and action == "forget":
        return await ask(ctx, participant)
    children = await children_of(ctx.person, ctx.repos.participants)
    if not children:
        return [Toast(tr("not-a-participant"), alert=True)]
    return await ask_parent(ctx, children)


# --- the answer ---------------------------------------------------------------------------------------------
async def on_confirm(ctx: Ctx, event: Event) -> list[Effect]:
    """«Да»: the withdrawal; «Нет»: nothing changes. A button of a confirmation no longer open is stale."""
    assert isinstance(event, PressIn)
    if await ctx.dialog.get_state() != CONFIRM:
        return [Toast(tr("stale-button"))]
    answer = ForgetPayload.unpack(event.payload)
    if not answer.confirm:
        await ctx.dialog.clear()
        return [Show(Screen(tr("forget-kept")))]
    by_parent = bool(answer.pid)
    if by_parent:
        children = await children_of(ctx.person, ctx.repos.participants)
        participant = next((c for c in children if c.id == answer.pid), None)
    else:
        participant = await participant_of(ctx.person, ctx.repos.participants)
    if participant is None:
        return [Toast(tr("forget-nothing")), Show(Screen(tr("forget-nothing")))]
    return await withdraw(ctx, participant, by_parent=by_parent)


async def withdraw(ctx: Ctx, participant: Participant, *, by_parent: bool) -> list[Effect]:
    """Destroy the participant's data (inside the action's transaction) and say so to whom it concerns."""
    repos = ctx.repos
    await ctx.dialog.clear()
    had_consent = participant.has_consent
    pair = await repos.matching.pair_of(participant.id) if had_consent else None
    reason = tr("reason-parent-withdrawal") if by_parent else tr("reason-withdrawal")
    requested_by = "parent" if by_parent else "participant"
    destruction = await repos.participants.destroy(participant.id, requested_by=requested_by, reason=reason)
    # The rows are gone with the destruction; the dialogs' cached copies go with them.
    await ctx.dialogs(participant.person).clear()
    for account_id in destruction.dialogs_dropped if destruction else ():
        for messenger in Messenger:  # a curator on either messenger may have had them in a dialog
            await ctx.dialogs(Person(messenger, account_id)).clear()
    if by_parent:
        effects: list[Effect] = [Show(Screen(tr("forget-done-parent")))]
    elif had_consent:
        effects = [Show(Screen(tr("forget-done", audience=participant.audience)))]
    else:
        effects = [Show(Screen(tr("forget-left", audience=participant.audience)))]
    if destruction is None:
        return effects
    if by_parent:
        now = repos.clock.now()
        silent = repos.outbox.earliest(now) != now
        effects.append(Farewell(participant.person, tr("child-data-withdrawn"), silent=silent))
    notices, note, about = await tell_partners(pair, participant, repos)
    effects += notices
    categories = ", ".join(f"{CATEGORY_LABELS.get(k, k)}: {v}" for k, v in destruction.categories.items() if v)
    text = tr("curator-withdrawal",
        pseudonym=destruction.pseudonym, role=participant.role.label, categories=esc(categories)
    )  # fmt: skip
    rows = rematch_rows(pair) if pair is not None and note else ()
    effects.append(NotifyCurators(Screen(text + note, rows), about=tuple(about)))
    return effects


def rematch_rows(pair: Pair) -> Rows:
    """The curator's one tap from a withdrawal notice to the matching draft of the pair's form."""
    return Keyboard().add(tr("btn-rematch"), FormPayload(flow="rm", f=pair.form.value)).rows()


async def _told(member: Member, message: str, repos: Repos) -> Notify:
    """A notice to a member of the pair, on their messenger and in their voice."""
    found = await repos.participants.get(member.id)
    audience = found.audience if found is not None else Audience.ADULT
    return Notify(member.person, Screen(tr(message, audience=audience)))


async def tell_partners(
    pair: Pair | None, leaver: Participant, repos: Repos
) -> tuple[list[Effect], str, list[int]]:
    """Tell the others of a pair or group, in plain words and without the leaver's name, that one of them
    left; returns the notices, the curator's line about the pair and the participants it names."""
    if pair is None or pair.dissolved_at is not None:
        return [], "", []
    after = await repos.matching.pair(pair.id)
    if after is None:
        return [], "", []
    mentees = [m for m in after.mentees if m is not None]
    names = ", ".join(m.name for m in mentees) or "—"
    notices: list[Effect] = []
    if pair.mentor is not None and pair.mentor.id == leaver.id:
        notices += [await _told(mentee, "mentor-left", repos) for mentee in mentees]
        kind = tr("kind-group") if pair.is_group else tr("kind-pair")
        note = tr("curator-pair-no-mentor", kind=kind, pair=pair.id, form=pair.form.label, mentees=esc(names))
        return notices, note, [m.id for m in mentees]
    if after.mentor is None:
        return [], "", [m.id for m in mentees]
    mentor = esc(after.mentor.name)
    if mentees:
        notices.append(await _told(after.mentor, "mentee-left-group", repos))
        note = tr("curator-group-mentee-left", pair=pair.id, form=pair.form.label, mentor=mentor)
    else:
        notices.append(await _told(after.mentor, "mentee-left-pair", repos))
        note = tr("curator-pair-no-mentee", pair=pair.id, form=pair.form.label, mentor=mentor)
    return notices, note, [after.mentor.id]


ROUTES = FlowRoutes(commands={"forget": on_command}, presses={ForgetPayload.prefix: on_confirm})
