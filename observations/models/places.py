import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import vocabulary
from .base import Country, TranslatedName


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Unknown time zone: %(zone)s"), params={"zone": value}) from exc


class ProtectedArea(TranslatedName):
    """A border protected area. Reference data, seeded on both nodes alike (not synced)."""

    class Status(models.TextChoices):
        EXISTING = "existing", _("existing")
        PLANNED = "planned", _("planned")

    class Designation(models.TextChoices):
        NATURE_RESERVE = "nature_reserve", _("nature reserve")
        WILDLIFE_REFUGE = "wildlife_refuge", _("wildlife refuge")
        NATIONAL_PARK = "national_park", _("national park")
        WETLAND_RESERVE = "wetland_reserve", _("wetland reserve")
        OTHER = "other", _("other")

    class FourEyes(models.TextChoices):
        """Who may verify a record of the PA (observations.access.four_eyes_applies)."""

        SENSITIVE = "sensitive", _("another manager verifies sensitive species")
        ALL = "all", _("another manager verifies every record")
        OFF = "off", _("off: managers may verify their own records")

    code = models.CharField(_("code"), max_length=40, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.EXISTING
    )
    designation = models.CharField(
        _("designation"), max_length=20, choices=Designation.choices, default=Designation.OTHER
    )
    level = models.CharField(_("level"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    area_ha = models.DecimalField(
        _("area (ha)"), max_digits=12, decimal_places=1, null=True, blank=True
    )
    targets = models.TextField(_("conservation targets"), blank=True)
    habitat = models.CharField(_("habitat type"), max_length=200, blank=True)
    target_species = models.ManyToManyField(
        "observations.Species",
        verbose_name=_("target species"),
        blank=True,
        related_name="protected_areas",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=50, default="Asia/Shanghai", validators=[validate_time_zone]
    )
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lon = models.FloatField(_("centroid longitude"), null=True, blank=True)
    transboundary_partner = models.ForeignKey(
        "self",
        verbose_name=_("transboundary partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    four_eyes = models.CharField(
        _("four-eyes review"),
        max_length=10,
        choices=FourEyes.choices,
        default=FourEyes.SENSITIVE,
        help_text=_(
            "A PA manager may not verify a record they filed themselves: for species whose "
            "places are not shared exactly, for every record, or never."
        ),
    )

    class Meta:
        ordering = ["country", "code"]
        verbose_name = _("protected area")
        verbose_name_plural = _("protected areas")
        constraints = [
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gt=0), name="pa_area_positive"
            ),
            models.CheckConstraint(
                condition=Q(centroid_lat__isnull=True)
                | Q(centroid_lat__gte=-90, centroid_lat__lte=90),
                name="pa_centroid_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(centroid_lon__isnull=True)
                | Q(centroid_lon__gte=-180, centroid_lon__lte=180),
                name="pa_centroid_lon_range",
            ),
            models.CheckConstraint(
                condition=~Q(transboundary_partner=models.F("id")), name="pa_partner_not_self"
            ),
        ]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    # The seed values of these fields are English; pages show them in the reader's language.
    @property
    def province_label(self) -> str:
        return vocabulary.shown(vocabulary.PROVINCES, self.province)

    @property
    def level_label(self) -> str:
        return vocabulary.shown(vocabulary.LEVELS, self.level)

    @property
    def habitat_label(self) -> str:
        return vocabulary.shown(vocabulary.HABITATS, self.habitat)

    @property
    def targets_label(self) -> str:
        return vocabulary.shown(vocabulary.TARGETS, self.targets)
