from django.db import models
from django.utils.translation import gettext_lazy as _

from .nodes import Node


class ChangeEntry(models.Model):
    """The change feed: an append-only, monotonically numbered log of changes to shareable
    records, written in the same transaction as the change (exchange.feed.record_changes).

    The feed sends the record's state at reading time, filtered and generalised
    for the asking partner, so an entry needs only to say which record changed.
    A ``reevaluate`` entry for one partner asks the feed to look at a record
    again (an agreement changed, an embargo ended).
    """

    class Action(models.TextChoices):
        UPSERT = "upsert", _("created or changed")
        DELETE = "delete", _("deleted")
        REEVALUATE = "reevaluate", _("re-evaluated")

    seq = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=20)
    record_id = models.UUIDField()
    action = models.CharField(max_length=10, choices=Action.choices)
    partner = models.ForeignKey(
        Node, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        # Serves "is there a later entry for this record?" from the index alone.
        indexes = [models.Index(fields=["kind", "record_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.kind} {self.record_id}"


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
