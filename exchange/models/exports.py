import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from observations.jobs import BackgroundJob


class ExportJob(BackgroundJob):
    """One export a coordinator asked for: its format and filters, progress, and the file.

    Created by the request (exchange.exports.service.export_create), built by a
    Celery task that streams the rows into the file (exchange.exports), kept
    until ``expires_at``. What the file shows is the disclosure policy's answer for its
    ``purpose``: the public (publication, the default) or the person who asked (internal:
    exact in the PAs they oversee), so only they (or an admin) may download it; the
    purpose stays on the job, the log of what left and how.
    """

    class Format(models.TextChoices):
        CSV = "csv", _("CSV")
        XLSX = "xlsx", _("Excel workbook (XLSX)")
        GEOJSON = "geojson", _("GeoJSON")
        DWCA = "dwca", _("Darwin Core Archive")

    class Purpose(models.TextChoices):
        PUBLICATION = "publication", _("for publication (sensitive places generalised)")
        INTERNAL = "internal", _("internal (exact places of your country: not for sharing)")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    purpose = models.CharField(
        _("purpose"),
        max_length=12,
        choices=Purpose.choices,
        default=Purpose.PUBLICATION,
        help_text=_(
            "For publication (GBIF, a workshop): every species at its sensitivity, whoever "
            "asks. Internal: exact places of the PAs you oversee, for your office only."
        ),
    )
    dataset_version = models.ForeignKey(
        "exchange.DatasetVersion",
        verbose_name=_("dataset version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="downloads",
        help_text=_("Set when the export is the download of a shared dataset's version."),
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    file = models.FileField(_("file"), upload_to="exports/", blank=True, max_length=300)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_format_display()} ({self.get_status_display()})"
