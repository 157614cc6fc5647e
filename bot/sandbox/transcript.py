"""The transcript: every Bot API call the bot made to the embedded fakes, with its result, for the page's panel.

Each fake records into a `Transcript` once per request, where it answers it (`_handle_api` and its error
answer), with a short human summary built from the request: never a file's bytes, never a token. A long poll that
returned nothing is not recorded (the bot polls all the time); a poll that brought updates is one entry.
"""

from __future__ import annotations

import html
import itertools
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

#: How many entries a transcript keeps: the oldest go first.
CAPACITY = 5_000
#: How much of a message's text a summary quotes.
QUOTE_LENGTH = 60

_TAG_RE = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Entry:
    """One API call: `time` is the fake's clock (the sandbox's time) in Unix seconds; `status` the HTTP status
    of the answer (200 when `ok`); `error` the platform's error description."""

    seq: int
    time: float
    messenger: str
    method: str
    summary: str
    ok: bool
    status: int
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Transcript:
    """A bounded, append-only log of entries numbered by a running `seq` (which survives the oldest dropping)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._entries: deque[Entry] = deque(maxlen=capacity)
        self._seq = itertools.count(1)
        self.last_seq = 0
        #: Told of every new entry (the page's server may wake its long polls with it).
        self.listeners: list[Callable[[Entry], None]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(list(self._entries))

    def record(
        self,
        messenger: str,
        method: str,
        summary: str,
        *,
        time: float,
        ok: bool = True,
        status: int = 200,
        error: str | None = None,
    ) -> Entry:
        entry = Entry(next(self._seq), time, messenger, method, summary, ok, status, error)
        self.last_seq = entry.seq
        self._entries.append(entry)
        for listener in self.listeners:
            listener(entry)
        return entry

    def after(self, seq: int) -> list[Entry]:
        """The entries numbered above `seq`, oldest first."""
        if seq >= self.last_seq:
            return []
        return [entry for entry in self._entries if entry.seq > seq]


# ---- helpers for the fakes' summaries ----------------------------------------------------------------------------


def quote(text: str | None, *, markup: bool = False) -> str:
    """«the text», shortened to one line of `QUOTE_LENGTH` characters; `markup`: strip HTML tags first."""
    if not text:
        return ""
    if markup:
        text = html.unescape(_TAG_RE.sub("", text))
    line = " ".join(text.split())
    if len(line) > QUOTE_LENGTH:
        line = line[: QUOTE_LENGTH - 1].rstrip() + "…"
    return f"«{line}»"


def plural(count: int, one: str, few: str, many: str) -> str:
    """`count` with the Russian noun form it takes: 1 кнопка, 3 кнопки, 5 кнопок."""
    tail = count % 100
    if 11 <= tail <= 14:
        form = many
    elif count % 10 == 1:
        form = one
    elif 2 <= count % 10 <= 4:
        form = few
    else:
        form = many
    return f"{count} {form}"


def buttons_note(count: int) -> str:
    return f"[{plural(count, 'кнопка', 'кнопки', 'кнопок')}]" if count else ""


def size_label(size: int) -> str:
    """A file's size as a phone shows it: 512 Б, 12 КБ, 1,4 МБ."""
    if size < 1024:
        return f"{size} Б"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} КБ"
    return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")


def join(*parts: str) -> str:
    return " ".join(part for part in parts if part)
