"""Summaries: asked for by a coordinator (or by the monthly schedule), built by a worker.

``summary_create`` checks the request (species, period, scope), stores a pending summary
and enqueues ``exchange.build_summary`` once the transaction commits. ``summary_run`` (the
task's body) claims it, computes its figures and the fingerprint of their data, draws
the chart, sets the PDF (Russian | Chinese; the one with English as well is made on its
first download) and records the outcome. ``summaries_schedule`` (beat, monthly) asks for
the joint summary of the year of every jointly monitored species, once per month (a
unique key makes a second run a no-op).

Errors (DomainError codes): ``forbidden``; ``unknown_species``; ``bad_period``,
``unknown_campaign``, ``species_mismatch`` (periods.py); ``bad_scope``,
``scope_mismatch``, ``unknown_country``, ``unknown_protected_area`` (scope.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.errors import DomainError, NotAllowed
from observations.models import Species

from ..models import Summary
from . import charts
from . import figures as F
from . import periods as P
from .context import Context
from .document import SIDE_BY_SIDE, WITH_ENGLISH, documents
from .fingerprint import Inputs, fingerprint
from .scope import COUNTRY, JOINT, PA, Scope, parse_scope

log = logging.getLogger(__name__)


def species_lookup(value: str | None) -> Species:
    """A species by its scientific name or its slug (``panthera-tigris-altaica``)."""
    text = " ".join((value or "").replace("-", " ").replace("_", " ").split())
    found = Species.objects.filter(scientific_name__iexact=text).first() if text else None
    if found is None:
        raise DomainError(
            _("Unknown species: %(value)s.") % {"value": value or "—"},
            "unknown_species",
            field="species",
        )
    return found


def _check_campaign_scope(period: P.Period, scope: Scope) -> None:
    if period.kind != P.CAMPAIGN or scope.kind == JOINT:
        return
    pas = period.campaign.protected_areas.all()
    inside = (
        pas.filter(pk=scope.pa.pk).exists()
        if scope.kind == PA
        else pas.filter(country=scope.country).exists()
    )
    if not inside:
        raise DomainError(
            _("The campaign has no participating protected area in this scope."),
            "scope_mismatch",
            field="scope",
        )


def summary_create(
    *,
    access: Access | None,
    user,
    species: str,
    scope: str,
    country: str = "",
    protected_area: str = "",
    year=None,
    season: str | None = None,
    campaign: str | None = None,
    trigger: str = Summary.Trigger.REQUEST,
    enqueue: bool = True,
) -> Summary:
    """A new pending summary; the worker starts when the transaction commits (``enqueue``
    False: the caller builds it itself, as ``manage.py make_summary`` does). ``access``
    None is the node's own request (the command line)."""
    if access is not None and not access.can_make_summaries:
        raise NotAllowed(_("Only national coordinators ask for summaries."), "forbidden")
    found = species_lookup(species)
    where = parse_scope(scope=scope, country=country, protected_area=protected_area)
    period = P.parse_period(species=found, year=year, season=season, campaign=campaign)
    _check_campaign_scope(period, where)
    with transaction.atomic():
        summary = Summary.objects.create(
            species=found,
            scope=where.kind,
            country=where.country,
            protected_area=where.pa,
            period_kind=period.kind,
            period_key=period.key,
            campaign=period.campaign,
            trigger=trigger,
            requested_by=user,
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(summary.pk))
    return summary


def _enqueue(summary_id) -> None:
    from .tasks import build_summary

    build_summary.delay(str(summary_id))


def scope_of(summary: Summary) -> Scope:
    return Scope(summary.scope, summary.country, summary.protected_area)


def period_of(summary: Summary) -> P.Period:
    return P.period_of(summary.period_kind, summary.period_key, summary.campaign)


