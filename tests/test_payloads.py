"""The messenger-neutral payload codec (bot.flows.payloads) packs and unpacks exactly as aiogram's CallbackData
does: a button a flow draws reaches today's Telegram filters, and buttons sent before reach the flows. The menu's
payloads and the scheduler's notice payloads (bot.flows.notices) each have an aiogram twin in handlers/kb/."""

from __future__ import annotations

import dataclasses
import inspect
import itertools
from dataclasses import fields
from enum import StrEnum
from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows import notices
from bot.flows.menu import curator_menu
from bot.flows.payloads import (
    AskPayload,
    BasesPayload,
    FitPayload,
    MaterialPayload,
    MeetingManagePayload,
    MeetingReplyPayload,
    MeetingSetupPayload,
    MenuPayload,
    Payload,
    PayloadError,
    ReportPayload,
)
from bot.flows.screens import Keyboard, Screen
from handlers.kb import notices as telegram
from handlers.kb.informing import AskCb, MaterialCb
from handlers.kb.matching import BasesCb
from handlers.kb.meetings import FitCb, ManageCb, ReplyCb, SetupCb
from handlers.kb.menu import MenuCb
from handlers.kb.reports import ReportCb, curator_menu_keyboard
from handlers.ui import markup_of

# Each neutral kind, its aiogram twin, and values of its fields as the menus use them (and some others).
TWINS: list[tuple[type[Payload], type[CallbackData], list[dict[str, object]]]] = [
    (MenuPayload, MenuCb, [{"action": a} for a in ("profile", "back", "help", "survey", "p_menu", "p_forget", "")]),
    (AskPayload, AskCb, [{"a": "ask"}, {"a": "ask", "id": 17}, {"a": "reply", "id": 123456}]),
    (MaterialPayload, MaterialCb, [{"a": "list"}, {"a": "get", "id": 3}, {"a": "aud", "v": "pupils"}]),
    (MeetingSetupPayload, SetupCb, [{"a": "new"}, {"a": "day", "y": 2026, "m": 9, "d": 10}, {"a": "pl", "v": "x"}]),
    (MeetingManagePayload, ManageCb, [{"a": "list"}, {"a": "move", "id": 42}]),
    (ReportPayload, ReportCb, [{"kind": k} for k in ("summary", "charts", "export")]),
    (BasesPayload, BasesCb, [{"kind": k} for k in ("mentees", "mentors")]),
    (MeetingReplyPayload, ReplyCb, [{"a": "acc", "id": 7}, {"a": "oth", "id": 12345}]),
    (FitPayload, FitCb, [{"pair": 3, "v": v} for v in ("yes", "unsure", "no")]),
]


@pytest.mark.parametrize(("neutral", "twin", "examples"), TWINS, ids=lambda x: getattr(x, "__name__", ""))
def test_a_payload_packs_and_unpacks_as_its_aiogram_twin(
    neutral: type[Payload], twin: type[CallbackData], examples: list[dict[str, object]]
) -> None:
    assert neutral.prefix == twin.__prefix__
    assert [f.name for f in fields(neutral)] == list(twin.model_fields)  # type: ignore[arg-type]
    for values in examples:
        packed = neutral(**values).pack()
        assert packed == twin(**values).pack()
        assert neutral.unpack(packed) == neutral(**values)
        assert twin.unpack(packed).model_dump() == vars(neutral.unpack(packed))
        assert neutral.matches(packed) and not neutral.matches("zz" + packed)


class Colour(StrEnum):
    RED = "red"


class ProbeCb(CallbackData, prefix="pr"):
    flag: bool
    colour: Colour
    n: int
    note: str | None = None
    tail: str = ""


class Probe(Payload, prefix="pr"):
    flag: bool
    colour: Colour
    n: int
    note: str | None = None
    tail: str = ""


