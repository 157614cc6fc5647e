"""The light keyboard builder lays out rows exactly as aiogram's does."""

from __future__ import annotations

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.utils.keyboard import InlineKeyboardBuilder as AiogramBuilder

from handlers.kb.builder import InlineKeyboardBuilder


class Cb(CallbackData, prefix="t"):
    n: int


@pytest.mark.parametrize(
    ("count", "sizes", "repeat"),
    [(12, (1,), False), (13, (5, 5, 3), False), (9, (2,), False), (10, (1, 3), True), (20, (), False), (3, (), False)],
)
def test_rows_match_aiogram(count: int, sizes: tuple[int, ...], repeat: bool) -> None:
    ours, theirs = InlineKeyboardBuilder(), AiogramBuilder()
    for n in range(count):
        ours.button(text=str(n), callback_data=Cb(n=n))
        theirs.button(text=str(n), callback_data=Cb(n=n))
    if sizes or count == 20:
        ours.adjust(*sizes, repeat=repeat)
        theirs.adjust(*sizes, repeat=repeat)
    assert ours.as_markup() == theirs.as_markup()


def test_callback_data_over_64_bytes_is_refused() -> None:
    class Long(CallbackData, prefix="x"):
        v: str

    with pytest.raises(ValueError):
        InlineKeyboardBuilder().button(text="a", callback_data=Long(v="я" * 40))
