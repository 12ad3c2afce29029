"""Who reaches camera-trap stations (deployments), their photos and the individual
catalogues' matches.

A station's season of photos is a team's work: the PA's people see and work on its
deployments whatever the review status of the survey event. Photos follow the disclosure
policy (people in them, the original with its EXIF GPS). A match of two catalogue codes
counts only once each side's catalogue has confirmed it, so one person never confirms both.
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import Q, QuerySet

from ..disclosure import for_user
from ..disclosure.policy import photo_original, photo_shown, photo_shown_sql
from ..models import ProtectedArea, SurveyEvent


class CameraRules:
    """The camera-trap rules of Access (observations.camera)."""

    # --- deployments --------------------------------------------------------------------
    def visible_deployments(self, qs: QuerySet | None = None) -> QuerySet:
        """Deployments whose event the user may read, plus every deployment of the PAs they
        work in, drafts included: a station's season of photos is a team's work."""
        from ..models import Deployment

        qs = Deployment.objects.all() if qs is None else qs
        if self.is_admin:
            return qs
        if not self.is_authenticated:
            return qs.none()
        as_record = Q(
            event__in=SurveyEvent.objects.filter(self._record_filter(SurveyEvent)).values("pk")
        )
        return qs.filter(as_record | Q(event__protected_area_id__in=self.member_pas))

    def can_view_deployment(self, deployment) -> bool:
        event = deployment.event
        return (
            self.is_admin
            or event.protected_area_id in self.member_pas
            or self.can_view_record(event)
        )

    def can_edit_deployment(self, deployment) -> bool:
        """Change the station's details: as for its survey event (author or manager, while
        draft or rejected, on the node that owns it)."""
        return self.can_edit_record(deployment.event)

    def can_work_on_deployment(self, deployment) -> bool:
        """Upload its photos and classify them: the PA's rangers and manager (and admins),
        whatever the event's review status, on the node that owns the deployment."""
        event = deployment.event
        return event.is_local and self.can_record_in(event.protected_area)

    def oversees_deployment(self, deployment) -> bool:
        return self.oversees(deployment.event.protected_area)

    def can_export_deployments_of(self, pa: ProtectedArea) -> bool:
        """Camtrap DP export (generalised, photos stripped): coordinators and admins, and the
        PA's own manager."""
        in_country = pa.country in self.coordinator_countries
        return self.is_admin or in_country or pa.pk in self.manager_pas

    # --- photos -------------------------------------------------------------------------
    def visible_media(self, qs: QuerySet | None = None) -> QuerySet:
        """Photos of visible deployments that the disclosure policy shows this user
        (``photo_shown_sql``, the query twin of ``can_view_media``'s ``photo_shown``)."""
        from ..models import Media

        qs = Media.objects.all() if qs is None else qs
        if self.is_admin:
            return qs
        deployments = self.visible_deployments().values("pk")
        return qs.filter(Q(deployment__in=deployments), photo_shown_sql(for_user(self)))

    def can_view_media(self, media) -> bool:
        deployment = media.deployment
        if not self.can_view_deployment(deployment):
            return False
        return photo_shown(for_user(self), media)

    def gets_original_media(self, media) -> bool:
        """The photo as received, EXIF GPS and all: the disclosure policy says only those
        who oversee its PA. Everyone else gets the copy observations.camera.outgoing makes
        (no GPS, no maker notes)."""
        return photo_original(for_user(self), media)

    def can_flag_people(self, media) -> bool:
        """Mark a photo as showing people (or not): those who oversee its PA."""
        return media.is_local and self.oversees_deployment(media.deployment)

    def can_release_media(self, media) -> bool:
        """Let a photo showing people leave the PA: a coordinator of the PA's country."""
        pa = media.deployment.event.protected_area
        return media.is_local and (self.is_admin or pa.country in self.coordinator_countries)

    # --- matches of individuals across the catalogues ----------------------------------
    @property
    def can_propose_matches(self) -> bool:
        """Propose that two catalogue codes are one animal: PA members and coordinators."""
        return self.is_admin or bool(self.member_pas) or bool(self.coordinator_countries)

    @cached_property
    def match_sides(self) -> frozenset[str]:
        """The catalogues (countries) this user confirms matches for: as a PA manager of
        that country or its national coordinator. Admins confirm only through such a role,
        so that one person can never make a match count alone."""
        countries = set(self.coordinator_countries)
        if self.manager_pas:
            countries.update(
                ProtectedArea.objects.filter(pk__in=self.manager_pas).values_list(
                    "country", flat=True
                )
            )
        return frozenset(countries)

    def can_confirm_match_side(self, match, side: str) -> bool:
        """Confirm (or reject) one side of a proposed match; one person confirms one side."""
        if match.status != "proposed" or side not in (match.side_a, match.side_b):
            return False
        if self.user_id in (match.confirmed_a_by_id, match.confirmed_b_by_id):
            return False
        return side in self.match_sides

    def match_sides_to_confirm(self, match) -> list[str]:
        """The sides of ``match`` not confirmed yet that this user may confirm now."""
        return [
            side
            for side, done in (
                (match.side_a, match.confirmed_a_by_id),
                (match.side_b, match.confirmed_b_by_id),
            )
            if done is None and self.can_confirm_match_side(match, side)
        ]

    def can_reject_match(self, match) -> bool:
        """Reject a proposed match: whoever may confirm either of its sides."""
        return match.status == "proposed" and any(
            self.can_confirm_match_side(match, side) for side in (match.side_a, match.side_b)
        )
