"""Who comments on and flags records, and who answers (and closes) the flags.

Anyone who may read a record remarks on it, reviewers included; a remark is read beside
the record, so the remarks one sees are those on the records one sees. A flag is
answered by the manager of the record's PA on the node that owns the record: the flag
inbox lists exactly the flags ``can_answer_flags_on`` lets them answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from ..models import Observation, Remark


class RemarkRules:
    """The remark rules of Access (observations.remarks.services)."""

    def can_remark_on(self, record: Observation) -> bool:
        """Comment on or flag a record: whoever may read it, reviewers included."""
        return self.is_authenticated and self.can_view_record(record)

    def can_answer_flags_on(self, record: Observation) -> bool:
        """Answer a flag (and close it): the manager of the PA that owns the record, on its
        own node."""
        return record.is_local and self.can_review_in(record.protected_area)

    def visible_remarks(self, qs: QuerySet[Remark] | None = None) -> QuerySet[Remark]:
        """The remarks on the observations this user may read."""
        qs = Remark.objects.all() if qs is None else qs
        return qs.filter(observation__in=self.visible_observations().values("pk"))

    @property
    def has_flag_inbox(self) -> bool:
        """Sees the open flags on the records of the PAs they manage."""
        return self.is_admin or bool(self.manager_pas)

    def inbox_flags(self, flags: QuerySet[Remark]) -> QuerySet[Remark]:
        """Of ``flags``, those this user answers (``can_answer_flags_on`` as a query): on
        this node's records, in the PAs they manage (every PA for an admin)."""
        flags = flags.filter(observation__origin_node=settings.NODE_CODE)
        if self.is_admin:
            return flags
        return flags.filter(observation__protected_area_id__in=self.manager_pas)
