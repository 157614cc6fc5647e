"""The message catalogue: every text a person sees, in Project Fluent files under `bot/locales/ru/`.

Code names a message and passes values; the catalogue holds the sentence, its plural forms and its variants
per audience (`$audience`: a pupil hears «ты», an adult «вы», a parent is spoken to about their child, the
curator gets the programme's terms). Texts are Telegram HTML: a value from a person is escaped with `esc`
before it is put into a message.

A message that does not exist, or a placeholder left without a value, raises `MissingText`: a wrong text is
a bug the tests must see, not a sentence with a hole in it. `tests/test_catalogue.py` checks statically that
every message is used, every used message exists and every call passes exactly the message's placeholders.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache, lru_cache
from html import escape
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource
from fluent.runtime.types import fluent_number

LOCALE = "ru"
LOCALES_DIR = Path(__file__).with_name("locales") / LOCALE


class Audience(StrEnum):
    """Who reads a message: it selects the variant of a message that speaks to several."""

    PUPIL = "pupil"  # a child or teenager: «ты», plain words, no programme jargon
    ADULT = "adult"  # a young teacher, a mentor, anyone over 18: «вы»
    PARENT = "parent"  # a parent or legal representative, spoken to about their child: «вы»
    CURATOR = "curator"  # the programme's curator: «вы», the programme's terms


class MissingText(LookupError):
    """A message is missing from the catalogue, or rendered with a placeholder left empty."""


def esc(value: object) -> str:
    """A value from a person (a name, an answer) made safe to put into an HTML message."""
    return escape(str(value), quote=False)


def quoted(name: str) -> str:
    """A name to put inside «…»: its own quotes become „…“ («МБУ ДО „Станция юных техников“»)."""
    out, depth = [], 0
    for ch in name:
        if ch == "«":
            out.append("„")
            depth += 1
        elif ch == "»" and depth:
            out.append("“")
            depth -= 1
        else:
            out.append(ch)
    return "".join(out)


@cache
def bundle() -> FluentBundle:
    """Every `.ftl` file of the locale in one bundle; the same id in two files is an error."""
    result = FluentBundle([LOCALE], use_isolating=False)
    for path in sorted(LOCALES_DIR.glob("*.ftl")):
        errors = result.add_resource(FluentResource(path.read_text(encoding="utf-8")), allow_overrides=False)
        if errors:
            raise MissingText(f"{path.name}: {errors[0]}")
    return result


def has(msg_id: str) -> bool:
    return bundle().has_message(msg_id)


def tr(msg_id: str, /, **args: object) -> str:
    """The message `msg_id` with its placeholders filled: numbers stay numbers, so plural rules apply.

    Formatting is a pure function of the catalogue (read once) and the values, and the same texts come again and
    again (every pupil's «Вопрос 3 из 9», every question and button): the last 4,096 of them are kept. A
    value's type is part of the key (`True` and `1` are equal in Python but read «True» and «1»)."""
    items = tuple((name, type(value), value if isinstance(value, _KEYED) else str(value)) for name, value in
                  sorted(args.items()))
    return _formatted(msg_id, items)


_KEYED = (str, int, float, StrEnum, type(None))


@lru_cache(maxsize=4096)
def _formatted(msg_id: str, items: tuple[tuple[str, type, object], ...]) -> str:
    return _format(msg_id, {name: value for name, _type, value in items})


def forget_texts() -> None:
    """Drop the kept texts: after a person's data is destroyed, none of their words stays in memory either."""
    _formatted.cache_clear()


def _format(msg_id: str, args: dict[str, object]) -> str:
    catalogue = bundle()
    if not catalogue.has_message(msg_id):
        raise MissingText(f"no message {msg_id!r} in {LOCALES_DIR}")
    message = catalogue.get_message(msg_id)
    if message.value is None:
        raise MissingText(f"message {msg_id!r} has no value")
    values = {name: _value(value) for name, value in args.items()}
    text, errors = catalogue.format_pattern(message.value, values)
    if errors:
        raise MissingText(f"{msg_id}: {errors[0]}")
    return text


def _value(value: object) -> object:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fluent_number(value, useGrouping=False)
    if isinstance(value, StrEnum):
        return value.value
    if value is None:
        return ""
    if isinstance(value, float):
        return fluent_number(value, useGrouping=False, maximumFractionDigits=2)
    return str(value)
