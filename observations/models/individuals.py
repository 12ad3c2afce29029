from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Country, SourceRecord


class Sex(models.TextChoices):
    UNKNOWN = "unknown", _("unknown")
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Individual(SourceRecord):
    """A known animal (a tiger or leopard identified by its stripes or spots).

    The same tiger has a code in each country's catalogue (see
    IndividualCode), so that an animal seen on both sides is counted once.
    """

    species = models.ForeignKey(
        "observations.Species",
        verbose_name=_("species"),
        on_delete=models.PROTECT,
        related_name="individuals",
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    label = models.CharField(_("label"), max_length=100, blank=True)
    first_seen = models.DateField(_("first seen"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["species", "label"]
        verbose_name = _("known individual")
        verbose_name_plural = _("known individuals")

    def __str__(self) -> str:
        codes = ", ".join(f"{c.catalogue} {c.code}" for c in self.codes.all())
        return codes or self.label or str(self.id)


class IndividualCode(models.Model):
    """An individual's code in one country's catalogue, e.g. RU "T-12" or CN "AT-033"."""

    individual = models.ForeignKey(
        Individual, verbose_name=_("individual"), on_delete=models.CASCADE, related_name="codes"
    )
    catalogue = models.CharField(_("catalogue"), max_length=2, choices=Country.choices)
    code = models.CharField(_("code"), max_length=50)

    class Meta:
        ordering = ["catalogue", "code"]
        verbose_name = _("catalogue code")
        verbose_name_plural = _("catalogue codes")
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "code"], name="individual_code_unique_in_catalogue"
            ),
            models.UniqueConstraint(
                fields=["individual", "catalogue"], name="individual_one_code_per_catalogue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue} {self.code}"