@contextmanager
def _one_snapshot():
    """The figures and the fingerprint are read in one transaction, so that the digest
    describes exactly the data counted: REPEATABLE READ on PostgreSQL (with the settings
    of a reporting job: no JIT compilation, which costs more than it saves on one-off
    aggregates, and room to sort in memory); on SQLite a transaction is a snapshot
    already."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def measure(summary: Summary) -> dict:
    """The figures of the summary and the fingerprint of the data they were made from."""
    with _one_snapshot():
        ctx = Context.make(
            species=summary.species, period=period_of(summary), scope=scope_of(summary)
        )
        figures = F.compute(ctx)
        kinds = figures["survey_kinds"]
        digest = fingerprint(Inputs(summary.species_id, ctx.period, ctx.zones, kinds))
    return {"fingerprint": digest, "survey_kinds": kinds, "figures": figures}


def build(summary: Summary) -> dict:
    """Fingerprint, figures, chart and PDF of a summary (nothing saved): the work of the
    task, also what the benchmark times."""
    from . import pdf  # fpdf2 and fontTools: loaded by the worker, not by every web process

    made = measure(summary)
    figures = made["figures"]
    made_at = dt.datetime.fromisoformat(figures["made_at"])
    svg = charts.trend_chart(figures)
    return {
        **made,
        "chart_svg": svg.decode("utf-8"),
        "pdf": pdf.render(documents(figures, SIDE_BY_SIDE), svg, made_at),
        "made_at": made_at,
    }


def english_pdf(summary: Summary):
    """The PDF with English as a third language: made on its first download (the worker
    makes the Russian | Chinese one, which most readers want) and kept."""
    if summary.pdf_en and summary.pdf_en.storage.exists(summary.pdf_en.name):
        return summary.pdf_en
    from . import pdf

    figures = summary.figures
    made_at = dt.datetime.fromisoformat(figures["made_at"])
    chart = summary.chart_svg.encode("utf-8") or None
    content = pdf.render(documents(figures, WITH_ENGLISH), chart, made_at)
    name = f"{summary.pk}/{filename(summary, 'pdf', english=True)}"
    summary.pdf_en.save(name, ContentFile(content), save=False)
    Summary.update_row(summary.pk, pdf_en=summary.pdf_en.name)
    return summary.pdf_en


def filename(summary: Summary, ext: str, english: bool = False) -> str:
    where = {
        PA: summary.protected_area.code if summary.protected_area else "",
        COUNTRY: summary.country,
    }
    parts = [
        "amur-summary",
        slugify(summary.species.scientific_name),
        summary.period_key if summary.period_kind != P.CAMPAIGN else "campaign",
        (where.get(summary.scope) or summary.scope).lower(),
    ]
    if english:
        parts.append("en")
    return "-".join(parts) + f".{ext}"


def summary_run(*, summary_id) -> Summary:
    """Build the summary. Idempotent: a finished one is left alone; one whose worker was
    lost (still "running") is built again."""
    claimed = Summary.start(summary_id)
    summary = Summary.objects.select_related("species", "protected_area", "campaign").get(
        pk=summary_id
    )
    if not claimed:
        return summary
    try:
        made = build(summary)
        summary.pdf.save(
            f"{summary.pk}/{filename(summary, 'pdf')}", ContentFile(made["pdf"]), save=False
        )
        Summary.finish(
            summary.pk,
            made_at=made["made_at"],
            fingerprint=made["fingerprint"],
            survey_kinds=made["survey_kinds"],
            figures=made["figures"],
            basis=made["figures"]["basis"],
            total=made["figures"]["total"],
            chart_svg=made["chart_svg"],
            pdf=summary.pdf.name,
            pdf_en="",
            error_code="",
            detail="",
        )
    except Exception as exc:
        log.exception("summary %s failed", summary.pk)
        Summary.fail(summary.pk, code="build_failed", detail=exc.__class__.__name__)
        raise
    summary.refresh_from_db()
    return summary


def summaries_schedule(*, today: dt.date | None = None) -> list[Summary]:
    """The monthly joint summaries: one per jointly monitored species for the year the
    month before belongs to (on 1 January, the whole year just ended). Safe to run twice."""
    today = today or timezone.now().date()
    year = (today.replace(day=1) - dt.timedelta(days=1)).year
    made = []
    for species in Species.objects.filter(jointly_monitored=True).order_by("pk"):
        key = f"joint:{species.pk}:{year}:{today:%Y-%m}"
        with transaction.atomic():
            summary, created = Summary.objects.get_or_create(
                schedule_key=key,
                defaults={
                    "species": species,
                    "scope": JOINT,
                    "period_kind": P.YEAR,
                    "period_key": str(year),
                    "trigger": Summary.Trigger.SCHEDULE,
                },
            )
            if created:
                transaction.on_commit(lambda pk=summary.pk: _enqueue(pk))
                made.append(summary)
    return made
