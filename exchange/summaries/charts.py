"""The trend chart: the scope's total per period (bars) and, for a joint summary, each
country's figure (lines), labelled in Russian and Chinese together ("Численность / 数量").

Matplotlib (Agg, no display) with Noto Sans CJK SC, the OpenType font of the ``mplfonts``
package, which also covers Latin and Cyrillic: the same font as the PDF, installed with the
project's dependencies rather than assumed on the machine. Matplotlib is imported here
only, when a chart is drawn (a worker draws them), never when Django starts.
"""

from __future__ import annotations

import io
from functools import lru_cache

from django.utils import translation
from django.utils.translation import gettext as _

from . import labels
from .fonts import font_path

CHART_LANGUAGES = ["ru", "zh-hans"]
BAR_COLOUR, LINE_COLOURS = "#7fa68b", {"RU": "#1f4e99", "CN": "#b22222", "MN": "#8a6d1f"}
WIDTH, HEIGHT = 7.5, 3.6  # inches


@lru_cache(maxsize=1)
def _matplotlib():
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    def font(size: float):
        return font_manager.FontProperties(fname=str(font_path()), size=size)

    return Figure, font


def both(make) -> str:
    """``make()`` in each chart language, joined: "Всего / 合计"."""
    parts = []
    for language in CHART_LANGUAGES:
        with translation.override(language):
            parts.append(str(make()))
    unique = list(dict.fromkeys(parts))
    return " / ".join(unique)


def chart_text(figures: dict) -> dict:
    """Every word of the chart, in both languages."""
    trend = figures["trend"]
    countries = sorted({c for point in trend for c in point["countries"]})
    show_countries = figures["scope"]["kind"] == "joint" and len(countries) > 1
    return {
        "title": both(
            lambda: _("Trend: %(species)s") % {"species": labels.name(figures["species"])}
        ),
        "axis": both(lambda: labels.basis(figures["basis"])),
        "total": both(lambda: _("Total")),
        "countries": {
            code: both(lambda code=code: labels.country(code))
            for code in (countries if show_countries else [])
        },
        "periods": [
            both(lambda p=point: labels.period(p["period"])).replace(" / ", "\n") for point in trend
        ],
    }


def trend_chart(figures: dict, fmt: str = "svg") -> bytes:
    """The chart as SVG (text drawn as paths: it needs no font where it is shown; the page
    and the PDF both take it) or PNG."""
    Figure, font = _matplotlib()
    text = chart_text(figures)
    trend = figures["trend"]
    xs = list(range(len(trend)))
    totals = [point["total"] for point in trend]
    fig = Figure(figsize=(WIDTH, HEIGHT), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    bars = ax.bar(xs, [t or 0 for t in totals], color=BAR_COLOUR, label=text["total"], width=0.6)
    for bar, value in zip(bars, totals, strict=True):
        ax.annotate(
            "—" if value is None else str(value),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontproperties=font(8),
        )
    for code, label in text["countries"].items():
        ax.plot(
            xs,
            [point["countries"].get(code) for point in trend],
            marker="o",
            color=LINE_COLOURS.get(code, "#444"),
            label=label,
        )
    ax.set_xticks(xs)
    ax.set_xticklabels(text["periods"], fontproperties=font(8))
    ax.set_ylabel(text["axis"], fontproperties=font(9))
    ax.set_title(text["title"], fontproperties=font(10))
    ax.set_ylim(bottom=0, top=max([t or 0 for t in totals] + [1]) * 1.18)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        prop=font(8),
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.2),
        ncols=1 + len(text["countries"]),
    )
    for tick in ax.get_yticklabels():
        tick.set_fontproperties(font(8))
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=200 if fmt == "png" else 100, metadata=_metadata(fmt))
    return out.getvalue()


def _metadata(fmt: str) -> dict:
    # No creation date or software version in the file: the same figures give the same bytes.
    return {"Date": None} if fmt == "svg" else {"Software": None}
