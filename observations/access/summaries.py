"""Who asks for and reads population-status summaries (exchange.summaries).

A summary holds figures per PA and country (no places), built from verified records
only, which every user of the node may read already. Coordinators (and admins) ask for
them; PA managers, coordinators, reviewers (workshops compare years and sides) and admins
read and download all; a ranger reads those that cover their own PA: its own, its
country's and the joint ones. Anyone else: none (a summary answers 404).
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import Q

from ..models import ProtectedArea


class SummaryRules:
    """The summary rules of Access."""

    @property
    def can_make_summaries(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    @property
    def can_read_summaries(self) -> bool:
        return self.is_admin or bool(
            self.coordinator_countries or self.member_pas or self.is_reviewer
        )

    @cached_property
    def ranger_countries(self) -> frozenset[str]:
        """The countries of the PAs this user is a ranger of (one query, on first use)."""
        if not self.ranger_pas:
            return frozenset()
        return frozenset(
            ProtectedArea.objects.filter(pk__in=self.ranger_pas).values_list("country", flat=True)
        )

    def summary_filter(self) -> Q | None:
        """``can_view_summary`` as a query condition; None means every summary."""
        if self.is_admin or self.coordinator_countries or self.manager_pas or self.is_reviewer:
            return None
        if not self.ranger_pas:
            return Q(pk__in=[])
        return (
            Q(scope="joint")
            | Q(scope="country", country__in=sorted(self.ranger_countries))
            | Q(scope="pa", protected_area_id__in=sorted(self.ranger_pas))
        )

    def can_view_summary(self, summary) -> bool:
        """Read a summary's page, its HTML and PDF."""
        if self.summary_filter() is None:
            return True
        if summary.scope == "joint":
            return bool(self.ranger_pas)
        if summary.scope == "country":
            return summary.country in self.ranger_countries
        return summary.protected_area_id in self.ranger_pas
