from django.db import models
from django.utils.translation import gettext_lazy as _

from .nodes import Node


class SyncState(models.Model):
    """This node's pull from one partner: the checkpoint and what the sync page shows."""

    partner = models.OneToOneField(Node, on_delete=models.CASCADE, related_name="sync_state")
    checkpoint = models.BigIntegerField(_("checkpoint"), default=0)
    partner_head = models.BigIntegerField(_("partner's latest change"), default=0)
    running_since = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    records_received = models.PositiveBigIntegerField(_("records received"), default=0)
    tombstones_received = models.PositiveBigIntegerField(_("records withdrawn"), default=0)
    partner_agreement = models.JSONField(
        _("what the partner shares with us"), null=True, blank=True
    )

    def __str__(self) -> str:
        return f"sync from {self.partner} at {self.checkpoint}"

    @property
    def lag(self) -> int:
        """Changes the partner has that we have not pulled yet."""
        return max(0, self.partner_head - self.checkpoint)


class ReceivedRecord(models.Model):
    """The partner's revision (its feed sequence) of a record we hold: a page that comes
    late or twice never overwrites a newer state."""

    partner = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    record_id = models.UUIDField()
    rev = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "record_id"], name="received_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} rev {self.rev}"
