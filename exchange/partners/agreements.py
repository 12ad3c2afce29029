"""Changing a sharing agreement, and what follows from a change.

A change raises the version and keeps the new terms. What the partner
already holds is re-evaluated: the feed gets a ``reevaluate`` entry for every
record of this node whose species the old or the new terms name, so records
the new terms allow are sent and those they no longer allow are withdrawn
(tombstones). An embargo that ends is handled the same way by a daily task.

Who: only this node's own coordinators (and admins) change what it shares
(Access.can_edit_agreements). The partner's coordinators, who may have an account
here, propose a change instead (``agreement_propose``); a local coordinator accepts it
(``proposal_accept``: saved by ``agreement_save`` like any change) or declines it with a
note (``proposal_decline``). The pages check first; the services check again, so that
no other caller (an API view, a task given a user) can skip the rule.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from observations.access import Access, access_for
from observations.errors import Conflict, DomainError, NotAllowed, NotFound
from observations.feed import (
    EVENT,
    INDIVIDUAL,
    MEDIA,
    OBSERVATION,
    evidence_media_ids,
    record_changes,
)
from observations.models import ChangeEntry, Individual, Media, Observation, SurveyEvent

from ..models import Agreement, AgreementProposal, AgreementVersion, FreeText, Node
from .terms import agreement_terms, clean_terms, terms_arguments

REEVALUATE = ChangeEntry.Action.REEVALUATE


def _editor(access: Access | None, user) -> None:
    """Refuse anyone but this node's own coordinators (and admins).

    ``access`` defaults to the user's; with neither (the exchange_agreement command run by
    the node's operator, the demo set-up) there is nobody to check."""
    if access is None and user is not None:
        access = access_for(user)
    if access is not None and not access.can_edit_agreements:
        raise NotAllowed(
            _(
                "Only this node's own coordinators change what it shares; the partner's "
                "coordinators may propose a change."
            ),
            "forbidden",
        )


def agreement_save(
    *,
    partner: Node,
    user,
    species: list,
    protected_areas: list,
    statuses: list[str],
    embargo_days: int,
    precision: dict,
    media_level: str,
    licence: str,
    share_personal_data: bool = False,
    free_text: str = FreeText.WITHHOLD,
    active: bool = True,
    access: Access | None = None,
) -> Agreement:
    """Create or change the agreement with ``partner``; applies from now on.

    Refused (NotAllowed) unless ``access`` (else ``user``'s) may edit agreements."""
    from .tasks import reevaluate_agreement

    _editor(access, user)
    if free_text not in FreeText.values:
        raise DomainError(
            _("Unknown value: %(values)s. Choose %(known)s.")
            % {"values": free_text, "known": ", ".join(FreeText.values)},
            "bad_choice",
            field="free_text",
        )
    with transaction.atomic():
        agreement, created = Agreement.objects.select_for_update().get_or_create(
            partner=partner, defaults={"statuses": statuses}
        )
        before = set() if created else set(agreement.species.values_list("pk", flat=True))
        before_terms = None if created else agreement_terms(agreement)
        agreement.statuses = statuses
        agreement.embargo_days = embargo_days
        agreement.precision = precision
        agreement.media_level = media_level
        agreement.licence = licence
        agreement.share_personal_data = share_personal_data
        agreement.free_text = free_text
        agreement.active = active
        agreement.updated_by = user
        agreement.save()
        agreement.species.set(species)
        agreement.protected_areas.set(protected_areas)
        terms = agreement_terms(agreement)
        if before_terms == terms:
            return agreement
        if not created:
            agreement.version += 1
            agreement.save(update_fields=["version"])
        AgreementVersion.objects.create(
            agreement=agreement, version=agreement.version, terms=terms, created_by=user
        )
        affected = sorted(before | {s.pk for s in agreement.species.all()})
        transaction.on_commit(lambda: reevaluate_agreement.delay(agreement.pk, affected))
    return agreement


# --- changes proposed by the partner's coordinators ---------------------------------------


def agreement_propose(
    *, access: Access, user, partner: Node, terms: dict, message: str = ""
) -> AgreementProposal:
    """The partner's coordinator proposes new terms for what this node shares with them.

    The terms are checked now (``clean_terms``) and kept as they were proposed; nothing
    changes until a local coordinator accepts them."""
    if not access.can_propose_agreement_change(partner):
        raise NotAllowed(
            _("Only the partner's coordinators propose changes to what this node shares."),
            "forbidden",
        )
    current = Agreement.objects.filter(partner=partner).first()
    return AgreementProposal.objects.create(
        partner=partner,
        terms=clean_terms(terms),
        base_version=current.version if current else None,
        message=message.strip(),
        proposed_by=user,
    )


