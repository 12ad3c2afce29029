"""What a person saw in a sequence of photos: a classification, which files an Observation
with evidence "camera" (observations.camera.classify)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from observations.models.base import SourceRecord

from .media import Media, Sequence


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
