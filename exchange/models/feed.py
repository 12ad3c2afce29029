"""What the feed sent to whom (the entries themselves are observations.ChangeEntry)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .nodes import Node


class SentRecord(models.Model):
    """What a partner holds: so that a record withdrawn later is followed by a tombstone."""

    partner = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    record_id = models.UUIDField()
    seq = models.BigIntegerField()
    withdrawn = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "record_id"], name="sent_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}: {self.kind} {self.record_id}"


class SentPage(models.Model):
    """The log of every page sent: to whom, when, which records, under which agreement."""

    partner = models.ForeignKey(
        Node, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    after = models.BigIntegerField(_("after"))
    until = models.BigIntegerField(_("until"))
    agreement_version = models.PositiveIntegerField(_("agreement version"))
    upserts = models.PositiveIntegerField(_("records sent"), default=0)
    tombstones = models.PositiveIntegerField(_("tombstones sent"), default=0)
    items = models.JSONField(_("records"), default=list)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent page")
        verbose_name_plural = _("sent pages")

    def __str__(self) -> str:
        return f"{self.partner} {self.after}..{self.until}"
