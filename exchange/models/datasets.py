"""Shared datasets for joint workshops: a query, its frozen versions, reviewers, comments.

A coordinator defines a ``Dataset`` by a query (the filters of exchange.exports.query:
species, PAs of both sides, a period, statuses; received records or not) and publishes
``DatasetVersion``s of it. Publishing copies the matching records into ``DatasetRow``s,
already generalised to the dataset's precision (exchange.datasets.publish): later edits of
the records never reach a published version, whose row count and checksum stay as they
were. Reviewers are invited per dataset (``DatasetReviewer``); what each role may do is
decided in observations.access. Flags and comments on a record are ``Remark``s (they
travel to the record's owner through the feed); comments on the dataset itself are local
(``DatasetComment``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from observations.models.base import localized

from .agreements import Precision


class Dataset(models.Model):
    """What a workshop looks at: a query over the records, published as frozen versions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(_("title"), max_length=300)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    licence = models.CharField(_("licence"), max_length=40, default="CC-BY-4.0")
    precision = models.CharField(
        _("location precision"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.KM1,
        help_text=_(
            "The finest precision of the places in the dataset. Each species is never "
            "shown finer than its own sensitivity allows."
        ),
    )
    query = models.JSONField(_("query"), default=dict, blank=True)
    include_received = models.BooleanField(
        _("include records received from the partner node"), default=True
    )
    excluded_records = models.JSONField(
        _("records left out"),
        default=list,
        blank=True,
        help_text=_("Ids of records the next versions leave out (a duplicate, say)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("shared dataset")
        verbose_name_plural = _("shared datasets")

    def __str__(self) -> str:
        return self.title

    @property
    def description(self) -> str:
        return localized(self, "description")


class DatasetReviewer(models.Model):
    """An invitation: this user reviews this dataset, whatever PA they belong to."""

    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="reviewers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="dataset_invitations",
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["invited_at"]
        verbose_name = _("dataset reviewer")
        verbose_name_plural = _("dataset reviewers")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "user"], name="dataset_reviewer_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.dataset}"


class DatasetVersion(models.Model):
    """One published state of a dataset: its rows, count, checksum and citation, frozen.

    The dataset's title, description, licence, precision and query are copied here when
    the version is made, so that a later edit of the dataset changes no old version.
    A big version is frozen by a Celery task (status ``building`` until it is done).
    """

    class Status(models.TextChoices):
        BUILDING = "building", _("being built")
        PUBLISHED = "published", _("published")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BUILDING
    )
    note = models.TextField(_("what changed"), blank=True)
    title = models.CharField(_("title"), max_length=300)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    licence = models.CharField(_("licence"), max_length=40)
    precision = models.CharField(_("location precision"), max_length=5, choices=Precision.choices)
    query = models.JSONField(_("query"), default=dict, blank=True)
    include_received = models.BooleanField(_("includes received records"), default=True)
    excluded_records = models.JSONField(_("records left out"), default=list, blank=True)
    contributors = models.JSONField(_("contributors"), default=list, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    citation = models.TextField(_("citation"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["dataset", "-number"]
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class DatasetRow(models.Model):
    """A record as it was published in one version: a frozen copy, its place generalised.

    ``record_id`` is the record's UUID (no foreign key: the record may change or go away,
    the row stays). The species and PA keys serve filters and names; their codes are
    frozen beside them and are what the checksum covers (exchange.datasets.checksum).
    """

    version = models.ForeignKey(
        DatasetVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="rows"
    )
    record_id = models.UUIDField(_("record"))
    origin_node = models.CharField(_("origin node"), max_length=2)
    protected_area = models.ForeignKey(
        "observations.ProtectedArea",
        verbose_name=_("protected area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    protected_area_code = models.CharField(_("protected area code"), max_length=40)
    country = models.CharField(_("country"), max_length=2)
    species = models.ForeignKey(
        "observations.Species",
        verbose_name=_("species"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scientific_name = models.CharField(_("scientific name"), max_length=200)
    observed_at = models.DateTimeField(_("observed at"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinate_uncertainty_m = models.IntegerField(
        _("coordinate uncertainty (m)"), null=True, blank=True
    )
    location_precision = models.CharField(_("location precision"), max_length=5)
    count = models.IntegerField(_("count"))
    count_min = models.IntegerField(_("minimum count"), null=True, blank=True)
    count_max = models.IntegerField(_("maximum count"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    sex = models.CharField(_("sex"), max_length=10)
    age_class = models.CharField(_("age class"), max_length=10)
    evidence = models.CharField(_("evidence"), max_length=10)
    individual_id = models.UUIDField(_("known individual"), null=True, blank=True)
    event_id = models.UUIDField(_("survey event"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10)
    observer_code = models.CharField(_("observer code"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["version", "record_id"]
        verbose_name = _("dataset row")
        verbose_name_plural = _("dataset rows")
        constraints = [
            models.UniqueConstraint(fields=["version", "record_id"], name="dataset_row_once")
        ]
        indexes = [
            models.Index(fields=["version", "species"]),
            models.Index(fields=["version", "protected_area"]),
            models.Index(fields=["version", "observed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.scientific_name} × {self.count} ({self.observed_at:%Y-%m-%d})"


class DatasetComment(models.Model):
    """A comment on the dataset as a whole (or one of its versions). Stays on this node."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(
        DatasetVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    text = models.TextField(_("text"), max_length=5000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_code = models.CharField(_("author"), max_length=40, blank=True)
    author_role = models.CharField(_("author's role"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("dataset comment")
        verbose_name_plural = _("dataset comments")

    def __str__(self) -> str:
        return self.text[:40]
