"""Report charts: valid PNGs of a fixed width, deterministic, and no bar for a group smaller than three."""

from __future__ import annotations

import struct
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.reports.charts import (
    DPI,
    EMPTY_TEXT,
    FONT_FAMILY,
    HIDDEN_TEXT,
    MIN_GROUP,
    WIDTH_PX,
    ChartRow,
    bars_for,
    chart_rows,
    growth_figure,
    growth_png,
    hide_small,
    satisfaction_figure,
    satisfaction_png,
    stage_progress_figure,
    stage_progress_png,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

STAGES = {
    "Встреча-знакомство": 3,
    "Пробная встреча": 5,
    "Встреча-планирование": 2,
    "Совместная работа": 14,
    "Итоговая встреча": 0,
}
RATINGS: list[tuple[str, float | None, int]] = [
    ("Эффективность программы", 8.43, 25),
    ("Комфорт общения в паре", 9.1, 25),
    ("Польза групповых встреч", 9.9, 2),  # too few answers: hidden
    ("Польза личных встреч", None, 10),  # hidden by the caller
    ("Понятность задач", 3.0, MIN_GROUP),
]
GROWTH: list[tuple[str, float | None, float | None, int]] = [
    ("Мотивация", 5.2, 7.8, 12),
    ("Уверенность в себе", 6.0, 6.0, 12),
    ("Знания и умения", 4.1, 9.7, 2),  # hidden
    ("Общение", 7.5, None, 12),  # hidden: no end mean
]


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, checking the chunk's CRC."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    body = data[16 : 16 + length]
    (crc,) = struct.unpack(">I", data[16 + length : 20 + length])
    assert zlib.crc32(kind + body) == crc
    width, height = struct.unpack(">II", body[:8])
    return width, height


def assert_png(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE)
    assert data.endswith(b"IEND\xaeB`\x82")
    assert len(data) > 3000
    width, height = png_size(data)
    assert 600 <= width <= 1200
    assert width == WIDTH_PX
    assert 200 <= height <= 3000
    return width, height


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text") and callable(a.get_text))]


def bars(fig: Figure) -> list[Rectangle]:
    (ax,) = fig.axes
    return [p for p in ax.patches if isinstance(p, Rectangle)]


# ------------------------------------------------------------------------------------------- privacy rules


def test_min_group_and_hide_small() -> None:
    assert MIN_GROUP == 3
    assert hide_small(0) and hide_small(1) and hide_small(2)
    assert not hide_small(3) and not hide_small(100)


def test_chart_rows_hide_small_groups_and_missing_means() -> None:
    rows = chart_rows(RATINGS)
    assert [r.label for r in rows] == [label for label, _, _ in RATINGS]
    assert [r.hidden for r in rows] == [False, False, True, True, False]
    assert rows[2] == ChartRow("Польза групповых встреч", (), 2)  # the mean of two people is not kept at all
    assert rows[4].values == (3.0,)


def test_bars_for_returns_only_visible_items() -> None:
    assert [r.label for r in bars_for(RATINGS)] == [
        "Эффективность программы",
        "Комфорт общения в паре",
        "Понятность задач",
    ]
    assert [(r.label, r.values) for r in bars_for(GROWTH)] == [
        ("Мотивация", (5.2, 7.8)),
        ("Уверенность в себе", (6.0, 6.0)),
    ]
    assert bars_for([("x", float("nan"), 10)]) == ()
    assert bars_for([]) == ()


def test_chart_rows_reject_bad_input() -> None:
    with pytest.raises(ValueError):
        chart_rows([("x", 5.0, -1)])
    with pytest.raises(ValueError):
        chart_rows([("x", "7", 5)])
    with pytest.raises(ValueError):
        chart_rows([("x", 5)])
    with pytest.raises(ValueError):
        stage_progress_png({"Пробная встреча": -2}, title="Этапы")


# ------------------------------------------------------------------------------------------------ figures


def test_satisfaction_draws_bars_only_for_visible_items() -> None:
    fig = satisfaction_figure(RATINGS, title="Качество программы")
    drawn = bars(fig)
    assert sorted(round(b.get_width(), 2) for b in drawn) == [3.0, 8.43, 9.1]
    words = texts(fig)
    assert words.count(HIDDEN_TEXT) == 2
    assert "8,4" in words and "9,1" in words
    assert "9,9" not in words and "n = 2" not in words  # nothing of the hidden group leaks into the picture


def test_growth_draws_two_bars_per_visible_item() -> None:
    fig = growth_figure(GROWTH, title="Рост участников")
    assert sorted(round(b.get_width(), 2) for b in bars(fig)) == [5.2, 6.0, 6.0, 7.8]
    words = texts(fig)
    assert words.count(HIDDEN_TEXT) == 2
    assert "9,7" not in words and "4,1" not in words
    assert "+2,6\nn = 12" in words
    assert "В начале" in words and "В конце" in words


def test_stage_progress_keeps_the_given_order() -> None:
    fig = stage_progress_figure(STAGES, title="Этапы")
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == list(STAGES)
    assert [b.get_width() for b in sorted(bars(fig), key=lambda b: b.get_y())] == list(STAGES.values())


def test_russian_text_uses_dejavu_and_renders_without_missing_glyphs() -> None:
    fig = satisfaction_figure(RATINGS, title="Удовлетворённость: ёжик съел щи")
    (ax,) = fig.axes
    assert all(t.get_fontfamily() == [FONT_FAMILY] for t in ax.get_yticklabels())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # «Glyph ... missing from font» would fail the test
        assert_png(satisfaction_png(RATINGS, title="Удовлетворённость: ёжик съел щи"))
        assert_png(growth_png(GROWTH, title="Рост"))
        assert_png(stage_progress_png(STAGES, title="Этапы"))


# -------------------------------------------------------------------------------------------------- PNGs


def test_pngs_are_valid_and_phone_sized() -> None:
    for data in (
        stage_progress_png(STAGES, title="Где сейчас пары"),
        satisfaction_png(RATINGS, title="Качество программы: наставляемые"),
        growth_png(GROWTH, title="Рост участников: вход и конец года"),
    ):
        width, _height = assert_png(data)
        assert width == 10 * DPI


def test_output_is_deterministic() -> None:
    first = satisfaction_png(RATINGS, title="Качество")
    assert satisfaction_png(RATINGS, title="Качество") == first
    assert b"matplotlib" not in first.lower()  # no Software chunk with a version in it
    assert growth_png(GROWTH, title="Рост") == growth_png(GROWTH, title="Рост")


def test_width_is_fixed_and_height_grows_with_items() -> None:
    small = png_size(satisfaction_png(RATINGS[:2], title="Качество"))
    large = png_size(satisfaction_png(RATINGS * 4, title="Качество"))
    assert small[0] == large[0] == WIDTH_PX
    assert large[1] > small[1]


@pytest.mark.parametrize(
    "render",
    [
        lambda: stage_progress_png({}, title="Этапы"),
        lambda: satisfaction_png([], title="Качество программы"),
        lambda: growth_png([], title="Рост участников"),
    ],
)
def test_empty_input_gives_a_png_saying_no_data(render) -> None:  # type: ignore[no-untyped-def]
    assert_png(render())


def test_empty_figures_say_no_data() -> None:
    for fig in (
        stage_progress_figure({}, title="Этапы"),
        satisfaction_figure([], title="Качество"),
        growth_figure([], title="Рост"),
    ):
        assert EMPTY_TEXT in texts(fig)
        assert not any(b for ax in fig.axes for b in ax.patches)


def test_all_hidden_draws_no_bars_but_still_a_picture() -> None:
    items = [("Комфорт общения", 9.0, 1), ("Помощь наставника", 8.0, 2)]
    fig = satisfaction_figure(items, title="Качество")
    assert bars(fig) == []
    assert texts(fig).count(HIDDEN_TEXT) == 2
    assert_png(satisfaction_png(items, title="Качество"))


def test_rendering_is_thread_safe() -> None:
    expected = satisfaction_png(RATINGS, title="Качество")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: satisfaction_png(RATINGS, title="Качество"), range(8)))
    assert all(r == expected for r in results)
