"""Comments, flags and answers on observations (see observations.models.remarks).

Each remark is written with its change-feed entry in one transaction, so a
flag on a received record reaches the record's owner at the next sync, and the
owner's answer comes back the same way.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import DomainError, NotAllowed
from ..feed import record_changed
from ..models import Observation, Remark
from ..records.services import observer_code


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write what you want to say."), "text_required", field="text")
    if len(text) > 5000:
        raise DomainError(_("At most 5,000 characters."), "text_too_long", field="text")
    return text


def remark_create(
    *,
    access: Access,
    user,
    observation: Observation,
    kind: str,
    text: str,
    reason: str = "",
    dataset=None,
    dataset_version: int | None = None,
) -> Remark:
    """A comment or a flag by anyone who may read the record (reviewers too).

    Through a shared dataset (exchange.datasets.review) the dataset's reviewers remark on
    its rows, whatever their PA: the remark then names the dataset and its version. That
    caller has decided that the user may remark in the dataset (a rule of the dataset's
    reviewers, which this app does not know); here only a remark made outside a dataset is
    checked."""
    if dataset is None and not access.can_remark_on(observation):
        raise NotAllowed(_("You may not comment on this record."), "forbidden")
    if kind not in (Remark.Kind.COMMENT, Remark.Kind.FLAG):
        raise DomainError(_("A remark is a comment or a flag."), "bad_kind", field="kind")
    if kind == Remark.Kind.FLAG and reason not in Remark.Reason.values:
        raise DomainError(
            _("Say what is wrong with the record."), "reason_required", field="reason"
        )
    with transaction.atomic():
        remark = Remark.objects.create(
            subject_id=observation.pk,
            observation=observation,
            kind=kind,
            reason=reason if kind == Remark.Kind.FLAG else "",
            text=_text(text),
            author_code=observer_code(user),
            author_role=access.main_role,
            dataset_uuid=dataset.pk if dataset is not None else None,
            dataset_title=dataset.title[:300] if dataset is not None else "",
            dataset_version=dataset_version if dataset is not None else None,
            created_by=user,
            updated_by=user,
        )
        record_changed(remark)
    return remark


def flag_answer(*, access: Access, user, flag: Remark, text: str, closes: bool = True) -> Remark:
    """The PA manager answers a flag on one of the PA's records (and may close it)."""
    observation = flag.observation
    if flag.kind != Remark.Kind.FLAG or observation is None:
        raise DomainError(_("Only a flag on a record held here can be answered."), "not_a_flag")
    if not access.can_answer_flags_on(observation):
        raise NotAllowed(
            _("Only the manager of the record's protected area answers flags."), "forbidden"
        )
    with transaction.atomic():
        answer = Remark.objects.create(
            subject_id=observation.pk,
            observation=observation,
            parent=flag,
            kind=Remark.Kind.ANSWER,
            text=_text(text),
            closes=closes,
            author_code=observer_code(user),
            author_role=access.main_role,
            created_by=user,
            updated_by=user,
        )
        record_changed(answer)
    return answer


def open_flags(qs=None):
    """Flags without an answer that closes them."""
    qs = Remark.objects.all() if qs is None else qs
    return qs.filter(kind=Remark.Kind.FLAG).exclude(answers__closes=True)
