"""Who the user is: their roles, PAs and countries, read once per request from their
memberships, and the few rules every feature builds on (which PAs they record in,
review or oversee; the node-wide powers).

The feature rules (records, census, camera, remarks, jobs, ...) are mixins next to this
module that ask only these answers; ``observations.access.Access`` joins them into the
one object per request. Splitting by feature keeps each rule next to its neighbours,
while every decision still lives in this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet

from ..models import Membership, ProtectedArea, Role

CACHE_ATTR = "_amur_access"


@dataclass(frozen=True)
class CoreAccess:
    """What one user is: computed once per request from their memberships."""

    user_id: int | None
    is_admin: bool = False
    ranger_pas: frozenset[int] = field(default_factory=frozenset)
    manager_pas: frozenset[int] = field(default_factory=frozenset)
    coordinator_countries: frozenset[str] = field(default_factory=frozenset)
    is_reviewer: bool = False
    # Answers an upper app computes from its own tables once per request (the datasets a
    # user was invited to: exchange.datasets.permissions); not part of who the user is.
    # Authenticated users only: ANONYMOUS is one object shared by every request.
    memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

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

    @property
    def main_role(self) -> str:
        """The role shown beside a remark (the strongest one)."""
        for role in (Role.ADMIN, Role.COORDINATOR, Role.PA_MANAGER, Role.RANGER, Role.REVIEWER):
            if role in self.roles:
                return role
        return ""

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

    def overseen_filter(self, field: str = "protected_area") -> Q | None:
        """``oversees`` as a filter on the records' PA (``field``): None means every PA.

        Exports decide row by row in the database who sees a place exactly; this is the
        same rule as ``oversees``, written once more as a query condition next to it."""
        if self.is_admin:
            return None
        return Q(**{f"{field}_id__in": sorted(self.member_pas)}) | Q(
            **{f"{field}__country__in": sorted(self.coordinator_countries)}
        )

    # --- node-wide powers ---------------------------------------------------
    @property
    def speaks_for_this_node(self) -> bool:
        """A coordinator of this node's own country, or an admin: the people who decide
        what this node lets out (its agreements, its exact exports)."""
        return self.is_admin or settings.NODE_CODE in self.coordinator_countries

    @property
    def can_write(self) -> bool:
        """Reviewers read and comment; only members of a PA (or admins) write records."""
        return self.is_admin or bool(self.member_pas)


def who_is(user) -> dict:
    """The fields of a logged-in user's Access, from their memberships (one query).

    Django superusers are admins; so is anyone with an admin membership."""
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
    return {
        "user_id": user.pk,
        "is_admin": is_admin,
        "ranger_pas": frozenset(ranger),
        "manager_pas": frozenset(manager),
        "coordinator_countries": frozenset(countries),
        "is_reviewer": is_reviewer,
    }
