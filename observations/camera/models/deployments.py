"""A camera station's season: the camera details of a "camera_trap" SurveyEvent.

A deployment is a SurveyEvent of kind "camera_trap" (its place, PA, time span, status and
effort in trap-nights, shared like any other event) plus the camera details kept here,
whose primary key is the event itself.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Deployment(models.Model):
    """A camera station's season: the camera details of a "camera_trap" SurveyEvent."""

    class Problem(models.TextChoices):
        NONE = "", _("none")
        CAMERA_FAILED = "camera_failed", _("camera failed")
        BATTERY = "battery", _("battery ran out")
        MEMORY_FULL = "memory_full", _("memory card full")
        DAMAGED = "damaged", _("damaged (animal, weather)")
        STOLEN = "stolen", _("stolen")
        MOVED = "moved", _("moved or knocked over")
        CLOCK = "clock", _("wrong clock")
        OTHER = "other", _("other")

    class FeatureType(models.TextChoices):
        """Camtrap DP's featureType vocabulary."""

        NONE = "", _("not given")
        ROAD_PAVED = "roadPaved", _("paved road")
        ROAD_DIRT = "roadDirt", _("dirt road")
        TRAIL_HIKING = "trailHiking", _("hiking trail")
        TRAIL_GAME = "trailGame", _("game trail")
        ROAD_UNDERPASS = "roadUnderpass", _("road underpass")
        ROAD_OVERPASS = "roadOverpass", _("road overpass")
        ROAD_BRIDGE = "roadBridge", _("road bridge")
        CULVERT = "culvert", _("culvert")
        BURROW = "burrow", _("burrow")
        NEST_SITE = "nestSite", _("nest site")
        CARCASS = "carcass", _("carcass")
        WATER_SOURCE = "waterSource", _("water source")
        FRUITING_TREE = "fruitingTree", _("fruiting tree")

    event = models.OneToOneField(
        "observations.SurveyEvent",
        verbose_name=_("survey event"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="deployment",
    )
    station = models.CharField(_("station"), max_length=100)
    camera_make = models.CharField(_("camera make"), max_length=100, blank=True)
    camera_model = models.CharField(_("camera model"), max_length=100, blank=True)
    camera_serial = models.CharField(_("camera serial number"), max_length=100, blank=True)
    camera_height_m = models.DecimalField(
        _("camera height (m)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    camera_heading = models.PositiveSmallIntegerField(
        _("camera heading (°)"), null=True, blank=True
    )
    camera_tilt = models.SmallIntegerField(_("camera tilt (°)"), null=True, blank=True)
    camera_delay_s = models.PositiveIntegerField(_("camera delay (s)"), null=True, blank=True)
    detection_distance_m = models.DecimalField(
        _("detection distance (m)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    bait = models.BooleanField(_("bait used"), default=False)
    feature_type = models.CharField(
        _("feature"), max_length=20, choices=FeatureType.choices, blank=True, default=""
    )
    habitat = models.CharField(_("habitat"), max_length=200, blank=True)
    problem = models.CharField(
        _("problem"), max_length=20, choices=Problem.choices, blank=True, default=""
    )
    working_until = models.DateTimeField(
        _("worked until"),
        null=True,
        blank=True,
        help_text=_("When a failed camera stopped taking photos: effort counts until then."),
    )
    timestamp_issues = models.BooleanField(_("clock unreliable"), default=False)
    setup_by = models.CharField(_("set up by"), max_length=200, blank=True)
    external_id = models.CharField(
        _("ID in the source package"), max_length=100, blank=True, db_index=True
    )

    class Meta:
        ordering = ["-event__started_at"]
        verbose_name = _("camera deployment")
        verbose_name_plural = _("camera deployments")
        constraints = [
            models.CheckConstraint(
                condition=Q(camera_heading__isnull=True) | Q(camera_heading__lte=360),
                name="deployment_heading_range",
            ),
            models.CheckConstraint(
                condition=Q(camera_tilt__isnull=True)
                | Q(camera_tilt__gte=-90, camera_tilt__lte=90),
                name="deployment_tilt_range",
            ),
            models.CheckConstraint(
                condition=Q(camera_height_m__isnull=True) | Q(camera_height_m__gte=0),
                name="deployment_height_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.event.started_at:%Y-%m-%d}"

    @property
    def id(self):
        return self.event_id
