from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TranslatedName


class Species(TranslatedName):
    """A monitored taxon with its names in three languages and how it may be shared."""

    class Group(models.TextChoices):
        MAMMAL = "mammal", _("mammal")
        BIRD = "bird", _("bird")
        FISH = "fish", _("fish")
        PLANT = "plant", _("plant")

    class Iucn(models.TextChoices):
        CR = "CR", _("Critically Endangered")
        EN = "EN", _("Endangered")
        VU = "VU", _("Vulnerable")
        NT = "NT", _("Near Threatened")
        LC = "LC", _("Least Concern")
        DD = "DD", _("Data Deficient")

    class Unit(models.TextChoices):
        INDIVIDUALS = "individuals", _("individuals")
        NESTS = "nests", _("nests")
        BREEDING_PAIRS = "breeding_pairs", _("breeding pairs")
        TRACKS = "tracks", _("tracks")

    class Sensitivity(models.TextChoices):
        """How precisely this species' locations may leave a node by default."""

        EXACT = "exact", _("exact")
        KM1 = "1km", _("1 km grid")
        KM10 = "10km", _("10 km grid")
        PA = "pa", _("protected area only")

    scientific_name = models.CharField(_("scientific name"), max_length=200, unique=True)
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    iucn_category = models.CharField(
        _("IUCN category"), max_length=2, choices=Iucn.choices, blank=True
    )
    cites_appendix = models.CharField(_("CITES appendix"), max_length=3, blank=True)
    counting_unit = models.CharField(
        _("counting unit"), max_length=20, choices=Unit.choices, default=Unit.INDIVIDUALS
    )
    allowed_units = models.JSONField(_("allowed units"), default=list, blank=True)
    allowed_evidence = models.JSONField(_("allowed evidence"), default=list, blank=True)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=5, choices=Sensitivity.choices, default=Sensitivity.KM1
    )
    jointly_monitored = models.BooleanField(_("jointly monitored"), default=False)
    monitored = models.BooleanField(
        _("monitored"), default=True, help_text=_("Records may be filed for this species.")
    )
    target_value = models.PositiveIntegerField(_("programme target"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_source = models.CharField(_("target source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-jointly_monitored", "scientific_name"]
        verbose_name = _("species")
        verbose_name_plural = _("species")
        constraints = [
            models.CheckConstraint(
                condition=Q(cites_appendix__in=["", "I", "II", "III"]),
                name="species_cites_appendix_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True) | Q(target_year__gte=1990),
                name="species_target_year_sane",
            ),
        ]
