"""Server-side SVG charts: no JavaScript and no network access needed to draw them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

COLOURS = {"negative": "#c62828", "neutral": "#8d99ae", "positive": "#2e7d32", "value": "#3a5a9b"}


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    """Wrap chart elements in an accessible SVG element."""
    return Markup(  # noqa: S704 - every piece of text inside was escaped by the caller
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body) + "</svg>")


def stacked_bars(labels: Sequence[str], series: Mapping[str, Sequence[int]], title: str,
                 width: int = 640, height: int = 220, colours: Mapping[str, str] | None = None) -> Markup:
    """Draw vertical bars per label, stacked by series (e.g. sentiment per day); `colours` by series name."""
    colours = {**COLOURS, **(colours or {})}
    totals = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    plot_h, base, left = height - 40, height - 24, 30
    step = (width - left - 30) / max(len(labels), 1)  # room on the right for the last date label
    # A date label ("11-30") needs about 36 px: label every n-th bar so they never overlap.
    every = max(1, math.ceil(36 / step))
    body = [f'<text x="2" y="14" class="axis">{top}</text>',
            f'<line x1="{left}" y1="{base}" x2="{width - 10}" y2="{base}" class="axis-line"/>']
    for i, label in enumerate(labels):
        x, y = left + i * step + 2, float(base)
        for name, values in series.items():
            h = values[i] / top * plot_h
            if h:
                y -= h
                body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
                            f'fill="{colours.get(name, COLOURS["value"])}"><title>{escape(label)}: '
                            f'{values[i]} {escape(name)}</title></rect>')
        if (len(labels) - 1 - i) % every == 0:  # count from the newest day, so today is always labelled
            body.append(f'<text x="{x:.1f}" y="{height - 8}" class="axis">{escape(label[-5:])}</text>')
    return _svg(width, height, body, title)


def horizontal_bars(items: Sequence[tuple[str, float]], title: str, unit: str = "",
                    width: int = 640, marker: float | None = None) -> Markup:
    """Draw one horizontal bar per (label, value); an optional marker line (e.g. the SLA target)."""
    row, label_w = 22, 170
    height = max(len(items), 1) * row + 10
    top = max([v for _, v in items] + [marker or 0], default=0) or 1
    scale = (width - label_w - 60) / top
    body = []
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        body.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" class="axis">'
                    f'{escape(label[:28])}</text>'
                    f'<rect x="{label_w}" y="{y + 3}" width="{max(value * scale, 1):.1f}" height="{row - 6}" '
                    f'fill="{COLOURS["value"]}"/><text x="{label_w + value * scale + 4:.1f}" y="{y + 15}" '
                    f'class="axis">{value:g}{escape(unit)}</text>')
    if marker is not None:
        x = label_w + marker * scale
        body.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height}" class="marker">'
                    f'<title>target {marker:g}{escape(unit)}</title></line>')
    return _svg(width, height, body, title)
