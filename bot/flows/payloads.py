"""Button payloads: a prefix and the fields joined by ':', packed and unpacked exactly as aiogram's CallbackData
does, so a button a flow draws is handled by today's Telegram filters and buttons sent before keep working.

    class MenuPayload(Payload, prefix="m"):
        action: str

    MenuPayload("profile").pack() == "m:profile";  MenuPayload.unpack("m:profile").action == "profile"

A subclass is made a frozen dataclass when it is declared (no decorator), and its fields are checked then: str,
int, bool, an Enum, or one of these or None. A value is written as aiogram writes it: None as "", a bool as 1/0,
an enum as its value, a number as str(). A field typed `X | None` reads "" back as its default (None when it has
none), unless its default is "". The payloads of the menu's buttons are here, the notices' in `bot/flows/notices.py`;
each has its aiogram twin in `handlers/kb/` (tests/test_payloads.py checks that the two agree).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import MISSING, Field, fields
from enum import Enum
from typing import Any, ClassVar, Self, dataclass_transform

from bot.flows.screens import PAYLOAD_LIMIT

SEPARATOR = ":"
_INT = re.compile(r"[+-]?\d+\Z", re.ASCII)


class PayloadError(ValueError):
    """A payload that is not of this kind: another prefix, another number of fields, a value of a wrong type."""


@dataclass_transform(frozen_default=True)
class Payload:
    """The base of a payload kind: subclass it with a `prefix` and its fields (see the module's note)."""

    prefix: ClassVar[str]
    #: The type of each field, in the order they are packed.
    _types: ClassVar[dict[str, Any]]

    def __init_subclass__(cls, prefix: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or SEPARATOR in prefix:
            raise ValueError(f"{cls.__name__}: a payload's prefix is not empty and has no {SEPARATOR!r}: {prefix!r}")
        cls.prefix = prefix
        dataclasses.dataclass(frozen=True)(cls)
        hints = typing.get_type_hints(cls)
        cls._types = {f.name: hints[f.name] for f in fields(cls)}  # type: ignore[arg-type]
        for name, hint in cls._types.items():
            if not _allowed(hint):
                raise TypeError(f"{cls.__name__}.{name}: a payload field is str, int, bool or an Enum, not {hint}")

    def pack(self) -> str:
        parts = [self.prefix]
        for field in fields(self):  # type: ignore[arg-type]
            encoded = _encode(getattr(self, field.name))
            if SEPARATOR in encoded:
                raise ValueError(f"{SEPARATOR!r} in the value {field.name}={encoded!r}")
            parts.append(encoded)
        packed = SEPARATOR.join(parts)
        if len(packed.encode()) > PAYLOAD_LIMIT:
            raise ValueError(f"payload over {PAYLOAD_LIMIT} bytes: {packed!r}")
        return packed

    @classmethod
    def matches(cls, payload: str) -> bool:
        """Whether `payload` is one of this kind's (what an adapter's filter asks)."""
        try:
            cls.unpack(payload)
        except PayloadError:
            return False
        return True

    @classmethod
    def unpack(cls, payload: str) -> Self:
        prefix, *parts = payload.split(SEPARATOR)
        if prefix != cls.prefix:
            raise PayloadError(f"not a {cls.__name__}: prefix {prefix!r} != {cls.prefix!r}")
        kind_fields = fields(cls)  # type: ignore[arg-type]
        if len(parts) != len(kind_fields):
            raise PayloadError(f"{cls.__name__} takes {len(kind_fields)} fields, {len(parts)} given: {payload!r}")
        pairs = zip(kind_fields, parts, strict=True)
        values = {field.name: _decode(field, cls._types[field.name], part) for field, part in pairs}
        return cls(**values)


def _allowed(hint: Any) -> bool:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return len(args) == 1 and _allowed(args[0])
    return hint in (str, int, bool) or (isinstance(hint, type) and issubclass(hint, Enum))


def _encode(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | str):
        return str(value)
    raise ValueError(f"a value of type {type(value).__name__} cannot go into a payload: {value!r}")


_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


def _decode(field: Field[Any], hint: Any, text: str) -> Any:
    args = typing.get_args(hint)
    nullable = typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args
    if nullable:
        if text == "" and field.default != "":
            return None if field.default is MISSING else field.default
        hint = next(arg for arg in args if arg is not type(None))
    try:
        if hint is str:
            return text
        if hint is bool:
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError(text)
        if isinstance(hint, type) and issubclass(hint, Enum):
            return hint(int(text)) if issubclass(hint, int) else hint(text)
        if hint is int:
            if not _INT.match(text):
                raise ValueError(text)
            return int(text)
    except ValueError as exc:
        raise PayloadError(f"{field.name}={text!r} is not a {hint}") from exc
    raise PayloadError(f"{field.name}: a payload cannot carry {hint}")


# --- the payloads of the menus' buttons ---------------------------------------------------------------------
class MenuPayload(Payload, prefix="m"):
    """The participant's and the parent's menu (handlers.kb.menu.MenuCb)."""

    action: str


class AskPayload(Payload, prefix="ask"):
    """«Вопрос куратору» (a=ask; id: the child a parent asks about) and the curator's «Ответить» (AskCb)."""

    a: str
    id: int = 0


class MaterialPayload(Payload, prefix="mat"):
    """The materials (handlers.kb.informing.MaterialCb)."""

    a: str
    id: int = 0
    v: str = ""


class MeetingSetupPayload(Payload, prefix="ms"):
    """The mentor's scheduling dialog (handlers.kb.meetings.SetupCb)."""

    a: str
    y: int = 0
    m: int = 0
    d: int = 0
    v: str = ""


class MeetingManagePayload(Payload, prefix="mm"):
    """The mentor's buttons on a planned meeting and the pair's list (handlers.kb.meetings.ManageCb)."""

    a: str
    id: int = 0


class ReportPayload(Payload, prefix="rp"):
    """The curator's menu of reports: kind = summary, charts or export (handlers.kb.reports.ReportCb)."""

    kind: str


class BasesPayload(Payload, prefix="bs"):
    """The curator's bases of mentees and mentors: kind = mentees or mentors (handlers.kb.matching.BasesCb)."""

    kind: str


class MeetingReplyPayload(Payload, prefix="mr"):
    """A mentee's answer to an invitation: a = acc (accept) or oth (another time) (handlers.kb.meetings.ReplyCb)."""

    a: str
    id: int


class FitPayload(Payload, prefix="fit"):
    """After the first meeting, whether the pair suits one side: v = yes, unsure, no (handlers.kb.meetings.FitCb)."""

    pair: int
    v: str


# --- the curator's figures and pairs (bot.flows.curator: reports, pairs, matching, grouping) ------------------
class ArchivePayload(Payload, prefix="ya"):
    """The curator's archive of year y: a = pairs (the year's list, page p), card (pair p), renew (participant q
    of pair p takes part next year), summary, charts, export (handlers.kb.years.ArchiveCb)."""

    a: str
    y: int
    p: int = 0
    q: int = 0


class PairPayload(Payload, prefix="pr"):
    """/pairs: a = list (page id), card, dis, finish, finish_ok (id: years archived then) (PairCb)."""

    a: str
    id: int = 0


class FormPayload(Payload, prefix="fm"):
    """A form picked for a curator's flow: gm (group meeting), pf / pfnew (preferences), mt (match), rm (a rematch
    from a withdrawal notice) (handlers.kb.matching.FormCb)."""

    flow: str
    f: str


class MatchPayload(Payload, prefix="mt"):
    """The /match draft: a = show, mv, mvto, pin, ex, rerun, reset, ok, all; m mentee, t mentor, p page, h the
    digest of the pairs shown, v the digest of the draft's text (handlers.kb.matching.MatchCb)."""

    a: str
    f: str
    m: int = 0
    t: int = 0
    p: int = 0
    h: str = ""
    v: str = ""


class GroupMeetingPayload(Payload, prefix="gm"):
    """The group meeting of candidates: a = new, send, cancel, att, tog, done, back (MeetingCb)."""

    a: str
    f: str
    pid: int = 0
    p: int = 0


class RoundPayload(Payload, prefix="rd"):
    """The preference round: a = att (from attendees), all, remind, close (RoundCb)."""

    a: str
    f: str


class ForgetPayload(Payload, prefix="fg"):
    """The withdrawal's confirmation (handlers.kb.menu.ForgetCb): `pid` is the child a parent withdraws for."""

    confirm: bool
    pid: int = 0


class RenewPayload(Payload, prefix="yn"):
    """«Участвую в следующем году» under the thank-you notice of archived year y (handlers.kb.years.RenewCb)."""

    y: int
