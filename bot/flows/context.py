"""What a flow's handler is given with an event: who acted, the repositories, and their dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.flows.dialog import Dialog
from bot.flows.events import Messenger, Person
from bot.flows.ports import Repos
from bot.invites import deep_link


@dataclass(frozen=True)
class Ctx:
    """`dialog` is the acting person's; `dialogs` gives anyone's (a parent's withdrawal ends the child's dialog)."""

    person: Person
    repos: Repos
    dialog: Dialog
    dialogs: Callable[[Person], Dialog]

    @property
    def is_curator(self) -> bool:
        """Whether the person who acted is a curator (the roster's curators are on Telegram for now)."""
        return self.person.messenger is Messenger.TELEGRAM and self.repos.settings.is_curator(self.person.account_id)

    #: The link that opens the bot with a start code on the person's messenger (an invite, a curator's link):
    #: the adapter's (Telegram's t.me link with the bot's username); without one, Telegram's form with «bot».
    start_link: Callable[[str], str] | None = None

    def link(self, code: str) -> str:
        return self.start_link(code) if self.start_link is not None else deep_link("bot", code)
