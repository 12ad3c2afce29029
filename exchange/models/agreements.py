from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .nodes import Node


class Precision(models.TextChoices):
    EXACT = "exact", _("exact")
    KM1 = "1km", _("1 km grid")
    KM10 = "10km", _("10 km grid")
    PA = "pa", _("protected area only")


class MediaLevel(models.TextChoices):
    NONE = "none", _("no media")
    THUMBNAILS = "thumbnails", _("thumbnails")
    FULL = "full", _("full images")


class FreeText(models.TextChoices):
    """What becomes of free text (record and event notes, remark texts, station names) that
    goes to the partner. Notes are where rangers write "by the salt lick 300 m north of the
    cordon" or a colleague's name: generalising the point is useless if the note gives the
    place away, hence the cautious default."""

    WITHHOLD = "withhold", _("withheld for species whose places are generalised")
    REDACT = "redact", _("shared after a redaction pass of coordinates and people's names")


class Agreement(models.Model):
    """What this node sends to one partner. This node's own coordinators edit it; the
    partner sees it (its node reads the signed terms, its coordinators read them here and
    may propose a change: AgreementProposal).

    Each change raises ``version``; every page sent names the version it was
    sent under. A change applies to what is sent from then on, and records
    the partner holds that the new terms no longer allow are withdrawn
    (tombstones), see exchange.partners.agreements.
    """

    partner = models.OneToOneField(
        Node, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="agreement"
    )
    species = models.ManyToManyField(
        "observations.Species", verbose_name=_("species"), blank=True, related_name="+"
    )
    protected_areas = models.ManyToManyField(
        "observations.ProtectedArea",
        verbose_name=_("protected areas"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to share records of all this node's protected areas."),
    )
    statuses = models.JSONField(_("statuses"), default=list)
    embargo_days = models.PositiveIntegerField(
        _("embargo (days)"),
        default=0,
        help_text=_("A record is shared this many days after it was observed."),
    )
    precision = models.JSONField(
        _("location precision per species"),
        default=dict,
        blank=True,
        help_text=_("Scientific name -> exact, 1km, 10km or pa; the species' default otherwise."),
    )
    media_level = models.CharField(
        _("media"), max_length=12, choices=MediaLevel.choices, default=MediaLevel.THUMBNAILS
    )
    licence = models.CharField(_("licence"), max_length=100, default="CC-BY-4.0")
    share_personal_data = models.BooleanField(
        _("share observer names"),
        default=False,
        help_text=_(
            "Off by default: both countries restrict sending citizens' personal data abroad; "
            "records then carry a pseudonymous observer code."
        ),
    )
    free_text = models.CharField(
        _("free text"),
        max_length=12,
        choices=FreeText.choices,
        default=FreeText.WITHHOLD,
        help_text=_(
            "Record and event notes, remark texts and station names: withheld where the "
            "species' places are generalised, or shared after coordinates and people's names "
            "are taken out."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    embargo_released_until = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("sharing agreement")
        verbose_name_plural = _("sharing agreements")

    def __str__(self) -> str:
        return f"{settings.NODE_CODE} → {self.partner.code} v{self.version}"


class AgreementVersion(models.Model):
    """The terms of every version, as they were: the sent-page log refers to them."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    terms = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "version"], name="agreement_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.version}"


class AgreementProposal(models.Model):
    """A change to what this node shares, proposed by one of the partner's coordinators.

    The partner's coordinators may not change what this node shares (only its own may),
    but they are the ones who know what their side needs: they propose terms, in the shape
    of exchange.partners.terms.agreement_terms, and a local coordinator accepts them (saved
    as any change, raising the version) or declines them with a note. Proposals stay on this node:
    the partner's coordinators read the answer here.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    partner = models.ForeignKey(
        Node,
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="agreement_proposals",
    )
    terms = models.JSONField(_("proposed terms"))
    base_version = models.PositiveIntegerField(
        _("proposed against version"),
        null=True,
        blank=True,
        help_text=_("The agreement's version when the change was proposed (none: no agreement)."),
    )
    message = models.TextField(_("message"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("agreement proposal")
        verbose_name_plural = _("agreement proposals")

    def __str__(self) -> str:
        return f"{settings.NODE_CODE} → {self.partner.code} ({self.status})"
