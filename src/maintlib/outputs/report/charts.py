"""The report's charts as inline SVG, written by hand.

Why not a chart library: the report promises the same bytes for the same plan.
pygal gives every chart a fresh ``uuid4`` id and needs its JavaScript for
tooltips; matplotlib's SVG backend can be made repeatable (``svg.hashsalt``, no
date metadata) but draws text as glyph paths — unreadable to screen readers and
unsearchable — and brings numpy and a font cache for two simple charts. A
stacked bar chart and a calendar heat map are a few rectangles each: written
here they are deterministic, small, accessible (``role="img"``, ``<title>`` and
``<desc>``, a ``<title>`` per bar and per day), and print sharply.

Every number written is rounded to one decimal, so the bytes do not depend on
float formatting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

import attrs
from markupsafe import Markup, escape

__all__ = ["PALETTE", "Series", "heat_map", "stacked_bars"]


#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")


#: The heat map's five levels, light (no work) to dark.
HEAT = ("#eef2f5", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


@attrs.frozen
class Series:
    """One stack of a bar chart: a name, a colour and a value per bar."""

    name: str
    colour: str
    values: tuple[float, ...]


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _head(ident: str, title: str, desc: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img"'
        f' aria-labelledby="{ident}-title {ident}-desc" class="chart">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def _ceiling(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def stacked_bars(
    ident: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    axis: Callable[[float], str],
) -> Markup:
    """A vertical stacked bar chart with a legend.

    Args:
        ident: Unique id prefix in the page.
        title: The chart's title (read by screen readers).
        desc: What the chart shows, in a sentence or two.
        labels: One label per bar.
        series: The stacks, bottom first.
        axis: Formats an axis value (``12 h``, ``€ 1.000``).
    """
    width, height, left, bottom, top = 720, 300, 70, 40, 20
    plot_h = height - bottom - top
    slot = (width - left - 10) / max(len(labels), 1)
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    peak = _ceiling(max(totals, default=0.0))
    legend = _legend(series, left, width)
    rows = max((y for _, y, _ in legend), default=0) + 1
    out = _head(ident, title, desc, width, height + 22 * rows + 8)
    for tick in range(5):
        value = peak * tick / 4
        y = top + plot_h - plot_h * tick / 4
        out.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{_n(y)}" y2="{_n(y)}" class="grid"/>'
            f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end">{escape(axis(value))}</text>'
        )
    for index, label in enumerate(labels):
        x = left + slot * index + slot * 0.15
        base = float(top + plot_h)
        for item in series:
            value = item.values[index]
            if value <= 0:
                continue
            bar = plot_h * value / peak
            base -= bar
            out.append(
                f'<rect x="{_n(x)}" y="{_n(base)}" width="{_n(slot * 0.7)}" height="{_n(bar)}"'
                f' fill="{item.colour}"><title>{escape(label)}, {escape(item.name)}:'
                f" {escape(axis(value))}</title></rect>"
            )
        out.append(
            f'<text x="{_n(x + slot * 0.35)}" y="{height - bottom + 16}"'
            f' text-anchor="middle">{escape(label)}</text>'
        )
    for x, row, item in legend:
        y = height + 8 + 22 * row
        out.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{item.colour}"/>'
            f'<text x="{x + 16}" y="{y + 10}">{escape(item.name)}</text>'
        )
    out.append("</svg>")
    return Markup("\n".join(out))


def _legend(series: Sequence[Series], left: int, width: int) -> list[tuple[int, int, Series]]:
    """Where each legend entry goes: (x, row, series), wrapping at the chart's width."""
    placed, x, row = [], left, 0
    for item in series:
        size = 28 + 7 * len(item.name)
        if x + size > width and x > left:
            x, row = left, row + 1
        placed.append((x, row, item))
        x += size
    return placed


def _levels(values: Sequence[float]) -> list[float]:
    """Thresholds of heat levels 2–4: the quartiles of the days with work.

    Quartiles rather than fractions of the peak: one day with a fleet's upgrade
    would otherwise paint every other day the same pale colour.
    """
    ordered = sorted(v for v in values if v > 0)
    if not ordered:
        return [0.0, 0.0, 0.0]
    return [ordered[min(len(ordered) - 1, len(ordered) * q // 4)] for q in (1, 2, 3)]


def heat_map(
    ident: str,
    title: str,
    desc: str,
    start: dt.date,
    end: dt.date,
    hours: Mapping[dt.date, Decimal],
    weekdays: Sequence[str],
    month_label: Callable[[dt.date], str],
    day_title: Callable[[dt.date, Decimal], str],
    scale: Callable[[float], str] | None = None,
    none_label: str = "none",
) -> Markup:
    """A calendar of planned hours: a column per week, a row per weekday.

    Args:
        ident: Unique id prefix in the page.
        title: The chart's title.
        desc: What it shows, with the scale.
        start: First day shown.
        end: The day after the last.
        hours: Planned hours per day (days without work may be absent).
        weekdays: Seven short weekday names, Monday first.
        month_label: A month's short name.
        day_title: The tooltip of one day.
        scale: Hours as the legend writes them (``1,5 h``); None: no legend.
        none_label: The legend's word for a day without work.
    """
    cell, left, top = 12, 34, 18
    first = start - dt.timedelta(days=start.weekday())
    weeks = (end - first).days // 7 + 1
    width, height = left + weeks * (cell + 2) + 4, top + 7 * (cell + 2) + 4
    thresholds = _levels([float(h) for d, h in hours.items() if start <= d < end])
    legend: list[str] = []
    if scale is not None:
        # What each shade means: level 1 up to the first quartile, …, 4 above the third.
        labels = [
            none_label,
            *(f"≤ {scale(t)}" for t in thresholds),
            f"> {scale(thresholds[-1])}",
        ]
        y, x = height + 4, left
        for level, label in enumerate(labels):
            legend.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{HEAT[level]}"/>'
                f'<text x="{x + cell + 3}" y="{y + cell - 2}">{escape(label)}</text>'
            )
            x += cell + 8 + 7 * len(label)
        width, height = max(width, x), height + cell + 8
    out = _head(ident, title, desc, width, height)
    out += legend
    for row in (0, 2, 4):
        y = top + row * (cell + 2) + cell - 2
        out.append(f'<text x="{left - 4}" y="{y}" text-anchor="end">{escape(weekdays[row])}</text>')
    day = start
    while day < end:
        week = (day - first).days // 7
        x, y = left + week * (cell + 2), top + day.weekday() * (cell + 2)
        if day.day == 1 or day == start:
            out.append(f'<text x="{x}" y="{top - 6}">{escape(month_label(day))}</text>')
        value = hours.get(day, Decimal(0))
        level = 0 if not value else 1 + sum(float(value) > t for t in thresholds)
        out.append(
            f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{HEAT[level]}">'
            f"<title>{escape(day_title(day, value))}</title></rect>"
        )
        day += dt.timedelta(days=1)
    out.append("</svg>")
    return Markup("\n".join(out))
