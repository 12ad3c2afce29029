"""Reads of remarks for the pages: a record's comments and flags with their answers."""

from ..disclosure.policy import remark_text
from .models import Remark


def remarks_for(record, audience=None) -> list[Remark]:
    """The record's comments and flags, each with its answers (two queries); with an
    ``audience`` each carries ``shown_text``, its text as the disclosure policy shows it."""
    remarks = list(
        Remark.objects.filter(subject_id=record.pk).select_related("parent").order_by("created_at")
    )
    answers: dict = {}
    for remark in remarks:
        if remark.kind == Remark.Kind.ANSWER and remark.parent_id:
            answers.setdefault(remark.parent_id, []).append(remark)
    for remark in remarks:
        remark.shown_text = (
            remark_text(audience, remark.text, record).value if audience else remark.text
        )
    top = [r for r in remarks if r.kind != Remark.Kind.ANSWER]
    for remark in top:
        remark.answer_list = answers.get(remark.pk, [])
        remark.is_open = remark.kind == Remark.Kind.FLAG and not any(
            a.closes for a in remark.answer_list
        )
    return top
