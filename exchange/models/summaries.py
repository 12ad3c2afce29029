import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from observations.jobs import BackgroundJob
from observations.models import Country


class Summary(BackgroundJob):
    """A population-status summary: one species, one period, one scope (issue 7).

    Asked for by a coordinator (or made by the monthly beat job), computed by a Celery
    task from database aggregates (exchange.summaries). ``figures`` holds what was
    computed, in no language (numbers, codes and the names in the three languages); the
    pages, the HTML download and the PDF render it in Russian and Chinese side by side,
    English on request. ``fingerprint`` is a digest of cheap aggregates over the data the
    summary was made from: when the same aggregates give another digest now, the data has
    changed since and the summary shows as outdated (exchange.summaries.fingerprint).
    """

    class Scope(models.TextChoices):
        PA = "pa", _("one protected area")
        COUNTRY = "country", _("one country")
        JOINT = "joint", _("joint (both sides)")

    class PeriodKind(models.TextChoices):
        YEAR = "year", _("year")
        SEASON = "season", _("season")
        CAMPAIGN = "campaign", _("census campaign")

    class Trigger(models.TextChoices):
        REQUEST = "request", _("asked for")
        SCHEDULE = "schedule", _("monthly schedule")

    owner_field = "requested_by"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    species = models.ForeignKey(
        "observations.Species",
        verbose_name=_("species"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, blank=True)
    protected_area = models.ForeignKey(
        "observations.ProtectedArea",
        verbose_name=_("protected area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_key = models.CharField(
        _("period key"), max_length=60, help_text=_("2025, 2025-winter or a campaign's id.")
    )
    campaign = models.ForeignKey(
        "observations.CensusCampaign",
        verbose_name=_("census campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    trigger = models.CharField(
        _("made on"), max_length=10, choices=Trigger.choices, default=Trigger.REQUEST
    )
    schedule_key = models.CharField(
        _("schedule key"),
        max_length=120,
        blank=True,
        help_text=_("Set on summaries of the monthly schedule: one per species, scope and month."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"), null=True, blank=True)
    fingerprint = models.CharField(_("fingerprint of the data"), max_length=64, blank=True)
    basis = models.CharField(_("basis of the count"), max_length=12, blank=True)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    survey_kinds = models.JSONField(_("kinds of survey counted as effort"), default=list)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    chart_svg = models.TextField(_("chart (SVG)"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="summaries/", blank=True, max_length=300)
    pdf_en = models.FileField(
        _("PDF with English"), upload_to="summaries/", blank=True, max_length=300
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")
        indexes = [
            models.Index(fields=["species", "created_at"]),
            models.Index(fields=["scope", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope="pa", protected_area__isnull=False, country="")
                | Q(scope="country", protected_area__isnull=True) & ~Q(country="")
                | Q(scope="joint", protected_area__isnull=True, country=""),
                name="summary_scope_consistent",
            ),
            models.CheckConstraint(
                condition=~Q(period_kind="campaign") | Q(campaign__isnull=False),
                name="summary_campaign_period_has_campaign",
            ),
            models.UniqueConstraint(
                fields=["schedule_key"],
                condition=~Q(schedule_key=""),
                name="summary_one_per_schedule_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.species} · {self.period_key} · {self.get_scope_display()}"
