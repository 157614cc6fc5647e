"""Screens and notices as data, rendered by each messenger's adapter.

Text is the HTML subset both messengers render: <b>, <i>, <a href>, <code>, with person's values escaped
(`bot.i18n.esc`). A button carries either a payload (at most 64 bytes in UTF-8: Telegram's limit, the stricter
of the two) or a link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

PAYLOAD_LIMIT = 64


class Packable(Protocol):
    def pack(self) -> str: ...


@dataclass(frozen=True)
class Button:
    label: str
    payload: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.payload is None) == (self.url is None):
            raise ValueError("a button has either a payload or a link")
        if self.payload is not None and len(self.payload.encode()) > PAYLOAD_LIMIT:
            raise ValueError(f"payload over {PAYLOAD_LIMIT} bytes: {self.payload!r}")


@dataclass(frozen=True)
class Screen:
    """A message: its text and its rows of buttons."""

    text: str
    rows: tuple[tuple[Button, ...], ...] = ()

    def buttons(self) -> list[Button]:
        return [button for row in self.rows for button in row]

    def to_json(self) -> dict[str, Any]:
        """As the outbox stores it: messenger-neutral."""
        rows = [
            [{"label": b.label, **({"payload": b.payload} if b.payload is not None else {"url": b.url})} for b in row]
            for row in self.rows
        ]
        return {"text": self.text, "rows": rows}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Screen:
        rows = tuple(
            tuple(Button(b["label"], payload=b.get("payload"), url=b.get("url")) for b in row)
            for row in data.get("rows", ())
        )
        return cls(data["text"], rows)


@dataclass(frozen=True)
class FileOut:
    """A file to send: its name, its MIME type, its bytes and a caption. `ref`: a file the messenger keeps
    already (its own id of a file a person sent, as `FileIn.file_ref`), sent on by that id; then `content` is empty."""

    name: str
    content: bytes
    mime: str
    caption: str = ""
    ref: str = ""


@dataclass
class Keyboard:
    """Builds rows of buttons: `add` buttons, then `adjust(2)` to lay them two per row."""

    _buttons: list[Button] = field(default_factory=list)
    _widths: tuple[int, ...] = (1,)

    def add(self, label: str, payload: str | Packable | None = None, *, url: str | None = None) -> Keyboard:
        """A button; its payload a string or anything with `pack()` (a `bot.flows.payloads.Payload`)."""
        packed = payload if payload is None or isinstance(payload, str) else payload.pack()
        self._buttons.append(Button(label, payload=packed, url=url))
        return self

    def adjust(self, *widths: int) -> Keyboard:
        self._widths = widths or (1,)
        return self

    def rows(self) -> tuple[tuple[Button, ...], ...]:
        rows: list[tuple[Button, ...]] = []
        i, w = 0, 0
        while i < len(self._buttons):
            width = self._widths[min(w, len(self._widths) - 1)]
            rows.append(tuple(self._buttons[i : i + width]))
            i += width
            w += 1
        return tuple(rows)
