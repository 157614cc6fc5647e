"""Callback data of the curator's invites, curators and participants screens: the aiogram twins of the flows'
payloads (bot.flows.curator.invites, .curators, .participants draw the keyboards), for the adapter's filters."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


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
