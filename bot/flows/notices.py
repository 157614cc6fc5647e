"""The notices the bot sends on its own (the scheduler's and the flows'), as screens, and their buttons' payloads.

The payload formats are what buttons already sent carry: they must not change (`cp:5`, `ci:held:12:`,
`pf:start:3:0`, `rm:card:2026:0:6.1.1::0`). The Telegram adapter parses them with aiogram twins of these classes
(`handlers/kb/notices.py`); tests/test_payloads.py keeps each pair packing and parsing alike.

The outbox stores a notice's buttons as `{"rows": …}`, the rows of `Screen.to_json()` (`stored_buttons`); the
text is its own column.
"""

from __future__ import annotations

from typing import Any

from bot.flows.payloads import Payload
from bot.flows.screens import Button, Screen
from bot.i18n import tr

Rows = tuple[tuple[Button, ...], ...]

#: The roadmap tracker's «open the card of item n» action (the other actions are in handlers/kb/roadmap.py).
ROADMAP_CARD = "card"


class CampaignCb(Payload, prefix="cp"):
    id: int


class CheckinCb(Payload, prefix="ci"):
    """After a meeting: a = held, moved, not (not held), use (usefulness v), why (reason v), skip (no note)."""

    a: str
    id: int
    v: str = ""


class PrefCb(Payload, prefix="pf"):
    a: str  # start, pick, none, reset, done
    r: int
    c: int = 0


class RoadmapCb(Payload, prefix="rm"):
    """a: the action (see handlers/kb/roadmap.py); y: programme year; s: section; n: item number; f: field;
    d: document id."""

    a: str
    y: int = 0
    s: int = 0
    n: str = ""
    f: str = ""
    d: int = 0


def _row(*buttons: tuple[str, Payload]) -> Rows:
    return (tuple(Button(label, payload=payload.pack()) for label, payload in buttons),)


def campaign_answer_buttons(campaign_id: int) -> Rows:
    return _row((tr("btn-campaign-answer"), CampaignCb(id=campaign_id)))


def checkin_buttons(meeting_id: int) -> Rows:
    return _row(
        (tr("btn-held"), CheckinCb(a="held", id=meeting_id)),
        (tr("btn-moved"), CheckinCb(a="moved", id=meeting_id)),
        (tr("btn-not-held"), CheckinCb(a="not", id=meeting_id)),
    )


def pref_start_buttons(round_id: int) -> Rows:
    return _row((tr("btn-pref-start"), PrefCb(a="start", r=round_id)))


def open_card_buttons(year: int, number: str) -> Rows:
    """The button under a roadmap reminder: straight to the item's card."""
    return _row((tr("btn-roadmap-open"), RoadmapCb(a=ROADMAP_CARD, y=year, n=number)))


def stored_buttons(screen: Screen | Rows) -> dict[str, Any] | None:
    """A notice's buttons as the outbox stores them (None without buttons)."""
    rows = screen.rows if isinstance(screen, Screen) else screen
    return {"rows": Screen("", rows).to_json()["rows"]} if rows else None
