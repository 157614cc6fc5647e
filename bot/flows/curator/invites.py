"""/invite (a wizard of buttons: role → form → expiry → use limit) and /invites (the list; revoke after a
confirmation). The wizard keeps its choices in the buttons themselves: no dialog state to lose."""

from __future__ import annotations

from bot.flows.context import Ctx
from bot.flows.curator.curators import curator_only
from bot.flows.effects import Effect, Show, Toast
from bot.flows.events import Event, PressIn
from bot.flows.payloads import Payload, PayloadError
from bot.flows.routes import FlowRoutes
from bot.flows.screens import Keyboard, Screen
from bot.i18n import tr
from bot.invites import EXPIRY_CHOICES, LIMIT_CHOICES, Invite
from bot.programme import FORMS_BY_ROLE, Form, Role
from bot.settings import Settings

#: The list shows this many invites at most (the newest).
LISTED = 20
#: The choices of expiry and limit side by side: a row of up to eight, as Telegram lays out a keyboard by default.
ROW = 8


class InvitePayload(Payload, prefix="inv"):
    """The /invite wizard's step and the choices so far (handlers.kb.curator.InviteCb)."""

    step: str
    role: str = ""
    form: str = ""
    days: int = -1
    limit: int = -1


class RevokePayload(Payload, prefix="rvk"):
    """a: ask (the list's «Отозвать №n»: a confirmation), yes (revoke), no (back to the list)
    (handlers.kb.curator.RevokeCb)."""

    code: str
    a: str = "ask"


# --- the keyboards -----------------------------------------------------------------------------------------------
def role_rows() -> Keyboard:
    kb = Keyboard()
    for role in Role:
        kb.add(role.label, InvitePayload(step="form", role=role.value))
    return kb


def form_rows(role: Role) -> Keyboard:
    kb = Keyboard()
    for form in FORMS_BY_ROLE[role]:
        kb.add(form.label, InvitePayload(step="expiry", role=role.value, form=form.value))
    return kb


def expiry_rows(role: str, form: str) -> Keyboard:
    kb = Keyboard()
    for days in EXPIRY_CHOICES:
        label = tr("btn-expiry-days", days=days) if days else tr("btn-no-expiry")
        kb.add(label, InvitePayload(step="limit", role=role, form=form, days=days or 0))
    return kb.adjust(ROW)


def limit_rows(role: str, form: str, days: int) -> Keyboard:
    kb = Keyboard()
    for limit in LIMIT_CHOICES:
        label = tr("btn-limit", n=limit) if limit else tr("btn-no-limit")
        kb.add(label, InvitePayload(step="create", role=role, form=form, days=days, limit=limit or 0))
    return kb.adjust(ROW)


def revoke_rows(invites: list[Invite]) -> Keyboard:
    kb = Keyboard()
    for n, invite in enumerate(invites, start=1):
        kb.add(tr("btn-revoke", n=n), RevokePayload(code=invite.code))
    return kb.adjust(3)


def revoke_confirm_rows(code: str) -> Keyboard:
    kb = Keyboard()
    kb.add(tr("btn-revoke-yes"), RevokePayload(code=code, a="yes"))
    kb.add(tr("btn-revoke-no"), RevokePayload(code=code, a="no"))
    return kb


# --- the screens -------------------------------------------------------------------------------------------------
def expiry_text(invite: Invite, settings: Settings) -> str:
    if invite.expires_at is None:
        return tr("invite-no-expiry")
    until = invite.expires_at.astimezone(settings.institution.tz).strftime("%d.%m.%Y")
    days = (invite.expires_at - invite.created_at).days
    return tr("invite-expiry-days", days=days, until=until)


async def list_screen(ctx: Ctx) -> Screen:
    active: list[Invite] = (await ctx.repos.invites.active())[:LISTED]
    if not active:
        return Screen(tr("invite-list-empty"))
    tz = ctx.repos.settings.institution.tz
    lines = []
    for n, invite in enumerate(active, start=1):
        limit = tr("invite-list-of", n=invite.max_uses) if invite.max_uses else ""
        until = invite.expires_at
        expiry = tr("invite-list-until", date=f"{until.astimezone(tz):%d.%m.%Y}") if until else ""
        line = tr("invite-list-line",
            n=n, role=invite.role.label, form=invite.form.label, uses=invite.uses, limit=limit, expiry=expiry,
            link=ctx.links(invite.code),
        )  # fmt: skip
        lines.append(line)
    return Screen(tr("invite-list", lines="\n\n".join(lines)), revoke_rows(active).rows())


