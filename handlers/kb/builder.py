"""A light inline-keyboard builder with aiogram's `button` / `adjust` / `as_markup` interface.

aiogram's `InlineKeyboardBuilder.add` deep-copies the whole markup (pydantic models) on every button, which made
building one 12-option question keyboard cost more than the rest of handling the answer (profiled in the intake
benchmark, bench/README.md). This one keeps a flat list and lays out rows once, in `as_markup`.
"""

from __future__ import annotations

from itertools import chain, cycle, repeat
from typing import Self

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

MAX_WIDTH = 8  # buttons in a row when no layout is given, as in aiogram


class InlineKeyboardBuilder:
    def __init__(self) -> None:
        self._buttons: list[InlineKeyboardButton] = []
        self._sizes: tuple[int, ...] = (MAX_WIDTH,)
        self._repeat = False

    def button(self, *, text: str, callback_data: CallbackData | str | None = None, url: str | None = None) -> Self:
        data = callback_data.pack() if isinstance(callback_data, CallbackData) else callback_data
        self._buttons.append(InlineKeyboardButton(text=text, callback_data=data, url=url))
        return self

    def adjust(self, *sizes: int, repeat: bool = False) -> Self:
        """Row sizes in order; the last one repeats for the rest (all of them cycle with `repeat`)."""
        if any(size < 1 or size > MAX_WIDTH for size in sizes):
            raise ValueError(f"row sizes must be 1..{MAX_WIDTH}: {sizes}")
        self._sizes = sizes or (MAX_WIDTH,)
        self._repeat = repeat
        return self

    def as_markup(self) -> InlineKeyboardMarkup:
        sizes = cycle(self._sizes) if self._repeat else chain(self._sizes, repeat(self._sizes[-1]))
        rows: list[list[InlineKeyboardButton]] = []
        start = 0
        while start < len(self._buttons):
            size = next(sizes)
            rows.append(self._buttons[start : start + size])
            start += size
        return InlineKeyboardMarkup(inline_keyboard=rows)