@pytest.mark.parametrize(
    "packed", ["pr:1:red:5::", "pr:0:red:-3:x:y", "pr:true:red:0::", "pr:1:red:5:note:"], ids=str
)
def test_bools_enums_and_empty_optionals_read_back_as_aiogram_reads_them(packed: str) -> None:
    twin = ProbeCb.unpack(packed)
    ours = Probe.unpack(packed)
    assert vars(ours) == twin.model_dump()
    assert ours.pack() == twin.pack()


@pytest.mark.parametrize("bad", ["m", "m:a:b", "x:profile", "ask:ask:two"], ids=str)
def test_a_payload_of_another_kind_is_refused(bad: str) -> None:
    kind = AskPayload if bad.startswith("ask") else MenuPayload
    with pytest.raises(PayloadError):
        kind.unpack(bad)


def test_a_payload_over_64_bytes_or_with_a_separator_is_refused_like_aiogram() -> None:
    for values in ({"a": "x" * 70}, {"a": "a:b"}):
        with pytest.raises(ValueError):
            AskCb(**values).pack()  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            AskPayload(**values).pack()  # type: ignore[arg-type]


def test_a_keyboard_takes_a_payload() -> None:
    rows = Keyboard().add("Профиль", MenuPayload("profile")).add("Ссылка", url="https://example.org").rows()
    assert [b.payload for row in rows for b in row] == ["m:profile", None]


def test_the_curators_menu_of_the_flow_is_the_keyboard_the_reports_come_back_to() -> None:
    """The curator's /menu (bot.flows.menu) and the keyboard under a report (handlers.kb.reports) are one menu,
    whose buttons the report handlers' aiogram filters take."""
    markup = curator_menu_keyboard()
    assert markup == markup_of(curator_menu())
    payloads = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert [ReportCb.unpack(p).kind for p in payloads[:3]] == ["summary", "charts", "export"]


def test_a_screen_becomes_telegrams_keyboard_row_by_row() -> None:
    assert markup_of(Screen("Без кнопок")) is None
    rows = Keyboard().add("А", MenuPayload("help")).add("Б", url="https://example.org").add("В", "m:back").adjust(2)
    assert markup_of(Screen("x", rows.rows())) == InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text="А", callback_data="m:help"), InlineKeyboardButton(text="Б", url="https://example.org")],
        [InlineKeyboardButton(text="В", callback_data="m:back")],
    ])  # fmt: skip


# --- the notices' payloads and their twins in handlers/kb/notices.py ---------------------------------------------
SAMPLES: dict[type, list[Any]] = {
    int: [0, 7, -3, 2026, 123456789],
    str: ["", "held", "6.1.1", "ы", "a b"],
    bool: [True, False],
}


def _neutral_classes() -> list[type[Payload]]:
    return [
        cls
        for _, cls in inspect.getmembers(notices, inspect.isclass)
        if issubclass(cls, Payload) and cls is not Payload
    ]


def _twin(cls: type[Payload]) -> type[CallbackData]:
    twin = getattr(telegram, cls.__name__)
    assert issubclass(twin, CallbackData)
    return twin


def _values(cls: type[Payload]) -> list[dict[str, Any]]:
    """Every combination of sample values over the class's fields (a few hundred at most)."""
    names = list(cls._types)
    pools = [SAMPLES[cls._types[name]] for name in names]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.islice(itertools.product(*pools), 400)]


def test_every_notice_payload_has_an_aiogram_twin_and_nothing_else_is_one() -> None:
    neutral = {cls.__name__ for cls in _neutral_classes()}
    twins = {
        name
        for name, cls in inspect.getmembers(telegram, inspect.isclass)
        if issubclass(cls, CallbackData) and cls is not CallbackData
    }
    assert neutral == twins == {"CampaignCb", "CheckinCb", "PrefCb", "RoadmapCb"}


