"""/curators: who is a curator now; add one by a one-time link, remove one after a confirmation; and the curator
link itself (`accept_link`: whoever opens it becomes a curator at once).

The owners in CURATOR_IDS are listed as such and cannot be removed from the bot. A removed curator loses every
curator command at once, their dialog state in curator flows goes, and nothing queued for them as a curator is
sent. What is Telegram's own stays in the adapter (handlers/curator/curators.py): the command menu set for a new
curator and reset for a removed one.

`curator_only` guards the curator's handlers of every flow: anyone else gets today's answers (a command: «only
for curators»; a button: the stale-button alert).
"""

from __future__ import annotations

import functools

from bot.curators import CURATOR_INVITE_TTL, AddedCurator, CuratorInviteProblem
from bot.flows.context import Ctx
from bot.flows.effects import Effect, Notify, Show, Toast
from bot.flows.events import CommandIn, Event, Messenger, Person, PressIn
from bot.flows.payloads import Payload
from bot.flows.routes import FlowRoutes, Handler
from bot.flows.screens import Keyboard, Screen
from bot.flows.texts import messenger_mark, messengers_in_use
from bot.i18n import esc, quoted, tr
from bot.settings import Settings

#: A removed curator who is also a participant keeps their state in these (their own dialogs); any other
#: state is a curator flow (a broadcast draft, an answer to a participant…) and is cleared with its data.
PARTICIPANT_DIALOGS = ("Joining", "ParentConsent", "Survey", "MeetingSetup", "MeetingReply", "AskCurator", "Forget")


class CuratorsPayload(Payload, prefix="cur"):
    """/curators. a: list, add (a one-time link), rm (ask to remove `uid`), rmok (remove)
    (handlers.kb.curator.CuratorsCb). A curator on a messenger other than Telegram: rm-max, rmok-max."""

    a: str
    uid: int = 0


# --- the guard of every curator flow -----------------------------------------------------------------------------
def refusal(event: Event) -> list[Effect]:
    """What someone who is not (or no longer) a curator gets: today's answers on Telegram."""
    if isinstance(event, PressIn):
        return [Toast(tr("stale-button"), alert=True)]
    if isinstance(event, CommandIn):
        return [Show(Screen(tr("curator-only")), edit=False)]
    return [Show(Screen(tr("unknown-input")), edit=False)]


def curator_only(handler: Handler) -> Handler:
    """The handler for curators only (`ctx.is_curator`); anyone else gets `refusal`."""

    @functools.wraps(handler)
    async def guarded(ctx: Ctx, event: Event) -> list[Effect]:
        if not ctx.is_curator:
            return refusal(event)
        return await handler(ctx, event)

    return guarded


# --- the screens -----------------------------------------------------------------------------------------------
def _action(action: str, curator: Person) -> str:
    """`rm`/`rmok` for a Telegram curator, `rm-max`/`rmok-max` for one on MAX (the payload's uid is the id there)."""
    return action if curator.messenger is Messenger.TELEGRAM else f"{action}-{curator.messenger.value}"


def _target(payload: CuratorsPayload) -> tuple[str, Person] | None:
    """The action and the curator a press names, None when the messenger in it is unknown."""
    action, _, on = payload.a.partition("-")
    try:
        messenger = Messenger(on) if on else Messenger.TELEGRAM
    except ValueError:
        return None
    return action, Person(messenger, payload.uid)


def curators_rows(removable: list[AddedCurator]) -> Keyboard:
    kb = Keyboard()
    kb.add(tr("btn-curator-add"), CuratorsPayload(a="add"))
    for curator in removable:
        payload = CuratorsPayload(a=_action("rm", _person(curator)), uid=curator.telegram_id)
        kb.add(tr("btn-curator-remove", name=curator.name[:40]), payload)
    return kb


def remove_rows(curator: Person) -> Keyboard:
    kb = Keyboard()
    kb.add(tr("btn-curator-remove-yes"), CuratorsPayload(a=_action("rmok", curator), uid=curator.account_id))
    kb.add(tr("btn-curator-remove-no"), CuratorsPayload(a="list"))
    return kb


def _person(curator: AddedCurator) -> Person:
    return Person(curator.messenger, curator.telegram_id)


