"""/invite (a wizard of buttons: role → form → expiry → use limit) and /invites (list; revoke after a confirmation)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.clock import Clock
from bot.i18n import tr
from bot.invites import Invite, deep_link
from bot.programme import FORMS_BY_ROLE, Form, Role
from bot.settings import Settings
from handlers.kb.curator import (
    InviteCb,
    RevokeCb,
    expiry_keyboard,
    form_keyboard,
    limit_keyboard,
    revoke_confirm_keyboard,
    revoke_keyboard,
    role_keyboard,
)
from handlers.ui import show
from storage.audit import AuditLog
from storage.invites import InviteRepo


def _expiry(invite: Invite, settings: Settings) -> str:
    if invite.expires_at is None:
        return tr("invite-no-expiry")
    until = invite.expires_at.astimezone(settings.institution.tz).strftime("%d.%m.%Y")
    days = (invite.expires_at - invite.created_at).days
    return tr("invite-expiry-days", days=days, until=until)


async def cmd_invite(message: Message) -> None:
    await message.answer(tr("invite-pick-role"), reply_markup=role_keyboard())


async def on_invite_step(
    query: CallbackQuery,
    callback_data: InviteCb,
    bot: Bot,
    settings: Settings,
    invites: InviteRepo,
    audit: AuditLog,
    callback_answer: CallbackAnswer,
) -> None:
    try:
        role = Role(callback_data.role)
        form = Form(callback_data.form) if callback_data.form else None
    except ValueError:
        callback_answer.text = tr("stale-button")
        return
    if form is not None and form not in FORMS_BY_ROLE[role]:
        callback_answer.text = tr("stale-button")
        return
    step = callback_data.step
    if step == "form":
        await show(query, tr("invite-pick-form", role=role.label), form_keyboard(role))
    elif step == "expiry" and form is not None:
        await show(
            query,
            tr("invite-pick-expiry", role=role.label, form=form.label),
            expiry_keyboard(role.value, form.value),
        )
    elif step == "limit" and form is not None and callback_data.days >= 0:
        await show(query, tr("invite-pick-limit"), limit_keyboard(role.value, form.value, callback_data.days))
    elif step == "create" and form is not None and callback_data.days >= 0 and callback_data.limit >= 0:
        invite = await invites.create(
            role,
            form,
            query.from_user.id,
            days=callback_data.days or None,
            max_uses=callback_data.limit or None,
        )
        await audit.record(query.from_user.id, "invite.create", invite.code, {"role": role.value, "form": form.value})
        me = await bot.me()
        text = tr("invite-created",
            link=deep_link(me.username or "bot", invite.code),
            role=role.label,
            form=form.label,
            expiry=_expiry(invite, settings),
            limit=invite.max_uses or tr("invite-no-limit"),
        )
        await show(query, text)
    else:
        callback_answer.text = tr("stale-button")


async def _invite_list(bot: Bot, settings: Settings, invites: InviteRepo) -> tuple[str, list[Invite]]:
    active = await invites.active()
    if not active:
        return tr("invite-list-empty"), []
    me = await bot.me()
    lines = []
    for n, invite in enumerate(active[:20], start=1):
        limit = tr("invite-list-of", n=invite.max_uses) if invite.max_uses else ""
        expiry = (
            tr("invite-list-until", date=f"{invite.expires_at.astimezone(settings.institution.tz):%d.%m.%Y}")
            if invite.expires_at
            else ""
        )
        lines.append(
            tr("invite-list-line",
                n=n,
                role=invite.role.label,
                form=invite.form.label,
                uses=invite.uses,
                limit=limit,
                expiry=expiry,
                link=deep_link(me.username or "bot", invite.code),
            )
        )
    return tr("invite-list", lines="\n\n".join(lines)), active[:20]


async def cmd_invites(message: Message, bot: Bot, settings: Settings, invites: InviteRepo) -> None:
    text, shown = await _invite_list(bot, settings, invites)
    await message.answer(text, reply_markup=revoke_keyboard(shown) if shown else None)


async def on_revoke(
    query: CallbackQuery,
    callback_data: RevokeCb,
    bot: Bot,
    settings: Settings,
    invites: InviteRepo,
    audit: AuditLog,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    """«Отозвать №n» asks first; «Да, отозвать» pressed again (or on an old screen) changes nothing."""
    invite = await invites.get(callback_data.code)
    if callback_data.a == "ask":
        if invite is None or invite.problem(clock.now()) is not None:
            callback_answer.text = tr("stale-button")
            return
        limit = tr("invite-list-of", n=invite.max_uses) if invite.max_uses else ""
        text = tr("invite-revoke-confirm",
            role=invite.role.label, form=invite.form.label, uses=invite.uses, limit=limit
        )
        await show(query, text, revoke_confirm_keyboard(invite.code))
        return
    if callback_data.a == "yes":
        if not await invites.revoke(callback_data.code):
            callback_answer.text = tr("stale-button")  # revoked already: pressed twice, or an old screen
            return
        await audit.record(query.from_user.id, "invite.revoke", callback_data.code)
        callback_answer.text = tr("invite-revoked")
    text, shown = await _invite_list(bot, settings, invites)
    await show(query, text, revoke_keyboard(shown) if shown else None)


def build_router() -> Router:
    router = Router(name="curator-invites")
    router.message.register(cmd_invite, Command("invite"))
    router.message.register(cmd_invites, Command("invites"))
    router.callback_query.register(on_invite_step, InviteCb.filter(), flags={"callback_answer": {"pre": False}})
    router.callback_query.register(on_revoke, RevokeCb.filter(), flags={"callback_answer": {"pre": False}})
    return router