@pytest.mark.parametrize("cls", _neutral_classes(), ids=lambda cls: cls.__name__)
def test_the_neutral_codec_and_aiogram_agree(cls: type[Payload]) -> None:
    twin = _twin(cls)
    assert cls.prefix == twin.__prefix__
    fields = {f.name: f.default for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    twin_fields = {name: f.default for name, f in twin.model_fields.items()}
    assert list(fields) == list(twin_fields)
    assert {k: v for k, v in fields.items() if v is not dataclasses.MISSING} == {
        k: v for k, v in twin_fields.items() if v is not _undefined()
    }
    for values in _values(cls):
        packed = cls(**values).pack()
        assert packed == twin(**values).pack()
        assert cls.unpack(packed) == cls(**values)
        assert twin.unpack(packed).model_dump() == values
        assert cls.matches(packed)


def _undefined() -> object:
    from pydantic_core import PydanticUndefined

    return PydanticUndefined


@pytest.mark.parametrize("cls", _neutral_classes(), ids=lambda cls: cls.__name__)
def test_both_refuse_what_is_not_theirs(cls: type[Payload]) -> None:
    twin = _twin(cls)
    good = cls(**_values(cls)[1]).pack()
    other_prefix = "zz" + good[len(cls.prefix) :]
    wrong: list[str] = [other_prefix, good + ":1", good.rsplit(":", 1)[0] if ":" in good else "", "", cls.prefix]
    int_fields = [i for i, kind in enumerate(cls._types.values()) if kind is int]
    if int_fields:
        parts = good.split(":")
        parts[1 + int_fields[0]] = "x"
        wrong.append(":".join(parts))
    for payload in wrong:
        assert not cls.matches(payload), payload
        with pytest.raises(ValueError):
            cls.unpack(payload)
        with pytest.raises((ValueError, TypeError)):
            twin.unpack(payload)


def test_the_64_byte_limit_and_the_separator_are_checked_like_aiogram() -> None:
    long_number = "ы" * 30  # 60 bytes
    with pytest.raises(ValueError, match="64 bytes"):
        notices.RoadmapCb(a="card", y=2026, n=long_number).pack()
    with pytest.raises(ValueError, match="too long"):
        telegram.RoadmapCb(a="card", y=2026, n=long_number).pack()
    with pytest.raises(ValueError):
        notices.CheckinCb(a="use", id=1, v="a:b").pack()
    with pytest.raises(ValueError):
        telegram.CheckinCb(a="use", id=1, v="a:b").pack()
    # Exactly 64 bytes is allowed by both.
    number = "n" * (64 - len("rm:card:2026:0:::0"))
    assert notices.RoadmapCb(a="card", y=2026, n=number).pack() == telegram.RoadmapCb(a="card", y=2026, n=number).pack()


def test_a_payload_with_a_flag_packs_it_as_aiogram_does() -> None:
    class Step(Payload, prefix="st"):
        s: str
        d: int = 0
        go: bool = False

    class StepCb(CallbackData, prefix="st"):
        s: str
        d: int = 0
        go: bool = False

    for values in ({"s": "pick"}, {"s": "go", "d": 14, "go": True}):
        packed = Step(**values).pack()
        assert packed == StepCb(**values).pack()
        assert dataclasses.asdict(Step.unpack(packed)) == StepCb.unpack(packed).model_dump()
    assert Step.unpack("st:x:3:1") == Step("x", 3, True)
    with pytest.raises(ValueError):
        Step.unpack("st:x:3:maybe")


def test_a_payload_class_is_checked_when_it_is_declared() -> None:
    with pytest.raises(ValueError):

        class Bad(Payload, prefix="a:b"):
            x: int

    with pytest.raises(TypeError):

        class Floaty(Payload, prefix="fl"):
            x: float

    class Frozen(Payload, prefix="fr"):
        x: int

    with pytest.raises(dataclasses.FrozenInstanceError):
        Frozen(1).x = 2  # type: ignore[misc]
