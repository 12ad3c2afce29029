"""Joint census campaigns: a synchronised count on both sides of the border.

National coordinators set a campaign up (species, method, count window,
participating PAs of both countries, unit); each participating PA submits
its count (CensusCount) on its own node, linked to the field records that
support it, and its manager confirms it; the coordinators resolve the
candidate double counts (DoubleCountFlag) so that the joint total counts an
animal or a flock seen from both banks once.

Campaigns, counts and flags are records that can cross the border: a UUID
made where they were created and an origin node that owns them. A count is
owned by the node of its PA (the Chinese PAs' counts are made on the Chinese
node and arrive by the exchange), a campaign and its flags by the node of
the coordinator who made them.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from observations.models.base import SourceRecord, TranslatedName
from observations.models.records import RecordStatus
from observations.models.species import Species

# The records a count may rest on: filed ones (submitted or verified), never drafts.
SUPPORTING_STATUSES = (RecordStatus.SUBMITTED, RecordStatus.VERIFIED)

# The namespace of flag ids: the same candidate gets the same id on every node.
FLAG_NAMESPACE = uuid.UUID("6f1d3c52-8a57-4f0e-9d7e-2b1a6c9e4f31")


class CensusMethod(models.TextChoices):
    POINT_COUNT = "point_count", _("synchronised point count")
    NEST_COUNT = "nest_count", _("nest count")
    SNOW_TRACK = "snow_track", _("snow-track route census")
    CAMERA_TRAP = "camera_trap", _("camera-trap survey")


class CensusCampaign(SourceRecord, TranslatedName):
    """A joint count: one species, one method, one count window, many PAs.

    The count window's dates (and, for a synchronised count, its daily hours)
    are read in each PA's own time zone: "06:00-09:00 on 12 May" means dawn
    on both banks. Counts may be submitted from the first day of the window
    until the end of ``submission_deadline`` (the PA's local midnight).
    """

    species = models.ForeignKey(
        "observations.Species",
        verbose_name=_("species"),
        on_delete=models.PROTECT,
        related_name="census_campaigns",
    )
    method = models.CharField(_("method"), max_length=20, choices=CensusMethod.choices)
    unit = models.CharField(_("unit"), max_length=20, choices=Species.Unit.choices)
    starts_on = models.DateField(_("count starts on"))
    ends_on = models.DateField(_("count ends on"))
    daily_start = models.TimeField(
        _("daily start (local time)"),
        null=True,
        blank=True,
        help_text=_("For a synchronised count: when counting starts each day, PA local time."),
    )
    daily_end = models.TimeField(_("daily end (local time)"), null=True, blank=True)
    submission_deadline = models.DateField(_("submissions close after"))
    protected_areas = models.ManyToManyField(
        "observations.ProtectedArea",
        verbose_name=_("participating protected areas"),
        related_name="census_campaigns",
    )
    duplicate_distance_km = models.PositiveIntegerField(
        _("double-count distance (km)"),
        default=30,
        help_text=_(
            "PAs across the border whose centres are this close are checked for double counts."
        ),
    )
    duplicate_window_hours = models.PositiveIntegerField(
        _("double-count time window (hours)"),
        default=48,
        help_text=_("Counts across the border this close in time are checked for double counts."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-starts_on", "name_en"]
        verbose_name = _("census campaign")
        verbose_name_plural = _("census campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(submission_deadline__gte=F("ends_on")),
                name="campaign_deadline_after_end",
            ),
            models.CheckConstraint(
                condition=Q(daily_start__isnull=True, daily_end__isnull=True)
                | Q(
                    daily_start__isnull=False,
                    daily_end__isnull=False,
                    daily_end__gt=F("daily_start"),
                ),
                name="campaign_daily_hours_valid",
            ),
        ]

    # --- the window, in a PA's own time zone -------------------------------------
    def opens_at(self, pa) -> dt.datetime:
        """When counting (and submitting) may start in this PA."""
        return dt.datetime.combine(self.starts_on, self.daily_start or dt.time(0), tzinfo=pa.tz)

    def count_ends_at(self, pa) -> dt.datetime:
        if self.daily_end:
            return dt.datetime.combine(self.ends_on, self.daily_end, tzinfo=pa.tz)
        return dt.datetime.combine(self.ends_on + dt.timedelta(days=1), dt.time(0), tzinfo=pa.tz)

    def closes_at(self, pa) -> dt.datetime:
        """When submissions from this PA close (the end of the deadline day, local time)."""
        next_day = self.submission_deadline + dt.timedelta(days=1)
        return dt.datetime.combine(next_day, dt.time(0), tzinfo=pa.tz)

    def in_count_window(self, moment: dt.datetime, pa) -> bool:
        """Was ``moment`` inside the count window (dates and daily hours) in this PA?"""
        local = moment.astimezone(pa.tz)
        if not (self.starts_on <= local.date() <= self.ends_on):
            return False
        if self.daily_start and self.daily_end:
            return self.daily_start <= local.time() <= self.daily_end
        return True


class CountStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    CONFIRMED = "confirmed", _("confirmed")


class ParticipationState(models.TextChoices):
    """A participating PA's state in a campaign: its count's status, or no count yet.

    Not a field: the campaign pages and the API show it (with these labels)."""

    MISSING = "missing", _("missing")
    SUBMITTED = CountStatus.SUBMITTED.value, _("submitted")
    CONFIRMED = CountStatus.CONFIRMED.value, _("confirmed")


# The states of a PA that has sent its count, confirmed or not (set once, here).
ParticipationState.COUNTED = frozenset({ParticipationState.SUBMITTED, ParticipationState.CONFIRMED})


class CensusCount(SourceRecord):
    """One PA's count in a campaign, with its effort and the field records behind it."""

    campaign = models.ForeignKey(
        CensusCampaign,
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="counts",
    )
    protected_area = models.ForeignKey(
        "observations.ProtectedArea",
        verbose_name=_("protected area"),
        on_delete=models.PROTECT,
        related_name="census_counts",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CountStatus.choices, default=CountStatus.SUBMITTED
    )
    counted_at = models.DateTimeField(_("counted at"))
    total = models.PositiveIntegerField(_("total"))
    count_min = models.PositiveIntegerField(_("minimum"), null=True, blank=True)
    count_max = models.PositiveIntegerField(_("maximum"), null=True, blank=True)
    # Effort: routes and km (track census), points and hours (point counts), trap-nights.
    routes = models.PositiveIntegerField(_("routes"), null=True, blank=True)
    effort_km = models.DecimalField(
        _("route length (km)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    points = models.PositiveIntegerField(_("count points"), null=True, blank=True)
    effort_hours = models.DecimalField(
        _("effort (hours)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    trap_nights = models.DecimalField(
        _("effort (trap-nights)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    counted_area_km2 = models.DecimalField(
        _("counted area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    observers = models.PositiveIntegerField(_("observers"), null=True, blank=True)
    weather = models.CharField(_("weather"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    observations = models.ManyToManyField(
        "observations.Observation",
        verbose_name=_("supporting records"),
        blank=True,
        related_name="census_counts",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["campaign", "protected_area__country", "protected_area__code"]
        verbose_name = _("census count")
        verbose_name_plural = _("census counts")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "protected_area"], name="census_count_one_per_pa"
            ),
            models.CheckConstraint(
                condition=Q(count_min__isnull=True) | Q(count_min__lte=F("total")),
                name="census_count_min_le_total",
            ),
            models.CheckConstraint(
                condition=Q(count_max__isnull=True) | Q(count_max__gte=F("total")),
                name="census_count_max_ge_total",
            ),
            models.CheckConstraint(
                condition=Q(effort_km__isnull=True) | Q(effort_km__gte=0),
                name="census_count_km_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(effort_hours__isnull=True) | Q(effort_hours__gte=0),
                name="census_count_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(trap_nights__isnull=True) | Q(trap_nights__gte=0),
                name="census_count_trap_nights_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(counted_area_km2__isnull=True) | Q(counted_area_km2__gte=0),
                name="census_count_area_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.protected_area} · {self.total}"

    @property
    def awaits_confirmation(self) -> bool:
        """Submitted and not yet confirmed: it may still be corrected or confirmed."""
        return self.status == CountStatus.SUBMITTED


class DoubleCountFlag(SourceRecord):
    """A candidate double count: the same flock or animal possibly counted on both sides.

    ``nearby``: counts of transboundary partner PAs (or PAs across the border
    within the campaign's distance) made within its time window;
    ``individual``: the same known individual (a tiger's stripes, a leopard's
    spots) supports counts on both sides. ``suggested`` is how many animals at
    most were counted twice; a coordinator decides "same" (with how many,
    ``duplicate_count``) or "different", with a note.
    """

    class Kind(models.TextChoices):
        NEARBY = "nearby", _("counts close in space and time")
        INDIVIDUAL = "individual", _("same known individual")

    class Decision(models.TextChoices):
        OPEN = "", _("not resolved")
        SAME = "same", _("same animals")
        DIFFERENT = "different", _("different animals")

    campaign = models.ForeignKey(
        CensusCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=120)
    count_a = models.ForeignKey(
        CensusCount, verbose_name=_("count"), on_delete=models.CASCADE, related_name="+"
    )
    count_b = models.ForeignKey(
        CensusCount,
        verbose_name=_("count across the border"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    individual = models.ForeignKey(
        "observations.Individual",
        verbose_name=_("known individual"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    suggested = models.PositiveIntegerField(_("possibly counted twice"))
    distance_km = models.FloatField(_("distance (km)"), null=True, blank=True)
    hours_apart = models.FloatField(_("hours apart"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default="", blank=True
    )
    duplicate_count = models.PositiveIntegerField(_("counted twice"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["campaign", "kind", "key"]
        verbose_name = _("double-count flag")
        verbose_name_plural = _("double-count flags")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "key"], name="flag_unique_key"),
            models.CheckConstraint(
                condition=Q(decision__in=["", "same", "different"]), name="flag_decision_valid"
            ),
        ]

    @staticmethod
    def id_for(campaign_id, key: str) -> uuid.UUID:
        return uuid.uuid5(FLAG_NAMESPACE, f"{campaign_id}:{key}")

    @property
    def is_open(self) -> bool:
        return self.decision == self.Decision.OPEN

    @property
    def removed(self) -> int:
        """How many animals this flag takes off the raw sum (a resolved duplicate counts once)."""
        if self.decision != self.Decision.SAME:
            return 0
        wanted = self.suggested if self.duplicate_count is None else self.duplicate_count
        return min(wanted, self.suggested)


# The decisions a coordinator may take on a flag, in the order the page offers them.
DoubleCountFlag.Decision.RESOLVED = (
    DoubleCountFlag.Decision.SAME,
    DoubleCountFlag.Decision.DIFFERENT,
)
