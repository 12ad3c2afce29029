"""Camera traps: deployments (stations), their photos, sequences, classifications, and the
matches that say two catalogue codes are one animal.

A deployment is a SurveyEvent of kind "camera_trap" (its place, PA, time span, status and
effort in trap-nights, shared like any other event) plus the camera details in
``Deployment``, whose primary key is the event itself. Photos (``Media``) are stored as
received and named by their SHA-256, which makes a second upload of the same file a no-op.
The ingest task reads their EXIF, makes a thumbnail and a preview, and groups them into
``Sequence`` bursts; a person classifies a sequence (``Classification``), which files an
Observation with evidence "camera".
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .base import Country, SourceRecord


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


class Classification(SourceRecord):
    """What a person (or, later, a model) saw in a sequence, or in one photo of an imported
    package: one row per taxon, or one "blank" row for an empty sequence."""

    class Kind(models.TextChoices):
        """Camtrap DP's observationType."""

        ANIMAL = "animal", _("animal")
        HUMAN = "human", _("human")
        VEHICLE = "vehicle", _("vehicle")
        BLANK = "blank", _("empty")
        UNKNOWN = "unknown", _("unknown")
        UNCLASSIFIED = "unclassified", _("not classified")

    class Method(models.TextChoices):
        HUMAN = "human", _("by a person")
        MACHINE = "machine", _("by a model")

    sequence = models.ForeignKey(
        Sequence,
        verbose_name=_("sequence"),
        on_delete=models.CASCADE,
        related_name="classifications",
    )
    media = models.ForeignKey(
        Media,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="classifications",
        help_text=_("Set for a classification of one photo (from an imported package)."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    species = models.ForeignKey(
        "observations.Species",
        verbose_name=_("species"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scientific_name = models.CharField(_("scientific name"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    life_stage = models.CharField(_("life stage"), max_length=20, blank=True)
    sex = models.CharField(_("sex"), max_length=10, blank=True)
    behaviour = models.CharField(_("behaviour"), max_length=200, blank=True)
    individual = models.ForeignKey(
        "observations.Individual",
        verbose_name=_("known individual"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    individual_label = models.CharField(
        _("individual in the source package"), max_length=100, blank=True
    )
    observation = models.OneToOneField(
        "observations.Observation",
        verbose_name=_("observation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="classification",
    )
    method = models.CharField(
        _("method"), max_length=10, choices=Method.choices, default=Method.HUMAN
    )
    probability = models.FloatField(_("probability"), null=True, blank=True)
    classified_by = models.CharField(_("classified by"), max_length=200, blank=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    external_id = models.CharField(_("ID in the source package"), max_length=100, blank=True)
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        ordering = ["sequence", "created_at", "id"]
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")
        indexes = [models.Index(fields=["species", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1), name="classification_count_pos"
            ),
            models.CheckConstraint(
                condition=Q(probability__isnull=True) | Q(probability__gte=0, probability__lte=1),
                name="classification_probability_range",
            ),
        ]

    def __str__(self) -> str:
        what = self.species or self.scientific_name or self.get_kind_display()
        return f"{what} × {self.count or '-'}"


class IndividualMatch(SourceRecord):
    """A proposal that two catalogue codes are one animal ("RU T-12 is CN AT-033").

    It carries its evidence photos and counts only once a reviewer of each side (a PA
    manager or the national coordinator of that catalogue's country) has confirmed it. The
    two individuals stay separate records, each owned by its own node: the match is what
    makes them count as one (observations.camera.matches.distinct_individuals).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        REJECTED = "rejected", _("rejected")

    individual_a = models.ForeignKey(
        "observations.Individual",
        verbose_name=_("individual"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    individual_b = models.ForeignKey(
        "observations.Individual",
        verbose_name=_("same as"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    side_a = models.CharField(_("catalogue"), max_length=2, choices=Country.choices)
    side_b = models.CharField(_("other catalogue"), max_length=2, choices=Country.choices)
    code_a = models.CharField(_("code"), max_length=50)
    code_b = models.CharField(_("other code"), max_length=50)
    evidence = models.ManyToManyField(
        Media, verbose_name=_("evidence photos"), blank=True, related_name="matches"
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    confirmed_a_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed for the first catalogue by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_a_at = models.DateTimeField(null=True, blank=True)
    confirmed_b_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed for the other catalogue by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_b_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("individual match")
        verbose_name_plural = _("individual matches")
        constraints = [
            models.CheckConstraint(
                condition=~Q(individual_a=F("individual_b")), name="match_two_individuals"
            ),
            # Two sides, kept in one order (CN before RU) so that a pair is stored once.
            models.CheckConstraint(condition=Q(side_a__lt=F("side_b")), name="match_two_sides"),
            models.UniqueConstraint(
                fields=["individual_a", "individual_b"], name="match_pair_once"
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed")
                | Q(confirmed_a_by__isnull=False, confirmed_b_by__isnull=False),
                name="match_confirmed_by_both_sides",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side_a} {self.code_a} = {self.side_b} {self.code_b}"
