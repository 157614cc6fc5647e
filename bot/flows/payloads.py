"""Button payloads as data: a prefix and ':'-joined fields, packed and parsed with no messenger library.

The format is aiogram's `CallbackData` (so buttons already sent keep working): `prefix:field1:field2…`, a field
of `str`, `int` or `bool` (packed as 1/0), in the order the class declares them; none may contain ':'; the whole
at most 64 bytes in UTF-8 (`PAYLOAD_LIMIT`, Telegram's limit and the stricter one). A subclass names its prefix
and is a frozen dataclass without being decorated:

    class CampaignCb(Payload, prefix="cp"):
        id: int

    CampaignCb(id=5).pack() == "cp:5";  CampaignCb.unpack("cp:5") == CampaignCb(id=5)

`unpack` raises `ValueError` (wrong prefix, field count or value) for a string that is not one of the class's.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from typing import Any, ClassVar, Self, dataclass_transform

from bot.flows.screens import PAYLOAD_LIMIT

SEPARATOR = ":"
_INT = re.compile(r"[+-]?\d+\Z", re.ASCII)
_TRUE = {"1", "true", "t", "yes", "y", "on"}
_FALSE = {"0", "false", "f", "no", "n", "off"}


@dataclass_transform(frozen_default=True)
class Payload:
    prefix: ClassVar[str]
    _types: ClassVar[dict[str, type]]

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not prefix or SEPARATOR in prefix:
            raise ValueError(f"a payload's prefix is not empty and has no {SEPARATOR!r}: {prefix!r}")
        cls.prefix = prefix
        dataclasses.dataclass(frozen=True)(cls)
        hints = typing.get_type_hints(cls)
        cls._types = {f.name: hints[f.name] for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for name, kind in cls._types.items():
            if kind not in (str, int, bool):
                raise TypeError(f"{cls.__name__}.{name}: a payload field is str, int or bool, not {kind}")

    def pack(self) -> str:
        parts = [self.prefix]
        for name in self._types:
            value = getattr(self, name)
            text = str(int(value)) if isinstance(value, bool) else str(value)
            if SEPARATOR in text:
                raise ValueError(f"{SEPARATOR!r} cannot be in a payload's value {name}={text!r}")
            parts.append(text)
        packed = SEPARATOR.join(parts)
        if len(packed.encode()) > PAYLOAD_LIMIT:
            raise ValueError(f"payload over {PAYLOAD_LIMIT} bytes: {packed!r}")
        return packed

    @classmethod
    def unpack(cls, payload: str) -> Self:
        prefix, *parts = payload.split(SEPARATOR)
        if len(parts) != len(cls._types):
            raise ValueError(f"{cls.__name__} takes {len(cls._types)} values, not {len(parts)}: {payload!r}")
        if prefix != cls.prefix:
            raise ValueError(f"not a {cls.__name__} payload: {payload!r}")
        values = {name: _parse(kind, part, name) for (name, kind), part in zip(cls._types.items(), parts, strict=True)}
        return cls(**values)

    @classmethod
    def matches(cls, payload: str) -> bool:
        """Whether `payload` is one of this class's (what an adapter's filter asks)."""
        try:
            cls.unpack(payload)
        except ValueError:
            return False
        return True


def _parse(kind: type, text: str, name: str) -> str | int | bool:
    if kind is str:
        return text
    if kind is int:
        if not _INT.match(text.strip()):
            raise ValueError(f"{name} is a whole number, not {text!r}")
        return int(text)
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(f"{name} is 1 or 0, not {text!r}")
