"""What a flow's handler is given with an event: who acted, the repositories, and their dialog."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.flows.dialog import Dialog
from bot.flows.events import Person
from bot.flows.ports import Repos
from bot.flows.texts import start_links


@dataclass(frozen=True)
class Ctx:
    """`dialog` is the acting person's; `dialogs` gives anyone's (a parent's withdrawal ends the child's dialog)."""

    person: Person
    repos: Repos
    dialog: Dialog
    dialogs: Callable[[Person], Dialog]

    @property
    def is_curator(self) -> bool:
        """Whether the person who acted is a curator: by CURATOR_IDS or added by a curator, on their messenger."""
        return self.person in self.repos.settings.roster

    def link(self, code: str) -> str:
        """The link that opens the bot with a start code (an invite, a curator's link) on the person's messenger."""
        return self.repos.links.link(self.person.messenger, code)

    def links(self, code: str) -> str:
        """A link for someone else to open (an invite, a curator's link): one line per messenger that runs, since
        whoever opens it may be on either (the one link, as ever, when one messenger runs)."""
        return start_links(self.repos.links, code, self.person.messenger)
