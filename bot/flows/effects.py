"""What a flow asks the adapter to do in answer to an event."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.flows.events import Person
from bot.flows.screens import FileOut, Screen


@dataclass(frozen=True)
class Show:
    """Show a screen to the person who acted: edit the message the pressed button was on when `edit`."""

    screen: Screen
    edit: bool = True


@dataclass(frozen=True)
class Toast:
    """The answer to a button press: a short notification (an alert when `alert`)."""

    text: str
    alert: bool = False


@dataclass(frozen=True)
class SendFile:
    file: FileOut


@dataclass(frozen=True)
class Notify:
    """A notice to someone else; it goes through the outbox, written in the action's transaction
    (`bot.flows.act`). `about`: the participants the text names or quotes (a withdrawal of any of them deletes
    it); `dedup_key`: a notice queued once only."""

    to: Person
    screen: Screen
    kind: str = "notice"
    about: tuple[int, ...] = ()
    dedup_key: str | None = None


@dataclass(frozen=True)
class NotifyCurators:
    """A notice to every curator, each on their messenger, through the outbox (as `Notify`)."""

    screen: Screen
    kind: str = "curator"
    about: tuple[int, ...] = ()


@dataclass(frozen=True)
class Later:
    """Work that needs no transaction, run once the action has committed (`bot.flows.act`): rendering a chart, a
    workbook or a document from the rows the action read. The database is not held while it runs, so other
    people's actions go on; its effects take its place (screens and files only: a notice belongs to the action).
    """

    work: Callable[[], Awaitable[list[Effect]]]


@dataclass(frozen=True)
class Farewell:
    """The last message to someone whose data was just destroyed (a child whose parent withdrew the consent):
    sent at once after the commit, never queued (an outbox row would keep their account id, which the
    withdrawal has just scrubbed); not retried when it cannot be delivered. `silent` in quiet hours."""

    to: Person
    text: str
    silent: bool = False


Effect = Later | Show | Toast | SendFile | Notify | NotifyCurators | Farewell
