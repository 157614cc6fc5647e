"""Front ends the stories run through (tests/test_core_stories.py): the same small interface over the core with
no messenger (`core.CoreFrontEnd`) and over Telegram (`telegram.TelegramFrontEnd`, the fake Bot API).

A story takes a `FrontEnd`, seeds data through its real repositories (`service(name)`, as tests/flows.py does
with the running bot), and acts as people: `person(id).open_menu()`, reads the `Seen` screen's text and
buttons, `press(label)`. A later messenger's adapter gets its own front end and runs the same stories.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Seen:
    """A screen as its reader sees it: the plain text (no markup), the buttons' labels row by row, the message
    it is in (an edit in place keeps the id)."""

    text: str
    rows: tuple[tuple[str, ...], ...]
    message_id: int

    @property
    def buttons(self) -> list[str]:
        return [label for row in self.rows for label in row]


@dataclass(frozen=True)
class Received:
    """A file that came to a person: its name (a document's), its bytes, whether it came as a photo, its caption."""

    name: str
    content: bytes
    photo: bool
    caption: str = ""


class Actor(Protocol):
    """A person on the front end."""

    async def open_menu(self) -> Seen: ...

    async def press(self, label: str, on: Seen | None = None) -> Seen:
        """Press the button whose label is (or starts with) `label` on `on` (the last screen by default);
        returns the screen that comes of it."""
        ...

    async def send(self, text: str) -> None:
        """Type a line (a command when it starts with «/»)."""

    async def send_document(self, name: str, mime: str = ..., ref: str = ...) -> None: ...

    async def expect(self, contains: str, *, eventually: bool = False) -> Seen:
        """The next unread screen, which must contain `contains` (with `eventually`, the first that does)."""
        ...


class FrontEnd(Protocol):
    name: str

    def person(self, account_id: int, name: str = "") -> Actor: ...

    def service(self, name: str) -> Any:
        """A repository of the app by its name (participants, invites, matching, meetings, …)."""
        ...
