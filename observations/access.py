"""Who may do what: every permission decision of the node is made here.

Views, API views, admin actions and tasks ask this module and nothing else,
so a rule is written once and tested role by role (tests/observations/
test_access.py).

The roles, from a Membership:

- ranger: records of the PAs they belong to (create, read, fix their own);
- PA manager: everything a ranger may, plus verify/reject the PA's records;
- national coordinator: reads all PAs of their country, exports, agreements;
- reviewer: reads verified records (shared datasets come later), never writes;
- admin: everything (Django superusers are admins too).

An object outside a user's reach is answered with 404, never 403, so that
its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet

from .models import Membership, Observation, ProtectedArea, RecordStatus, Role, SurveyEvent

_CACHE_ATTR = "_amur_access"


@dataclass(frozen=True)
class Access:
    """What one user is: computed once per request from their memberships."""

    user_id: int | None
    is_admin: bool = False
    ranger_pas: frozenset[int] = field(default_factory=frozenset)
    manager_pas: frozenset[int] = field(default_factory=frozenset)
    coordinator_countries: frozenset[str] = field(default_factory=frozenset)
    is_reviewer: bool = False

    # --- who is this -------------------------------------------------------
    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def member_pas(self) -> frozenset[int]:
        """PAs whose records this user works on (as ranger or manager)."""
        return self.ranger_pas | self.manager_pas

    @property
    def roles(self) -> set[str]:
        roles = set()
        if self.is_admin:
            roles.add(Role.ADMIN)
        if self.ranger_pas:
            roles.add(Role.RANGER)
        if self.manager_pas:
            roles.add(Role.PA_MANAGER)
        if self.coordinator_countries:
            roles.add(Role.COORDINATOR)
        if self.is_reviewer:
            roles.add(Role.REVIEWER)
        return roles

    # --- protected areas ----------------------------------------------------
    def can_record_in(self, pa: ProtectedArea) -> bool:
        """May file new records (observations, events) for this PA.

        Only existing PAs of this node's own country: the other side's PAs
        record on their own node, and their records arrive by the exchange.
        """
        if pa.status != ProtectedArea.Status.EXISTING or pa.country != settings.NODE_CODE:
            return False
        return self.is_admin or pa.pk in self.member_pas

    def recordable_pas(self) -> QuerySet[ProtectedArea]:
        qs = ProtectedArea.objects.filter(
            status=ProtectedArea.Status.EXISTING, country=settings.NODE_CODE
        )
        return qs if self.is_admin else qs.filter(pk__in=self.member_pas)

    def can_review_in(self, pa: ProtectedArea) -> bool:
        """May verify or reject the PA's submitted records."""
        return self.is_admin or pa.pk in self.manager_pas

    def oversees(self, pa: ProtectedArea) -> bool:
        """Reads everything of the PA (coordinator of its country, or a member of it)."""
        return self.is_admin or pa.pk in self.member_pas or pa.country in self.coordinator_countries

    # --- records ------------------------------------------------------------
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
        if record.status not in (RecordStatus.DRAFT, RecordStatus.REJECTED):
            return False
        if self.is_admin:
            return True
        is_author = record.created_by_id == self.user_id and (
            record.protected_area_id in self.member_pas
        )
        return is_author or record.protected_area_id in self.manager_pas

    def can_submit_record(self, record: Observation | SurveyEvent) -> bool:
        return self.can_edit_record(record)

    def can_review_record(self, record: Observation | SurveyEvent) -> bool:
        return (
            record.is_local
            and record.status == RecordStatus.SUBMITTED
            and self.can_review_in(record.protected_area)
        )

    # --- node-wide powers ---------------------------------------------------
    @property
    def can_export(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    @property
    def can_manage_agreements(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    @property
    def can_write(self) -> bool:
        """Reviewers read and comment; only members of a PA (or admins) write records."""
        return self.is_admin or bool(self.member_pas)


ANONYMOUS = Access(user_id=None)


def access_for(user) -> Access:
    """The Access of a user, computed once and kept on the user object for the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    ranger, manager, countries = set(), set(), set()
    is_admin = user.is_superuser
    is_reviewer = False
    for role, pa_id, country in Membership.objects.filter(user=user).values_list(
        "role", "protected_area_id", "country"
    ):
        if role == Role.RANGER:
            ranger.add(pa_id)
        elif role == Role.PA_MANAGER:
            manager.add(pa_id)
        elif role == Role.COORDINATOR:
            countries.add(country)
        elif role == Role.REVIEWER:
            is_reviewer = True
        elif role == Role.ADMIN:
            is_admin = True
    access = Access(
        user_id=user.pk,
        is_admin=is_admin,
        ranger_pas=frozenset(ranger),
        manager_pas=frozenset(manager),
        coordinator_countries=frozenset(countries),
        is_reviewer=is_reviewer,
    )
    setattr(user, _CACHE_ATTR, access)
    return access
