"""A deployment's photos and the bursts (sequences) they are grouped into.

Photos (``Media``) are stored as received and named by their SHA-256, which makes a second
upload of the same file a no-op. The ingest task (observations.camera.ingest) reads their
EXIF, makes a thumbnail and a preview, and groups them into ``Sequence`` bursts.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from observations.models.base import SourceRecord

from .deployments import Deployment


class Sequence(SourceRecord):
    """A burst: a deployment's photos whose gaps are under CAMERA_SEQUENCE_GAP_S seconds."""

    class State(models.TextChoices):
        UNCLASSIFIED = "unclassified", _("not classified")
        EMPTY = "empty", _("empty")
        ANIMALS = "animals", _("animals")
        OTHER = "other", _("people or vehicles")

    deployment = models.ForeignKey(
        Deployment,
        verbose_name=_("deployment"),
        on_delete=models.CASCADE,
        related_name="sequences",
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    media_count = models.PositiveIntegerField(_("photos"), default=0)
    state = models.CharField(
        _("classification"), max_length=12, choices=State.choices, default=State.UNCLASSIFIED
    )
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("classified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_id = models.CharField(_("ID in the source package"), max_length=100, blank=True)

    class Meta:
        ordering = ["deployment", "started_at", "id"]
        verbose_name = _("sequence")
        verbose_name_plural = _("sequences")
        indexes = [
            models.Index(fields=["deployment", "state", "started_at"]),
            models.Index(fields=["deployment", "started_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="sequence_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        when = f"{self.started_at:%Y-%m-%d %H:%M:%S}" if self.started_at else "?"
        return f"{self.deployment.station} {when}"


def _original_path(media, filename: str) -> str:
    return f"camera/originals/{media.sha256[:2]}/{media.sha256}{_extension(media)}"


def _extension(media) -> str:
    return {"image/jpeg": ".jpg", "image/png": ".png", "image/tiff": ".tif"}.get(
        media.content_type, ""
    )


class Media(SourceRecord):
    """One photo as received (its SHA-256 names it) with what the ingest found in it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for processing")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")
        REMOTE = "remote", _("file not on this node")

    class CaptureMethod(models.TextChoices):
        ACTIVITY = "activityDetection", _("motion or heat trigger")
        TIME_LAPSE = "timeLapse", _("time-lapse")

    deployment = models.ForeignKey(
        Deployment, verbose_name=_("deployment"), on_delete=models.PROTECT, related_name="media"
    )
    sequence = models.ForeignKey(
        Sequence,
        verbose_name=_("sequence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="media",
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, null=True, blank=True)
    file = models.FileField(_("original"), upload_to=_original_path, max_length=200, blank=True)
    thumbnail = models.FileField(_("thumbnail"), max_length=200, blank=True)
    preview = models.FileField(_("preview"), max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("media type"), max_length=40, default="image/jpeg")
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    camera_make = models.CharField(_("camera make"), max_length=100, blank=True)
    camera_model = models.CharField(_("camera model"), max_length=100, blank=True)
    camera_serial = models.CharField(_("camera serial number"), max_length=100, blank=True)
    exif_latitude = models.FloatField(_("EXIF latitude"), null=True, blank=True)
    exif_longitude = models.FloatField(_("EXIF longitude"), null=True, blank=True)
    capture_method = models.CharField(
        _("capture method"),
        max_length=20,
        choices=CaptureMethod.choices,
        default=CaptureMethod.ACTIVITY,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("error"), blank=True)
    has_people = models.BooleanField(
        _("shows people"),
        default=False,
        help_text=_("Not shared outside the protected area unless a coordinator releases it."),
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    shared_level = models.CharField(
        _("shared as"),
        max_length=12,
        blank=True,
        help_text=_(
            "For a photo received from the partner node: what its owner shares of it "
            "(thumbnails or full images)."
        ),
    )
    remote_path = models.CharField(_("path in the source package"), max_length=500, blank=True)
    external_id = models.CharField(_("ID in the source package"), max_length=100, blank=True)
    favourite = models.BooleanField(_("favourite"), default=False)

    class Meta:
        ordering = ["taken_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [
            models.Index(fields=["deployment", "taken_at"]),
            models.Index(fields=["sequence", "taken_at"]),
            models.Index(fields=["deployment", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(exif_latitude__isnull=True, exif_longitude__isnull=True)
                | Q(exif_latitude__isnull=False, exif_longitude__isnull=False),
                name="media_exif_lat_lon_together",
            ),
            models.CheckConstraint(
                condition=Q(released_by__isnull=True) | Q(has_people=True),
                name="media_release_only_with_people",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or str(self.id)

    @property
    def withheld(self) -> bool:
        """Shows people and not released: stays inside the protected area. What "shows
        people" means (a person's mark, or a human or vehicle classification) is decided
        and stored in ``has_people`` by observations.camera.people."""
        return self.has_people and self.released_by_id is None

    @staticmethod
    def withheld_q(prefix: str = "") -> Q:
        """``withheld`` as a query condition (its SQL twin, kept beside it)."""
        return Q(**{f"{prefix}has_people": True, f"{prefix}released_by__isnull": True})
