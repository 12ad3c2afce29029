from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models.base import SourceRecord


class Remark(SourceRecord):
    """A comment on a record, a flag that something is wrong with it, or the answer to a flag.

    A remark is a record of the node where it was written, even when it is about
    a record received from the partner: it travels to the record's owner
    through the change feed, and the owner's answer travels back the same way.
    Nobody edits another node's record, so the sync needs no conflict rules.
    A flag is open until an answer that closes it exists.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        FLAG = "flag", _("flag")
        ANSWER = "answer", _("answer")

    class Reason(models.TextChoices):
        WRONG_SPECIES = "wrong_species", _("wrong species")
        WRONG_PLACE = "wrong_place", _("wrong place")
        DUPLICATE = "duplicate", _("duplicate")
        OTHER = "other", _("other")

    subject_id = models.UUIDField(_("record"), db_index=True)
    observation = models.ForeignKey(
        "observations.Observation",
        verbose_name=_("observation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remarks",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("answer to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    text = models.TextField(_("text"), max_length=5000)
    closes = models.BooleanField(_("closes the flag"), default=False)
    author_code = models.CharField(_("author"), max_length=40, blank=True)
    author_role = models.CharField(_("author's role"), max_length=20, blank=True)
    # Made while reviewing a shared dataset (exchange.datasets): which one, as plain values,
    # since the dataset lives on the node where it was published, not on the record's.
    dataset_uuid = models.UUIDField(_("dataset"), null=True, blank=True, db_index=True)
    dataset_title = models.CharField(_("dataset title"), max_length=300, blank=True)
    dataset_version = models.PositiveIntegerField(_("dataset version"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("remark")
        verbose_name_plural = _("remarks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="flag") | ~Q(reason=""), name="remark_flag_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(closes=False) | Q(kind="answer"), name="remark_only_answers_close"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"
