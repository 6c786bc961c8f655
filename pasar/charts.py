"""Server-rendered SVG charts: light for cheap phones, no chart library."""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import number_format

PALETTE = ["#1f7a4d", "#e0a526", "#3b82c4", "#b5485d", "#6c757d"]


@dataclass
class Series:
    label: str
    values: list[int | float]


def _grouped(value) -> str:
    """A whole number grouped the active language's way: 1.234 / 1,234."""
    return number_format(round(value), force_grouping=True)


def horizontal_bars(
    labels: list[str],
    series: list[Series],
    *,
    title: str,
    value_format: Callable[[float], str] = _grouped,
) -> str:
    """Return an accessible SVG with one stacked horizontal bar per label."""
    row_height, label_width, chart_width, gap = 28, 170, 300, 6
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    rows = []
    for i, label in enumerate(labels):
        x = label_width
        segments = []
        for index, s in enumerate(series):
            width = chart_width * s.values[i] / top
            if width > 0:
                segments.append(
                    {
                        "x": round(x, 1),
                        "width": round(width, 1),
                        "color": PALETTE[index],
                    }
                )
            x += width
        rows.append(
            {
                "y": i * row_height + 24,
                "label": label,
                "segments": segments,
                "total": value_format(totals[i]),
                "total_x": round(min(x + 4, label_width + chart_width - 2), 1),
            }
        )
    return render_to_string(
        "pasar/partials/_bar_chart.svg",
        {
            "title": title,
            "rows": rows,
            "legend": [
                {"label": s.label, "color": PALETTE[i], "x": label_width + i * 150}
                for i, s in enumerate(series)
            ],
            "height": len(labels) * row_height + 34,
            "width": label_width + chart_width + 90,
            "bar_height": row_height - gap,
            "label_x": label_width - 5,
        },
    )
