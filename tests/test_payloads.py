"""The messenger-neutral payload codec (bot.flows.payloads) packs and unpacks exactly as aiogram's CallbackData
does: a button a flow draws reaches today's Telegram filters, and buttons sent before reach the flows."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.flows.menu import curator_menu
from bot.flows.payloads import (
    AskPayload,
    BasesPayload,
    MaterialPayload,
    MeetingManagePayload,
    MeetingSetupPayload,
    MenuPayload,
    Payload,
    PayloadError,
    ReportPayload,
)
from bot.flows.screens import Keyboard, Screen
from handlers.kb.informing import AskCb, MaterialCb
from handlers.kb.matching import BasesCb
from handlers.kb.meetings import ManageCb, SetupCb
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


@dataclass(frozen=True)
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
    """The curator's /menu (bot.flows.menu) and the keyboard under a report (handlers.kb.reports) are one menu."""
    assert markup_of(curator_menu()) == curator_menu_keyboard()


def test_a_screen_becomes_telegrams_keyboard_row_by_row() -> None:
    assert markup_of(Screen("Без кнопок")) is None
    rows = Keyboard().add("А", MenuPayload("help")).add("Б", url="https://example.org").add("В", "m:back").adjust(2)
    assert markup_of(Screen("x", rows.rows())) == InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text="А", callback_data="m:help"), InlineKeyboardButton(text="Б", url="https://example.org")],
        [InlineKeyboardButton(text="В", callback_data="m:back")],
    ])  # fmt: skip