# --- the events --------------------------------------------------------------------------------------------------
@curator_only
async def on_invite(ctx: Ctx, event: Event) -> list[Effect]:
    return [Show(Screen(tr("invite-pick-role"), role_rows().rows()), edit=False)]


@curator_only
async def on_invites(ctx: Ctx, event: Event) -> list[Effect]:
    return [Show(await list_screen(ctx), edit=False)]


@curator_only
async def on_step(ctx: Ctx, event: Event) -> list[Effect]:
    assert isinstance(event, PressIn)
    try:
        step = InvitePayload.unpack(event.payload)
        role = Role(step.role)
        form = Form(step.form) if step.form else None
    except (PayloadError, ValueError):
        return [Toast(tr("stale-button"))]
    if form is not None and form not in FORMS_BY_ROLE[role]:
        return [Toast(tr("stale-button"))]
    if step.step == "form":
        return [Show(Screen(tr("invite-pick-form", role=role.label), form_rows(role).rows()))]
    if step.step == "expiry" and form is not None:
        text = tr("invite-pick-expiry", role=role.label, form=form.label)
        return [Show(Screen(text, expiry_rows(role.value, form.value).rows()))]
    if step.step == "limit" and form is not None and step.days >= 0:
        return [Show(Screen(tr("invite-pick-limit"), limit_rows(role.value, form.value, step.days).rows()))]
    if step.step == "create" and form is not None and step.days >= 0 and step.limit >= 0:
        return await _create(ctx, role, form, step.days, step.limit)
    return [Toast(tr("stale-button"))]


async def _create(ctx: Ctx, role: Role, form: Form, days: int, limit: int) -> list[Effect]:
    me, repos = ctx.person, ctx.repos
    invite: Invite = await repos.invites.create(
        role, form, me.account_id, days=days or None, max_uses=limit or None, created_by_messenger=me.messenger
    )
    details = {"role": role.value, "form": form.value}
    await repos.audit.record(me.account_id, "invite.create", invite.code, details, actor_messenger=me.messenger)
    text = tr("invite-created",
        link=ctx.links(invite.code),
        role=role.label,
        form=form.label,
        expiry=expiry_text(invite, repos.settings),
        limit=invite.max_uses or tr("invite-no-limit"),
    )  # fmt: skip
    return [Show(Screen(text))]


@curator_only
async def on_revoke(ctx: Ctx, event: Event) -> list[Effect]:
    """«Отозвать №n» asks first; «Да, отозвать» pressed again (or on an old screen) changes nothing."""
    assert isinstance(event, PressIn)
    payload = RevokePayload.unpack(event.payload)
    repos, me = ctx.repos, ctx.person
    invite: Invite | None = await repos.invites.get(payload.code)
    if payload.a == "ask":
        if invite is None or invite.problem(repos.clock.now()) is not None:
            return [Toast(tr("stale-button"))]
        limit = tr("invite-list-of", n=invite.max_uses) if invite.max_uses else ""
        text = tr("invite-revoke-confirm",
            role=invite.role.label, form=invite.form.label, uses=invite.uses, limit=limit
        )  # fmt: skip
        return [Show(Screen(text, revoke_confirm_rows(invite.code).rows()))]
    effects: list[Effect] = []
    if payload.a == "yes":
        if not await repos.invites.revoke(payload.code):
            return [Toast(tr("stale-button"))]  # revoked already: pressed twice, or an old screen
        await repos.audit.record(me.account_id, "invite.revoke", payload.code, actor_messenger=me.messenger)
        effects.append(Toast(tr("invite-revoked")))
    return [*effects, Show(await list_screen(ctx))]


ROUTES = FlowRoutes(
    commands={"invite": on_invite, "invites": on_invites},
    presses={InvitePayload.prefix: on_step, RevokePayload.prefix: on_revoke},
)
