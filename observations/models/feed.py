from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeEntry(models.Model):
    """The change feed: an append-only, monotonically numbered log of changes to shareable
    records, written in the same transaction as the change (observations.feed.record_changes).

    The feed sends the record's state at reading time, filtered and generalised
    for the asking partner (exchange.feed), so an entry needs only to say which record
    changed. A ``reevaluate`` entry for one partner asks the feed to look at a record
    again (an agreement changed, an embargo ended). The partner is named by its node's
    code, not a foreign key: this app knows nothing of exchange's nodes (exchange deletes
    a node's entries with the node).

    The table kept the name it had when exchange owned the model: moving the writer down
    copied no row and left the ``seq`` sequence as it was.
    """

    class Action(models.TextChoices):
        UPSERT = "upsert", _("created or changed")
        DELETE = "delete", _("deleted")
        REEVALUATE = "reevaluate", _("re-evaluated")

    seq = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=20)
    record_id = models.UUIDField()
    action = models.CharField(max_length=10, choices=Action.choices)
    # The partner node's code for an entry meant for that partner only; None: every partner.
    partner_code = models.CharField(max_length=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "exchange_changeentry"
        ordering = ["seq"]
        # Serves "is there a later entry for this record?" from the index alone.
        indexes = [models.Index(fields=["kind", "record_id", "seq"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.kind} {self.record_id}"