async def list_screen(ctx: Ctx) -> Screen:
    """Every curator, and which messenger each is on when more than one is in use (the bot runs two, or the
    curators are on two)."""
    settings, viewer = ctx.repos.settings, ctx.person
    added: list[AddedCurator] = await ctx.repos.curators.added()
    lines: list[str] = []
    owners = sorted(settings.roster.owner_people, key=lambda p: (list(Messenger).index(p.messenger), p.account_id))
    in_use = messengers_in_use(ctx.repos.links, (p.messenger for p in settings.roster.people()))
    for owner in owners:
        you = tr("curators-you") if owner == viewer else ""
        mark = messenger_mark(owner.messenger, in_use)
        lines.append(tr("curators-owner-line", n=len(lines) + 1, id=owner.account_id, messenger=mark, you=you))
    tz = settings.institution.tz
    for curator in added:
        person = _person(curator)
        you = tr("curators-you") if person == viewer else ""
        date = f"{curator.added_at.astimezone(tz):%d.%m.%Y}"
        mark = messenger_mark(person.messenger, in_use)
        line = tr("curators-added-line", n=len(lines) + 1, name=esc(curator.name), messenger=mark, you=you, date=date)
        lines.append(line)
    return Screen(tr("curators-list", lines="\n".join(lines)), curators_rows(added).rows())


# --- the events ------------------------------------------------------------------------------------------------
@curator_only
async def on_curators(ctx: Ctx, event: Event) -> list[Effect]:
    return [Show(await list_screen(ctx), edit=False)]


@curator_only
async def on_press(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    target = _target(CuratorsPayload.unpack(event.payload))
    if target is None:
        return [Toast(tr("stale-button"))]
    action, curator = target
    repos, me = ctx.repos, ctx.person
    if action == "add":
        invite = await repos.curators.create_invite(me.account_id, me.messenger)
        await repos.audit.record(me.account_id, "curator.invite", invite.code, actor_messenger=me.messenger)
        hours = int(CURATOR_INVITE_TTL.total_seconds() // 3600)
        return [Show(Screen(tr("curator-invite-created", link=ctx.links(invite.code), hours=hours)), edit=False)]
    if action in ("rm", "rmok") and repos.settings.roster.is_owner(curator):
        return [Toast(tr("curator-owner-stays"), alert=True)]
    if action == "rm":
        added = await repos.curators.get(curator.account_id, curator.messenger)
        if added is None:
            return [Toast(tr("stale-button"))]
        text = tr("curator-remove-confirm", name=esc(added.name))
        return [Show(Screen(text, remove_rows(curator).rows()))]
    if action == "rmok":
        return await _remove(ctx, curator)
    if action == "list":
        return [Show(await list_screen(ctx))]
    return [Toast(tr("stale-button"))]


async def _remove(ctx: Ctx, removed: Person) -> list[Effect]:
    repos = ctx.repos
    uid, messenger = removed.account_id, removed.messenger
    curator = await repos.curators.get(uid, messenger)
    participant = await repos.participants.by_account(messenger, uid)
    if curator is None or not await repos.curators.remove(uid, drop_pending=participant is None, messenger=messenger):
        # Pressed twice, or on an old screen: they are not a curator any more; nothing to do.
        return [Toast(tr("stale-button"))]
    details = None if messenger is Messenger.TELEGRAM else {"messenger": messenger.value}
    await repos.audit.record(
        ctx.person.account_id, "curator.remove", str(uid), details, actor_messenger=ctx.person.messenger
    )
    await clear_curator_state(ctx, removed, keep_own=participant is not None)
    return [
        Notify(removed, Screen(tr("curator-removed-notice"))),
        Toast(tr("curator-removed", name=curator.name)),
        Show(await list_screen(ctx)),
    ]


async def clear_curator_state(ctx: Ctx, person: Person, *, keep_own: bool) -> None:
    """The removed curator's dialog state in a curator flow goes with its data (drafts name participants)."""
    dialog = ctx.dialogs(person)
    current = await dialog.get_state()
    if current is None:
        return
    if keep_own and current.split(":", 1)[0] in PARTICIPANT_DIALOGS:
        return
    await dialog.clear()


async def accept_link(ctx: Ctx, code: str, name: str) -> list[Effect]:
    """/start with a curator link: its owner becomes a curator at once, and the other curators are told.
    `name`: how the messenger names them (their full name there)."""
    repos, me = ctx.repos, ctx.person
    settings: Settings = repos.settings
    if ctx.is_curator:
        return [Show(Screen(tr("curator-already")), edit=False)]
    name = " ".join(name.split())[:100] or f"id {me.account_id}"
    accepted = await repos.curators.accept(code, me.account_id, name, me.messenger)
    if isinstance(accepted, CuratorInviteProblem):
        return [Show(Screen(tr(f"curator-invite-problems-{accepted.value}")), edit=False)]
    details = {"invited_by": accepted.created_by}
    await repos.audit.record(me.account_id, "curator.add", str(me.account_id), details, actor_messenger=me.messenger)
    effects: list[Effect] = [
        Show(Screen(tr("curator-joined", org=esc(quoted(settings.institution.organization_name)))), edit=False)
    ]
    notice = Screen(tr("curator-joined-notice", name=esc(name)))
    effects += [Notify(curator, notice) for curator in settings.roster.people() if curator != me]
    return effects


ROUTES = FlowRoutes(commands={"curators": on_curators}, presses={CuratorsPayload.prefix: on_press})