def _open_proposal(access: Access, proposal_id: int) -> AgreementProposal:
    """The proposal, locked, if it is still open and ``access`` may decide on it."""
    proposal = AgreementProposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(_("No such proposal."), "not_found")
    if proposal.status != AgreementProposal.Status.PROPOSED:
        raise Conflict(_("This proposal was already decided."), "already_decided")
    if not access.can_decide_agreement_proposal(proposal):
        raise NotAllowed(
            _("Only this node's own coordinators decide on proposed changes."), "forbidden"
        )
    return proposal


def proposal_accept(
    *, access: Access, user, proposal_id: int, note: str = ""
) -> tuple[AgreementProposal, Agreement]:
    """Accept a proposed change: its terms are saved as any change (a new version)."""
    with transaction.atomic():
        proposal = _open_proposal(access, proposal_id)
        agreement = agreement_save(
            access=access,
            partner=proposal.partner,
            user=user,
            **terms_arguments(proposal.terms),
        )
        _decide(proposal, AgreementProposal.Status.ACCEPTED, user, note)
    return proposal, agreement


def proposal_decline(*, access: Access, user, proposal_id: int, note: str) -> AgreementProposal:
    """Decline a proposed change, saying why (the partner's coordinators read the note)."""
    if not note.strip():
        raise DomainError(_("Say why the change is declined."), "note_required", field="note")
    with transaction.atomic():
        proposal = _open_proposal(access, proposal_id)
        _decide(proposal, AgreementProposal.Status.DECLINED, user, note)
    return proposal


def _decide(proposal: AgreementProposal, status: str, user, note: str) -> None:
    proposal.status = status
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.decision_note = note.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def reevaluate(*, agreement_id: int, species_ids: list[int]) -> int:
    """Feed entries asking the feed to look again at every own record of these species."""
    agreement = Agreement.objects.select_related("partner").get(pk=agreement_id)
    own = {"origin_node": settings.NODE_CODE}
    total = 0
    with transaction.atomic():
        queries = [
            (INDIVIDUAL, Individual.objects.filter(species_id__in=species_ids, **own)),
            (
                EVENT,
                SurveyEvent.objects.filter(
                    observations__species_id__in=species_ids, **own
                ).distinct(),
            ),
            (OBSERVATION, Observation.objects.filter(species_id__in=species_ids, **own)),
            (
                MEDIA,
                Media.objects.filter(
                    sequence__classifications__observation__species_id__in=species_ids, **own
                ).distinct(),
            ),
        ]
        for kind, qs in queries:
            ids = list(qs.values_list("pk", flat=True).iterator(chunk_size=20000))
            record_changes(kind, ids, REEVALUATE, partner_code=agreement.partner.code)
            total += len(ids)
    return total


def release_embargoes(now: dt.datetime | None = None) -> int:
    """Records whose embargo ended since the last run are offered to the partner again."""
    now = now or timezone.now()
    total = 0
    for agreement in Agreement.objects.filter(embargo_days__gt=0, active=True):
        until = now - dt.timedelta(days=agreement.embargo_days)
        since = agreement.embargo_released_until or (until - dt.timedelta(days=2))
        species = list(agreement.species.values_list("pk", flat=True))
        with transaction.atomic():
            ids = list(
                Observation.objects.filter(
                    origin_node=settings.NODE_CODE,
                    species_id__in=species,
                    observed_at__gt=since,
                    observed_at__lte=until,
                ).values_list("pk", flat=True)
            )
            events = list(
                SurveyEvent.objects.filter(
                    origin_node=settings.NODE_CODE, started_at__gt=since, started_at__lte=until
                ).values_list("pk", flat=True)
            )
            record_changes(EVENT, events, REEVALUATE, partner_code=agreement.partner.code)
            record_changes(OBSERVATION, ids, REEVALUATE, partner_code=agreement.partner.code)
            photos = evidence_media_ids(ids)
            record_changes(MEDIA, photos, REEVALUATE, partner_code=agreement.partner.code)
            Agreement.objects.filter(pk=agreement.pk).update(embargo_released_until=until)
        total += len(ids) + len(events)
    return total
