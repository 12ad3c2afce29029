"""A summary as HTML: the context of the page and of the downloadable file (the same
documents as the PDF, in columns), and a summary's name in the active language for lists."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from observations.models import localized

from ..models import Summary
from . import labels
from .document import documents, languages

CSS = Path(settings.BASE_DIR) / "static" / "css" / "summary.css"
ERRORS = {"build_failed": _("The summary could not be made; ask for it again.")}


def body_context(summary: Summary, *, english: bool) -> dict:
    docs = documents(summary.figures, languages(english))
    groups = [
        {"key": sections[0].key, "columns": list(zip(docs, sections, strict=True))}
        for sections in zip(*[d.sections for d in docs], strict=True)
    ]
    return {
        "docs": docs,
        "groups": groups,
        "columns": len(docs),
        # Matplotlib's own SVG, text drawn as paths, made by the worker from the figures.
        "chart": mark_safe(summary.chart_svg),  # noqa: S308
        "english": english,
    }


def standalone(summary: Summary, *, english: bool) -> str:
    """The downloadable HTML file: self-contained (its style inline, the chart inline)."""
    context = body_context(summary, english=english)
    context["css"] = mark_safe(CSS.read_text(encoding="utf-8"))  # noqa: S308
    context["summary"] = summary
    return render_to_string("exchange/summary_document.html", context)


def describe(summary: Summary) -> dict:
    """Species, period and scope of a stored summary in the active language (no query:
    species, PA and campaign are selected with it)."""
    if summary.period_kind == "campaign" and summary.campaign is not None:
        period = localized(summary.campaign)
    else:
        kind = summary.period_kind
        year, _sep, season = summary.period_key.partition("-")
        period = labels.period({"kind": kind, "year": year, "season": season, "key": year})
    if summary.scope == "pa" and summary.protected_area is not None:
        scope = localized(summary.protected_area)
    elif summary.scope == "country":
        scope = labels.country(summary.country)
    else:
        scope = labels.scope({"kind": "joint"})
    return {"species": localized(summary.species), "period": period, "scope": scope}


def error_message(summary: Summary) -> str:
    return str(ERRORS.get(summary.error_code, summary.detail)) if summary.error_code else ""
