"""Transboundary individuals: two catalogue codes that are one animal."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from observations.models.base import Country, SourceRecord

from .media import Media


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
