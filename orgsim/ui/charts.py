"""Live charts as SVG strings: lines over simulated days, and grouped bars.

Drawn by hand rather than with matplotlib: a chart of a few hundred points is a few
kilobytes of SVG built in well under a millisecond, where a matplotlib PNG per frame
is SolaraViz's slowest part.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 320.0, 170.0
LEFT, RIGHT, TOP, BOTTOM = 40.0, 8.0, 20.0, 26.0


@dataclass(frozen=True)
class Line:
    """One series of a line chart."""

    label: str
    colour: str
    xs: Sequence[float]
    ys: Sequence[float]
    dashed: bool = False


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``value``."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def line_chart(
    title: str, lines: Sequence[Line], y_max: float | None = None, height: float = HEIGHT
) -> str:
    """Lines over days on shared axes; gaps (NaN) break a line.

    ``height`` (SVG units, the width is :data:`WIDTH`): a presentation draws them squat,
    so that four fit beside the org charts.
    """
    x_top = nice_ceiling(max((max(line.xs) for line in lines if line.xs), default=1.0))
    finite = [y for line in lines for y in line.ys if math.isfinite(y)]
    y_top = y_max if y_max is not None else nice_ceiling(max(finite, default=1.0))
    width, inner = WIDTH - LEFT - RIGHT, height - TOP - BOTTOM

    def point(x: float, y: float) -> str:
        return f"{LEFT + width * x / x_top:.1f},{TOP + inner * (1 - min(y, y_top) / y_top):.1f}"

    paths = []
    for line in lines:
        runs, run = [], []
        for x, y in zip(line.xs, line.ys, strict=True):
            if math.isfinite(y):
                run.append(point(x, y))
            elif run:
                runs.append(run)
                run = []
        runs.append(run)
        dash = ' stroke-dasharray="4 3"' if line.dashed else ""
        paths += [
            f'<polyline fill="none" stroke="{line.colour}" stroke-width="1.5"{dash} '
            f'points="{" ".join(r)}"/>'
            for r in runs
            if r
        ]
    return _frame(title, x_top, y_top, "".join(paths) + _legend(lines), height)


def _frame(title: str, x_top: float, y_top: float, body: str, outer: float) -> str:
    width, height = WIDTH - LEFT - RIGHT, outer - TOP - BOTTOM
    ticks = []
    steps = _steps(height)
    for i in range(steps + 1):
        y = TOP + height * (1 - i / steps)
        ticks.append(
            f'<line x1="{LEFT}" x2="{LEFT + width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{LEFT - 3}" y="{y + 3:.1f}" text-anchor="end">'
            f"{_number(y_top * i / steps)}</text>"
        )
    for i in range(5):
        x = LEFT + width * i / 4
        ticks.append(
            f'<text x="{x:.1f}" y="{TOP + height + 12}" text-anchor="middle">'
            f"{_number(x_top * i / 4)}</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {outer:.0f}" '
        f'class="chart" width="100%"><style>text{{font:9px sans-serif;fill:#444}}</style>'
        f'<text x="{LEFT}" y="12" style="font-weight:bold">{escape(title)}</text>'
        + "".join(ticks)
        + f'<text x="{LEFT + width / 2}" y="{outer - 3}" text-anchor="middle">working days</text>'
        + f'<rect x="{LEFT}" y="{TOP}" width="{width}" height="{height}" fill="none" '
        'stroke="#bbb"/>' + body + "</svg>"
    )


def _legend(lines: Sequence[Line]) -> str:
    items = []
    for i, line in enumerate(lines):
        x, y = LEFT + 6 + (i % 2) * 130, TOP + 10 + (i // 2) * 11
        dash = ' stroke-dasharray="4 3"' if line.dashed else ""
        items.append(
            f'<line x1="{x}" x2="{x + 14}" y1="{y - 3}" y2="{y - 3}" stroke="{line.colour}" '
            f'stroke-width="1.5"{dash}/><text x="{x + 17}" y="{y}">{escape(line.label)}</text>'
        )
    return "".join(items)


def bar_chart(
    title: str,
    groups: Sequence[tuple[str, str, Sequence[tuple[str, float]]]],
    outer: float = HEIGHT,
) -> str:
    """Bars per level, one group per organisation: ``(name, colour, [(level, value)])``.

    Organisations may have different layers, so each bar is labelled with its own level.
    ``outer`` is the chart's height, as :func:`line_chart`'s ``height``.
    """
    width, height = WIDTH - LEFT - RIGHT, outer - TOP - BOTTOM - 22
    bars = [(name, colour, label, value) for name, colour, rows in groups for label, value in rows]
    y_top = nice_ceiling(max((b[3] for b in bars), default=1.0))
    steps = _steps(height)
    slot = width / max(1, len(bars) + len(groups) - 1)
    parts, x = [], LEFT
    for g, (_, colour, rows) in enumerate(groups):
        for label, value in rows:
            bar_h = height * value / y_top
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{TOP + height - bar_h:.1f}" width="{slot - 2:.1f}" '
                f'height="{bar_h:.1f}" fill="{colour}"/>'
                f'<text transform="translate({x + slot / 2 + 3:.1f},{TOP + height + 3:.1f}) '
                f'rotate(-40)" text-anchor="end" style="font-size:7px">{escape(label)}</text>'
            )
            x += slot
        if g < len(groups) - 1:
            x += slot
    ticks = "".join(
        f'<text x="{LEFT - 3}" y="{TOP + height * (1 - i / steps) + 3:.1f}" text-anchor="end">'
        f"{_number(y_top * i / steps)}</text>"
        for i in range(steps + 1)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {outer:.0f}" '
        f'class="chart" width="100%"><style>text{{font:9px sans-serif;fill:#444}}</style>'
        f'<text x="{LEFT}" y="12" style="font-weight:bold">{escape(title)}</text>{ticks}'
        f'<line x1="{LEFT}" x2="{LEFT + width}" y1="{TOP + height}" y2="{TOP + height}" '
        f'stroke="#bbb"/>{"".join(parts)}</svg>'
    )


def _steps(height: float) -> int:
    """Steps of the value axis: quarters, or halves or one on a squat chart.

    So that its labels (9 units high) never overlap; each is a nice value, as the top is.
    """
    return 4 if height >= 48 else 2 if height >= 24 else 1


def _number(value: float) -> str:
    return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
