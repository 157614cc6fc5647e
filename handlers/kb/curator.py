"""Callback data and keyboards of the curator's invites, curators and participants screens."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.curators import AddedCurator
from bot.i18n import tr
from bot.invites import EXPIRY_CHOICES, LIMIT_CHOICES, Invite
from bot.participants import Participant
from bot.programme import FORMS_BY_ROLE, Role, Status
from handlers.kb.builder import InlineKeyboardBuilder


class InviteCb(CallbackData, prefix="inv"):
    """The /invite wizard keeps its choices in the button itself: no dialog state to lose."""

    step: str
    role: str = ""
    form: str = ""
    days: int = -1
    limit: int = -1


class RevokeCb(CallbackData, prefix="rvk"):
    """a: ask (the list's «Отозвать №n»: a confirmation), yes (revoke), no (back to the list)."""

    code: str
    a: str = "ask"


class CuratorsCb(CallbackData, prefix="cur"):
    """/curators. a: list, add (a one-time link), rm (ask to remove `uid`), rmok (remove)."""

    a: str
    uid: int = 0


class PeopleCb(CallbackData, prefix="pt"):
    """a: sum (summary), list, card; paper (start a paper consent), pok (confirm it); rename (start a name
    correction), rok (confirm it); no (drop the dialog, back to the card). Filters: role, st (status); off: page
    offset; pid: participant."""

    a: str
    role: str = ""
    st: str = ""
    off: int = 0
    pid: int = 0


def role_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for role in Role:
        kb.button(text=role.label, callback_data=InviteCb(step="form", role=role.value))
    kb.adjust(1)
    return kb.as_markup()


def form_keyboard(role: Role) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for form in FORMS_BY_ROLE[role]:
        kb.button(text=form.label, callback_data=InviteCb(step="expiry", role=role.value, form=form.value))
    kb.adjust(1)
    return kb.as_markup()


def expiry_keyboard(role: str, form: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for days in EXPIRY_CHOICES:
        label = tr("btn-expiry-days", days=days) if days else tr("btn-no-expiry")
        kb.button(text=label, callback_data=InviteCb(step="limit", role=role, form=form, days=days or 0))
    return kb.as_markup()


def limit_keyboard(role: str, form: str, days: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for limit in LIMIT_CHOICES:
        label = tr("btn-limit", n=limit) if limit else tr("btn-no-limit")
        kb.button(text=label, callback_data=InviteCb(step="create", role=role, form=form, days=days, limit=limit or 0))
    return kb.as_markup()


def revoke_keyboard(invites: list[Invite]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for n, invite in enumerate(invites, start=1):
        kb.button(text=tr("btn-revoke", n=n), callback_data=RevokeCb(code=invite.code))
    kb.adjust(3)
    return kb.as_markup()


def revoke_confirm_keyboard(code: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-revoke-yes"), callback_data=RevokeCb(code=code, a="yes"))
    kb.button(text=tr("btn-revoke-no"), callback_data=RevokeCb(code=code, a="no"))
    kb.adjust(1)
    return kb.as_markup()


def curators_keyboard(removable: list[AddedCurator]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-curator-add"), callback_data=CuratorsCb(a="add"))
    for curator in removable:
        kb.button(
            text=tr("btn-curator-remove", name=curator.name[:40]),
            callback_data=CuratorsCb(a="rm", uid=curator.telegram_id),
        )
    kb.adjust(1)
    return kb.as_markup()


def curator_remove_keyboard(uid: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=tr("btn-curator-remove-yes"), callback_data=CuratorsCb(a="rmok", uid=uid))
    kb.button(text=tr("btn-curator-remove-no"), callback_data=CuratorsCb(a="list"))
    kb.adjust(1)
    return kb.as_markup()


def summary_keyboard() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=f"{tr('btn-show-list')}: {tr('list-all')}", callback_data=PeopleCb(a="list"))
    for role in Role:
        kb.button(text=f"{tr('btn-show-list')}: {role.label}", callback_data=PeopleCb(a="list", role=role.value))
    for status in Status:
        kb.button(text=f"{tr('btn-show-list')}: {status.label}", callback_data=PeopleCb(a="list", st=status.value))
    kb.adjust(1)
    return kb.as_markup()


def page_keyboard(
    people: list[Participant], labels: list[str], role: str, status: str, offset: int, total: int, page_size: int
) -> InlineKeyboardMarkup:
    """`labels`: how each person is named on their button (the name, or what identifies them before it)."""
    kb = InlineKeyboardBuilder()
    for n, (person, label) in enumerate(zip(people, labels, strict=True), start=offset + 1):
        kb.button(text=f"{n}. {label[:40]}", callback_data=PeopleCb(a="card", pid=person.id))
    widths = [1] * len(people)
    nav = 0
    if offset > 0:
        kb.button(
            text=tr("btn-prev"),
            callback_data=PeopleCb(a="list", role=role, st=status, off=max(0, offset - page_size)),
        )
        nav += 1
    if offset + page_size < total:
        kb.button(text=tr("btn-next"), callback_data=PeopleCb(a="list", role=role, st=status, off=offset + page_size))
        nav += 1
    if nav:
        widths.append(nav)
    kb.button(text=tr("btn-to-summary"), callback_data=PeopleCb(a="sum"))
    widths.append(1)
    kb.adjust(*widths)
    return kb.as_markup()


def card_keyboard(person: Participant) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if not person.has_consent:
        kb.button(text=tr("btn-paper-consent"), callback_data=PeopleCb(a="paper", pid=person.id))
    if person.name:
        kb.button(text=tr("btn-rename"), callback_data=PeopleCb(a="rename", pid=person.id))
    kb.button(text=tr("btn-to-summary"), callback_data=PeopleCb(a="sum"))
    kb.adjust(1)
    return kb.as_markup()


def dialog_confirm_keyboard(person_id: int, confirm: str, label: str) -> InlineKeyboardMarkup:
    """The last step of a dialog about a participant: `label` (PeopleCb a=`confirm`) or «Отмена»."""
    kb = InlineKeyboardBuilder()
    kb.button(text=label, callback_data=PeopleCb(a=confirm, pid=person_id))
    kb.button(text=tr("btn-cancel"), callback_data=PeopleCb(a="no", pid=person_id))
    kb.adjust(2)
    return kb.as_markup()
