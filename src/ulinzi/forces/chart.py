"""Render the strength timeline as a stacked step chart in SVG, on the server.

Server-side SVG keeps the Force page free of chart JavaScript and works on slow links; text stays
as SVG text so screen readers and tests can read the labels.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import matplotlib
from matplotlib.axes import Axes
from matplotlib.dates import DateFormatter, MonthLocator, date2num
from matplotlib.figure import Figure

from ulinzi.forces.strength import Timeline

PALETTE = ("#1b6ca8", "#e07b39", "#3a9d5d", "#b8405e", "#7b5ea7", "#8c6d31", "#4c9fb5", "#c4a000")


def render_svg(line: Timeline, names: dict[str, str], today: date) -> bytes:
    """Stacked deployed strength by country, with pledged total and ceiling as step lines."""
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans", "svg.hashsalt": "ulinzi"}):
        figure = Figure(figsize=(9, 4.2), dpi=100)
        axes = figure.add_subplot()
        if not line.dates:
            axes.text(0.5, 0.5, "No movements recorded yet", ha="center", va="center", transform=axes.transAxes)
            axes.set_axis_off()
            return _svg(figure)
        end = max(today, line.dates[-1] + timedelta(days=30))
        dates = [float(date2num(day)) for day in (*line.dates, end)]  # type: ignore[no-untyped-call]  # untyped in matplotlib
        base = [0] * len(dates)
        for index, series in enumerate(line.series):
            values = [*series.values, series.values[-1]]
            top = [b + v for b, v in zip(base, values, strict=True)]
            axes.fill_between(
                dates,
                base,
                top,
                step="post",
                color=PALETTE[index % len(PALETTE)],
                alpha=0.85,
                label=names.get(series.country, series.country),
                linewidth=0,
            )
            base = top
        _step_line(axes, dates, line.pledged, label="pledged (total)", style="--", colour="#444444")
        _step_line(axes, dates, line.ceiling, label="authorised ceiling", style=":", colour="#b00020")
        axes.set_ylabel("personnel")
        axes.set_ylim(bottom=0)
        axes.set_xlim(dates[0], dates[-1])
        axes.xaxis.set_major_locator(MonthLocator(bymonth=(1, 4, 7, 10)))  # type: ignore[no-untyped-call]  # untyped in matplotlib
        axes.xaxis.set_major_formatter(DateFormatter("%b %Y"))  # type: ignore[no-untyped-call]  # untyped in matplotlib
        axes.grid(axis="y", color="#dddddd")
        axes.legend(loc="upper left", fontsize=8, frameon=False)
        axes.set_title("Deployed strength by contributing country", fontsize=11)
        figure.autofmt_xdate()
        figure.tight_layout()
        return _svg(figure)


def _step_line(
    axes: Axes, dates: list[float], values: tuple[int | None, ...], *, label: str, style: str, colour: str
) -> None:
    if not any(value is not None for value in values):
        return
    extended = [*values, values[-1]]
    axes.step(
        dates,
        [float("nan") if v is None else v for v in extended],
        where="post",
        linestyle=style,
        color=colour,
        label=label,
        linewidth=1.5,
    )


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "Ulinzi"})
    return buffer.getvalue()
