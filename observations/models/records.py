from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import SourceRecord
from .individuals import Sex


class RecordStatus(models.TextChoices):
    """The review workflow: draft -> submitted -> verified or rejected (-> submitted again)."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


# Sets of statuses, named once (set after the class: inside it they would become members).
# Its filer may still change a record in these (observations.access.can_edit_record).
RecordStatus.EDITABLE = (RecordStatus.DRAFT, RecordStatus.REJECTED)
# What an agreement, an export or a dataset shares when it names no status: what a PA
# manager has verified; a received record that states none was shared as such.
RecordStatus.SHARED_BY_DEFAULT = (RecordStatus.VERIFIED,)


class Evidence(models.TextChoices):
    SIGHTING = "sighting", _("sighting")
    CAMERA = "camera", _("camera trap")
    TRACK = "track", _("track")
    SCAT = "scat", _("scat")
    NEST = "nest", _("nest")
    CALL = "call", _("call")
    KILL = "kill", _("kill")
    HAIR = "hair", _("hair")
    OTHER = "other", _("other")


class RecordSource(models.TextChoices):
    FORM = "form", _("form")
    API = "api", _("API")
    IMPORT = "import", _("file import")
    CAMERA = "camera", _("camera-trap classification")
    SYNC = "sync", _("received from partner node")
    DEMO = "demo", _("synthetic demo data")


def _lat_lon_constraints(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
            name=f"{prefix}_latitude_range",
        ),
        models.CheckConstraint(
            condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
            name=f"{prefix}_longitude_range",
        ),
        models.CheckConstraint(
            condition=Q(latitude__isnull=True, longitude__isnull=True)
            | Q(latitude__isnull=False, longitude__isnull=False),
            name=f"{prefix}_lat_lon_together",
        ),
    ]


class SurveyEvent(SourceRecord):
    """An effort in the field: a route, a count, a camera deployment. Observations hang off it."""

    class Kind(models.TextChoices):
        CAMERA_TRAP = "camera_trap", _("camera-trap deployment")
        TRANSECT = "transect", _("transect")
        SNOW_TRACK = "snow_track", _("snow-track route")
        POINT_COUNT = "point_count", _("point count")
        NEST_SURVEY = "nest_survey", _("nest survey")
        AERIAL = "aerial", _("aerial count")
        INCIDENTAL = "incidental", _("incidental")

    protected_area = models.ForeignKey(
        "observations.ProtectedArea",
        verbose_name=_("protected area"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    effort_km = models.DecimalField(
        _("effort (km)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    effort_trap_nights = models.DecimalField(
        _("effort (trap-nights)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    effort_hours = models.DecimalField(
        _("effort (hours)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    team = models.CharField(_("team"), max_length=300, blank=True)
    joint_team = models.BooleanField(_("joint RU-CN team"), default=False)
    protocol = models.CharField(_("protocol"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("survey event")
        verbose_name_plural = _("survey events")
        indexes = [models.Index(fields=["protected_area", "started_at"])]
        constraints = [
            *_lat_lon_constraints("event"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(effort_km__isnull=True) | Q(effort_km__gte=0),
                name="event_effort_km_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(effort_trap_nights__isnull=True) | Q(effort_trap_nights__gte=0),
                name="event_trap_nights_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(effort_hours__isnull=True) | Q(effort_hours__gte=0),
                name="event_effort_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d}"


class Observation(SourceRecord):
    """One occurrence: a species at a time and place, with a count and its evidence."""

    class AgeClass(models.TextChoices):
        UNKNOWN = "unknown", _("unknown")
        ADULT = "adult", _("adult")
        SUBADULT = "subadult", _("subadult")
        JUVENILE = "juvenile", _("juvenile")
        CUB = "cub", _("cub / chick")

    event = models.ForeignKey(
        SurveyEvent,
        verbose_name=_("survey event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
    )
    protected_area = models.ForeignKey(
        "observations.ProtectedArea",
        verbose_name=_("protected area"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    species = models.ForeignKey(
        "observations.Species",
        verbose_name=_("species"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    observed_at = models.DateTimeField(_("observed at"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinate_uncertainty_m = models.PositiveIntegerField(
        _("coordinate uncertainty (m)"), null=True, blank=True
    )
    count = models.IntegerField(_("count"), default=1)
    count_min = models.IntegerField(_("minimum count"), null=True, blank=True)
    count_max = models.IntegerField(_("maximum count"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, default="individuals")
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_class = models.CharField(
        _("age class"), max_length=10, choices=AgeClass.choices, default=AgeClass.UNKNOWN
    )
    evidence = models.CharField(_("evidence"), max_length=10, choices=Evidence.choices)
    individual = models.ForeignKey(
        "observations.Individual",
        verbose_name=_("known individual"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
    )
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.DRAFT
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    observer_code = models.CharField(
        _("observer code"),
        max_length=40,
        blank=True,
        help_text=_("Stable pseudonymous code of the observer; names stay on their node."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=RecordSource.choices, default=RecordSource.FORM
    )
    # The audit history is read by record (id) and by date, never by these: an index each
    # would only slow every write (a file import writes 100,000 history rows at once).
    history = HistoricalRecords(
        no_db_index=[
            "created_by",
            "updated_by",
            "reviewed_by",
            "event",
            "protected_area",
            "species",
            "individual",
        ]
    )

    class Meta:
        ordering = ["-observed_at", "id"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [
            models.Index(fields=["species", "observed_at"]),
            models.Index(fields=["protected_area", "observed_at"]),
            models.Index(fields=["status", "protected_area"]),
            models.Index(fields=["observed_at", "id"]),
        ]
        constraints = [
            *_lat_lon_constraints("observation"),
            models.CheckConstraint(
                condition=Q(count__gte=0), name="observation_count_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(count_min__isnull=True) | Q(count_min__gte=0),
                name="observation_count_min_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(count_min__isnull=True) | Q(count_min__lte=F("count")),
                name="observation_count_min_le_count",
            ),
            models.CheckConstraint(
                condition=Q(count_max__isnull=True) | Q(count_max__gte=F("count")),
                name="observation_count_max_ge_count",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="observation_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.species} × {self.count} ({self.observed_at:%Y-%m-%d})"
