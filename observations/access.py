"""Who may do what: every permission decision of the node is made here.

Views, API views, admin actions and tasks ask this module and nothing else,
so a rule is written once and tested role by role (tests/observations/
test_access.py).

The roles, from a Membership:

- ranger: records of the PAs they belong to (create, read, fix their own);
- PA manager: everything a ranger may, plus verify/reject the PA's records (but not
  verify one they filed themselves where the PA asks for four eyes);
- national coordinator: reads all PAs of their country, exports; reads the agreements,
  and changes them on their own country's node only (elsewhere: proposes a change);
- reviewer: reads verified records, never writes records; reviews the shared datasets
  they are invited to (anyone may be invited to a dataset, whatever their PA);
- admin: everything (Django superusers are admins too).

An object outside a user's reach is answered with 404, never 403, so that
its existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.db.models import Q, QuerySet

from .disclosure import for_user
from .disclosure.policy import photo_original, photo_shown, photo_shown_sql
from .models import (
    Membership,
    Observation,
    ProtectedArea,
    RecordStatus,
    Role,
    Species,
    SurveyEvent,
)

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

    # --- remarks (comments, flags, answers) ----------------------------------------
    def can_remark_on(self, record: Observation) -> bool:
        """Comment on or flag a record: whoever may read it, reviewers included."""
        return self.is_authenticated and self.can_view_record(record)

    def can_answer_flags_on(self, record: Observation) -> bool:
        """Answer a flag: the manager of the PA that owns the record, on its own node."""
        return record.is_local and self.can_review_in(record.protected_area)

    # --- census campaigns (observations.census) -------------------------------------
    @property
    def can_manage_campaigns(self) -> bool:
        """Set up joint census campaigns and reconcile their counts: coordinators, admins."""
        return self.is_admin or bool(self.coordinator_countries)

    def can_view_campaigns(self) -> bool:
        """Campaigns and their per-PA counts (no locations) are read by everyone logged in."""
        return self.is_authenticated

    def can_edit_campaign(self, campaign) -> bool:
        """Change a campaign or resolve its double-count flags: on the node that owns it."""
        return campaign.is_local and self.can_manage_campaigns

    def can_submit_count_for(self, pa: ProtectedArea) -> bool:
        """Submit or correct the PA's census count: its rangers and manager, on the PA's own
        node (the other side's counts arrive by the exchange)."""
        return self.can_record_in(pa)

    def can_confirm_count(self, count) -> bool:
        """Confirm a submitted count: the PA's manager, on the node that owns the count."""
        return count.is_local and self.can_review_in(count.protected_area)

    def can_edit_count(self, count) -> bool:
        """Offer to correct the count (page and API alike): a count of this node still
        waiting for confirmation, to whoever may submit the PA's count."""
        return (
            count.is_local
            and count.awaits_confirmation
            and self.can_submit_count_for(count.protected_area)
        )

    def can_confirm_count_now(self, count) -> bool:
        """Offer to confirm the count (page and API alike): one still waiting, to its manager."""
        return count.awaits_confirmation and self.can_confirm_count(count)

    # --- camera traps (observations.camera) ---------------------------------------------
    def visible_deployments(self, qs: QuerySet | None = None) -> QuerySet:
        """Deployments whose event the user may read, plus every deployment of the PAs they
        work in, drafts included: a station's season of photos is a team's work."""
        from .models import Deployment

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

    def visible_media(self, qs: QuerySet | None = None) -> QuerySet:
        """Photos of visible deployments that the disclosure policy shows this user
        (``photo_shown_sql``, the query twin of ``can_view_media``'s ``photo_shown``)."""
        from .models import Media

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

    def can_export_deployments_of(self, pa: ProtectedArea) -> bool:
        """Camtrap DP export (generalised, photos stripped): coordinators and admins, and the
        PA's own manager."""
        in_country = pa.country in self.coordinator_countries
        return self.is_admin or in_country or pa.pk in self.manager_pas

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

    # --- shared datasets for workshops (exchange.datasets) -----------------------------
    #
    # Coordinators (and admins) define datasets, publish versions and invite reviewers.
    # Who reads and reviews one (its invited reviewers) is asked of the dataset's own
    # tables: exchange.datasets.permissions (``can_view_dataset(access, dataset)``).

    @property
    def can_manage_datasets(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    def can_manage_dataset(self, dataset) -> bool:
        """Change its query and description, publish versions, invite reviewers."""
        return self.can_manage_datasets

    @property
    def has_flag_inbox(self) -> bool:
        """Sees the open flags on the records of the PAs they manage."""
        return self.is_admin or bool(self.manager_pas)

    # --- population-status summaries (exchange.summaries) ------------------------------
    #
    # A summary holds figures per PA and country (no places), built from verified records
    # only, which every user of the node may read already. Coordinators (and admins) ask
    # for them; PA managers, coordinators, reviewers (workshops compare years and sides)
    # and admins read and download all; a ranger reads those that cover their own PA: its
    # own, its country's and the joint ones. Anyone else: none (a summary answers 404).

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

    # --- node-wide powers ---------------------------------------------------
    @property
    def can_export(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    @property
    def speaks_for_this_node(self) -> bool:
        """A coordinator of this node's own country, or an admin: the people who decide
        what this node lets out (its agreements, its exact exports)."""
        return self.is_admin or settings.NODE_CODE in self.coordinator_countries

    @property
    def can_export_internal(self) -> bool:
        """An export with exact places (observations.disclosure: the asker's own view):
        a coordinator of this node's own country, or an admin. The other country's
        coordinator, logged in here, exports for publication only."""
        return self.speaks_for_this_node

    # --- sharing agreements (exchange.partners.agreements) -------------------------------------
    #
    # An agreement says what THIS node sends to one partner, so only this node's own
    # national coordinators (a coordinator whose country is NODE_CODE) and admins change
    # it. The partner's coordinators may hold an account here too (a Chinese coordinator
    # on the Russian node): they read the terms and propose a change, which a local
    # coordinator accepts or declines. Anyone else: the exchange pages answer 404.

    @property
    def can_view_agreements(self) -> bool:
        """The Exchange pages: partners' sync state, the agreements' terms, the sent log."""
        return self.is_admin or bool(self.coordinator_countries)

    @property
    def can_edit_agreements(self) -> bool:
        """Change what this node shares (and decide on proposed changes): its own
        country's coordinators and admins, never a coordinator of another country."""
        return self.speaks_for_this_node

    def can_propose_agreement_change(self, partner) -> bool:
        """Propose new terms for what this node shares with ``partner`` (a Node): that
        partner's coordinators, the audience of the terms, who may not edit them."""
        return (
            partner.code != settings.NODE_CODE
            and partner.code in self.coordinator_countries
            and not self.can_edit_agreements
        )

    def can_decide_agreement_proposal(self, proposal) -> bool:
        """Accept or decline a proposed change that is still open: whoever may edit."""
        return proposal.status == "proposed" and self.can_edit_agreements

    # --- sign-in locks (observations.accounts.logins) ------------------------------------
    #
    # Too many failed passwords lock an account or an address for a while. Admins and
    # national coordinators see the locks and lift them: a coordinator only for users of
    # their own country (by their PAs, or as its coordinator) or of no country at all
    # (reviewers, names that are no account). Anyone else: the page answers 404.

    @property
    def can_unlock_accounts(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    def can_unlock_user(self, countries: frozenset[str]) -> bool:
        """Lift the lock of a user who belongs to ``countries`` (empty: no PA, no country)."""
        if self.is_admin:
            return True
        if not self.coordinator_countries:
            return False
        return countries <= self.coordinator_countries

    @property
    def can_write(self) -> bool:
        """Reviewers read and comment; only members of a PA (or admins) write records."""
        return self.is_admin or bool(self.member_pas)


ANONYMOUS = Access(user_id=None)


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
