"""Charts for the curator's reports (roadmap 4.5, 5.2, 5.3): pure functions from numbers to PNG bytes.

- `stage_progress_png` — how many pairs are at each stage of the programme;
- `satisfaction_png` — mean 1–10 ratings per item (quality and final surveys);
- `growth_png` — the same self-assessment at entry and at the end, per item.

Every chart is a horizontal bar chart, `WIDTH_PX` pixels wide at a fixed DPI (readable on a phone when Telegram
shows it full width), with Russian text in DejaVu Sans, the font matplotlib ships, so the output does not
depend on the fonts of the machine. Drawing uses matplotlib's object-oriented API with the Agg canvas
(`Figure` + `FigureCanvasAgg`): no pyplot, no global state, safe to call from a worker thread. The same input
gives the same bytes (the PNG carries no software version or time stamp).

Privacy: an item answered by fewer than `MIN_GROUP` people is never drawn; its row says «мало ответов»
instead, so no chart reveals the answers of one or two identifiable people. `chart_rows` / `bars_for` are the
pure part that decides what is shown; the figure builders (`*_figure`) are public for tests and for reports
that want to embed a figure elsewhere.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from bot.i18n import tr

MIN_GROUP = 3  # the smallest number of answers an aggregate may be shown for
HIDDEN_TEXT = tr("chart-hidden")
EMPTY_TEXT = tr("chart-empty")
ENTRY_LEGEND = tr("chart-legend-entry")
END_LEGEND = tr("chart-legend-end")

FONT_FAMILY = "DejaVu Sans"
DPI = 100
WIDTH_IN = 10.0
WIDTH_PX = int(WIDTH_IN * DPI)  # 1000 px
SCALE_MAX = 10.0  # ratings are 1–10

TITLE_SIZE = 19
LABEL_SIZE = 16
VALUE_SIZE = 15
NOTE_SIZE = 13
LABEL_WRAP = 26  # characters per line of an item's label
LABEL_LINES = 3  # longer labels are cut with «…»
TITLE_WRAP = 60

COLOR = "#3B6EA8"
ENTRY_COLOR = "#A9C4E2"
MUTED = "#6E6E6E"
GRID = "#E3E3E3"

_PNG_METADATA: dict[str, str | None] = {"Software": None}


def hide_small(n: int) -> bool:
    """Whether an aggregate over `n` answers must be hidden (fewer than `MIN_GROUP`)."""
    return n < MIN_GROUP


@dataclass(frozen=True)
class ChartRow:
    """One item of a chart as it will be drawn: `values` are the bar lengths, empty when the item is hidden."""

    label: str
    values: tuple[float, ...]
    n: int

    @property
    def hidden(self) -> bool:
        return not self.values


def chart_rows(items: Iterable[Sequence[object]]) -> tuple[ChartRow, ...]:
    """Every item, in order, as a `ChartRow`; an item is hidden if `hide_small(n)` or any of its means is
    missing (None) or not a finite number.

    Each item is ``(label, mean, ..., n)``: one mean for a rating, two (entry, end) for growth.
    Raises ValueError for a negative or non-integer `n` or a malformed item.
    """
    rows: list[ChartRow] = []
    for item in items:
        if len(item) < 3:
            raise ValueError(f"chart item {item!r}: expected (label, mean, ..., n)")
        label, *means, n = item
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"chart item {label!r}: n must be a non-negative integer, got {n!r}")
        values: list[float] = []
        for mean in means:
            if mean is None:
                break
            if not isinstance(mean, int | float) or isinstance(mean, bool):
                raise ValueError(f"chart item {label!r}: mean must be a number or None, got {mean!r}")
            if not math.isfinite(mean):
                break
            values.append(float(mean))
        visible = len(values) == len(means) and not hide_small(n)
        rows.append(ChartRow(str(label), tuple(values) if visible else (), n))
    return tuple(rows)


def bars_for(items: Iterable[Sequence[object]]) -> tuple[ChartRow, ...]:
    """The items that get bars: `chart_rows` without the hidden ones."""
    return tuple(row for row in chart_rows(items) if not row.hidden)


# --- public renderers ------------------------------------------------------------------------------------------


def stage_progress_png(counts: Mapping[str, int], *, title: str) -> bytes:
    """Horizontal bars: stage label → number of pairs currently at that stage, in the order given."""
    return render_png(stage_progress_figure(counts, title=title))


def satisfaction_png(items: Sequence[tuple[str, float | None, int]], *, title: str) -> bytes:
    """Mean rating (1–10) per item as bars with the mean printed; ``(label, mean, n)``.

    Items with a None mean or fewer than `MIN_GROUP` answers show «мало ответов» and no bar.
    """
    return render_png(satisfaction_figure(items, title=title))


def growth_png(items: Sequence[tuple[str, float | None, float | None, int]], *, title: str) -> bytes:
    """Paired bars per item: mean at entry and mean at the end; ``(label, entry, end, n)``.

    `n` counts participants who answered both times; items with fewer than `MIN_GROUP` of them, or with a
    missing mean, show «мало ответов» and no bars.
    """
    return render_png(growth_figure(items, title=title))


def render_png(figure: Figure) -> bytes:
    """The figure as PNG bytes (Agg, fixed DPI, no metadata that changes between runs or versions)."""
    canvas = FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    canvas.print_png(buffer, metadata=_PNG_METADATA)
    return buffer.getvalue()


# --- figure builders -------------------------------------------------------------------------------------------


def stage_progress_figure(counts: Mapping[str, int], *, title: str) -> Figure:
    """The figure behind `stage_progress_png`."""
    stages = list(counts.items())
    for label, count in stages:
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise ValueError(f"stage {label!r}: count must be a non-negative integer, got {count!r}")
    if not stages:
        return _empty_figure(title)
    labels = [_wrap_label(label) for label, _ in stages]
    fig, ax = _bar_figure(title, labels, per_row=0.62)
    values = [count for _, count in stages]
    ys = list(range(len(stages)))
    ax.barh(ys, values, height=0.6, color=COLOR, zorder=2)
    top = max(max(values), 1)
    pad = top * 0.015
    for y, value in zip(ys, values, strict=True):
        ax.text(value + pad, y, str(value), va="center", ha="left", fontproperties=_font(VALUE_SIZE, bold=True))
    ax.set_xlim(0, top * 1.15 + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _finish_axes(ax, labels)
    return fig


def satisfaction_figure(items: Sequence[tuple[str, float | None, int]], *, title: str) -> Figure:
    """The figure behind `satisfaction_png`."""
    rows = chart_rows(items)
    if not rows:
        return _empty_figure(title)
    labels = [_wrap_label(row.label) for row in rows]
    fig, ax = _bar_figure(title, labels, per_row=0.62)
    right = _rating_axis(ax, rows)
    visible = [(y, row) for y, row in enumerate(rows) if not row.hidden]
    if visible:
        ax.barh([y for y, _ in visible], [row.values[0] for _, row in visible], height=0.6, color=COLOR, zorder=2)
    for y, row in enumerate(rows):
        if row.hidden:
            _hidden_text(ax, y)
            continue
        _value_text(ax, y, row.values[0], COLOR)
        ax.text(right, y, f"n = {row.n}", va="center", ha="right", color=MUTED, fontproperties=_font(NOTE_SIZE))
    _finish_axes(ax, labels)
    return fig


def growth_figure(items: Sequence[tuple[str, float | None, float | None, int]], *, title: str) -> Figure:
    """The figure behind `growth_png`."""
    rows = chart_rows(items)
    for row in rows:
        if not row.hidden and len(row.values) != 2:
            raise ValueError(f"growth item {row.label!r}: expected (label, entry, end, n)")
    if not rows:
        return _empty_figure(title)
    labels = [_wrap_label(row.label) for row in rows]
    fig, ax = _bar_figure(title, labels, per_row=0.95, extra=0.45)
    right = _rating_axis(ax, rows)
    visible = [(y, row) for y, row in enumerate(rows) if not row.hidden]
    half = 0.21
    if visible:
        ys = [y for y, _ in visible]
        ax.barh([y - half for y in ys], [r.values[0] for _, r in visible], height=0.4, color=ENTRY_COLOR, zorder=2)
        ax.barh([y + half for y in ys], [r.values[1] for _, r in visible], height=0.4, color=COLOR, zorder=2)
    for y, row in enumerate(rows):
        if row.hidden:
            _hidden_text(ax, y)
            continue
        entry, end = row.values
        _value_text(ax, y - half, entry, ENTRY_COLOR, size=NOTE_SIZE)
        _value_text(ax, y + half, end, COLOR, size=NOTE_SIZE)
        ax.text(
            right,
            y,
            f"{_number(end - entry, signed=True)}\nn = {row.n}",
            va="center",
            ha="right",
            color=MUTED,
            linespacing=1.3,
            fontproperties=_font(NOTE_SIZE),
        )
    fig.legend(
        handles=[Patch(color=ENTRY_COLOR, label=ENTRY_LEGEND), Patch(color=COLOR, label=END_LEGEND)],
        loc="outside lower center",
        ncols=2,
        frameon=False,
        prop=_font(NOTE_SIZE),
    )
    _finish_axes(ax, labels)
    return fig


# --- internals -------------------------------------------------------------------------------------------------


def _font(size: float, *, bold: bool = False, italic: bool = False) -> FontProperties:
    return FontProperties(
        family=FONT_FAMILY,
        size=size,
        weight="bold" if bold else "normal",
        style="italic" if italic else "normal",
    )


def _wrap_label(label: str) -> str:
    text = " ".join(str(label).split()) or "—"
    return "\n".join(textwrap.wrap(text, LABEL_WRAP, max_lines=LABEL_LINES, placeholder="…"))


def _wrap_title(title: str) -> str:
    text = " ".join(str(title).split())
    return "\n".join(textwrap.wrap(text, TITLE_WRAP, max_lines=3, placeholder="…"))


def _number(value: float, *, signed: bool = False) -> str:
    """Russian decimal comma, one decimal; a real minus sign."""
    text = f"{value:+.1f}" if signed else f"{value:.1f}"
    if text in ("+0.0", "-0.0"):
        text = "±0.0"
    return text.replace(".", ",").replace("-", "−")


def _new_figure(title: str, height: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained", facecolor="white")
    fig.get_layout_engine().set(h_pad=0.12, w_pad=0.15)  # inches around the content
    fig.suptitle(_wrap_title(title), fontproperties=_font(TITLE_SIZE, bold=True))
    return fig


def _bar_figure(title: str, labels: Sequence[str], *, per_row: float, extra: float = 0.0) -> tuple[Figure, Axes]:
    """A figure tall enough for `labels` (one row each, taller for wrapped labels) and its axes; `extra` inches
    are for a legend."""
    rows_height = sum(max(per_row, 0.3 * (label.count("\n") + 1) + 0.2) for label in labels)
    title_lines = _wrap_title(title).count("\n") + 1
    height = max(3.0, rows_height + 1.3 + 0.35 * title_lines + extra)
    fig = _new_figure(title, height)
    ax = fig.add_subplot()
    return fig, ax


def _rating_axis(ax: Axes, rows: Sequence[ChartRow]) -> float:
    """X axis 0..10 (wider if some mean is above 10) with room on the right for «n = …»; returns that x."""
    top = max([SCALE_MAX, *(v for row in rows for v in row.values)])
    right = top * 1.2
    ax.set_xlim(0, right)
    ax.set_xticks(range(0, math.ceil(top) + 1, 2 if top <= SCALE_MAX else max(2, math.ceil(top / 5))))
    return right


def _value_text(ax: Axes, y: float, value: float, bar_color: str, *, size: float = VALUE_SIZE) -> None:
    """The mean printed inside the end of its bar, or just after it when the bar is too short."""
    text = _number(value)
    if value >= 2.0:
        color = "white" if bar_color == COLOR else "#1F1F1F"
        ax.text(value - 0.12, y, text, va="center", ha="right", color=color, fontproperties=_font(size, bold=True))
    else:
        ax.text(max(value, 0) + 0.12, y, text, va="center", ha="left", fontproperties=_font(size, bold=True))


def _hidden_text(ax: Axes, y: float) -> None:
    ax.text(0.12, y, HIDDEN_TEXT, va="center", ha="left", color=MUTED, fontproperties=_font(VALUE_SIZE, italic=True))


def _finish_axes(ax: Axes, labels: Sequence[str]) -> None:
    ax.set_yticks(range(len(labels)), labels, fontproperties=_font(LABEL_SIZE))
    ax.set_ylim(len(labels) - 0.5, -0.5)  # the first item on top
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", colors=MUTED, labelsize=NOTE_SIZE, labelfontfamily=FONT_FAMILY)
    ax.grid(axis="x", color=GRID, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(GRID)


def _empty_figure(title: str) -> Figure:
    fig = _new_figure(title, 3.0)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, EMPTY_TEXT, ha="center", va="center", color=MUTED, fontproperties=_font(LABEL_SIZE, italic=True))
    return fig
