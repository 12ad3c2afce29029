"""Who reads, files, fixes and reviews records (observations and survey events).

Drafts are their author's; a submitted or rejected record is read by those who oversee
its PA; a verified record is shared with everyone on the node. Only the node that owns a
record changes it: received records are read-only. The review queue and the four-eyes
rule live here too, so the queue lists exactly the records ``can_review_record`` allows.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from ..models import Observation, ProtectedArea, RecordStatus, Species, SurveyEvent


class RecordRules:
    """The record rules of Access (mixed into observations.access.Access)."""

    def _record_filter(self, model) -> Q:
        """Which records of ``model`` (Observation or SurveyEvent) this user may read."""
        if self.is_admin:
            return Q()
        if not self.is_authenticated:
            return Q(pk__in=[])
        own_drafts = Q(status=RecordStatus.DRAFT, created_by_id=self.user_id)
        not_draft = ~Q(status=RecordStatus.DRAFT)
        in_my_pas = Q(protected_area_id__in=self.member_pas)
        in_my_countries = Q(protected_area__country__in=self.coordinator_countries)
        verified = Q(status=RecordStatus.VERIFIED)
        return own_drafts | (not_draft & (in_my_pas | in_my_countries)) | verified

    def visible_observations(self, qs: QuerySet[Observation] | None = None):
        qs = Observation.objects.all() if qs is None else qs
        return qs.filter(self._record_filter(Observation))

    def visible_events(self, qs: QuerySet[SurveyEvent] | None = None):
        qs = SurveyEvent.objects.all() if qs is None else qs
        return qs.filter(self._record_filter(SurveyEvent))

    def can_view_record(self, record: Observation | SurveyEvent) -> bool:
        if self.is_admin:
            return True
        if not self.is_authenticated:
            return False
        if record.status == RecordStatus.DRAFT:
            return record.created_by_id == self.user_id
        if record.status == RecordStatus.VERIFIED:
            return True
        return self.oversees(record.protected_area)

    def can_edit_record(self, record: Observation | SurveyEvent) -> bool:
        """Change or delete: only records this node owns, only while draft or rejected,
        by their author or the PA's manager."""
        if not record.is_local:
            return False  # received records are read-only: their origin node owns them
        if record.status not in RecordStatus.EDITABLE:
            return False
        if self.is_admin:
            return True
        is_author = record.created_by_id == self.user_id and (
            record.protected_area_id in self.member_pas
        )
        return is_author or record.protected_area_id in self.manager_pas

    def can_submit_record(self, record: Observation | SurveyEvent) -> bool:
        return self.can_edit_record(record)

    def can_delete_record(self, record: Observation | SurveyEvent) -> bool:
        """Delete: a draft, by whoever may edit it (anything submitted stays on record)."""
        return record.status == RecordStatus.DRAFT and self.can_edit_record(record)

    def can_review_record(self, record: Observation | SurveyEvent) -> bool:
        return (
            record.is_local
            and record.status == RecordStatus.SUBMITTED
            and self.can_review_in(record.protected_area)
        )

    def can_verify_record(self, record: Observation | SurveyEvent) -> bool:
        """Verify: whoever may review the record, except its own author where the PA asks
        for four eyes (``four_eyes_applies``); admins are no exception.

        Four eyes guard verifying only, the step that makes a record shared: rejecting or
        reopening a record one filed oneself stays allowed (it shares nothing, and the
        record comes back to be verified by someone else)."""
        if not self.can_review_record(record):
            return False
        is_author = record.created_by_id is not None and record.created_by_id == self.user_id
        return not (is_author and four_eyes_applies(record))

    def can_reopen_record(self, record: Observation | SurveyEvent) -> bool:
        """Take a verified record back for correction (it stops being shared)."""
        return (
            record.is_local
            and record.status == RecordStatus.VERIFIED
            and self.can_review_in(record.protected_area)
        )

    # --- the review queue -------------------------------------------------------------
    @property
    def has_review_queue(self) -> bool:
        """Sees the queue of submitted records to verify or reject: PA managers, admins."""
        return self.is_admin or bool(self.manager_pas)

    def reviewable_observations(self, qs: QuerySet[Observation] | None = None):
        """``can_review_record`` as a query: the submitted observations of this node in
        the PAs this user manages (every PA for an admin)."""
        queue = self.visible_observations(qs).filter(
            status=RecordStatus.SUBMITTED, origin_node=settings.NODE_CODE
        )
        return queue if self.is_admin else queue.filter(protected_area_id__in=self.manager_pas)


def four_eyes_applies(record: Observation | SurveyEvent) -> bool:
    """Must someone other than its author verify this record? The PA's setting says:
    ``sensitive`` (the default) for observations of species whose places are not shared
    exactly (tigers, leopards, storks, cranes); ``all`` for every record, survey events
    included; ``off`` never. A survey event names no species: under ``sensitive`` its
    author may verify it."""
    mode = record.protected_area.four_eyes
    if mode == ProtectedArea.FourEyes.OFF:
        return False
    if mode == ProtectedArea.FourEyes.ALL:
        return True
    species = getattr(record, "species", None)
    return species is not None and species.sensitivity != Species.Sensitivity.EXACT
