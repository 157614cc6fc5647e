"""What the bot sends on its own initiative, shared by the handlers and the scheduler.

The outbox stores a message's reply markup as JSON, so a notice's buttons are built here, outside
`handlers/`: the scheduler imports no handlers. This package may use aiogram's types and callback data (the
buttons must parse in the handlers exactly as before), but never a router or a handler.
"""

from __future__ import annotations

from typing import Any

from aiogram.types import InlineKeyboardMarkup


def markup_json(markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    """The markup as the outbox stores it (and the Bot API receives it)."""
    return markup.model_dump(mode="json", exclude_none=True) if markup else None
