"""Transboundary individuals: "RU T-12 is CN AT-033".

About a third of the Amur leopards are photographed on both sides of the border, each
side cataloguing them under its own code, so adding the national totals over-counts. A
match proposes that two catalogue codes are one animal, with its evidence photos; it
counts only once a reviewer of each side has confirmed it: a PA manager of that country or
its national coordinator (access.match_sides), and never one person for both sides. Either
side may reject it.

The two Individual records stay as they are, each owned by its node (single-writer
ownership): the confirmed matches are what ``animal_count`` joins, with a union-find, so
that an animal with codes in two catalogues counts once. Sending matches to the partner
node is not written yet (the change feed does not carry them).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import Conflict, DomainError, NotAllowed
from ..models import Individual, IndividualCode, IndividualMatch, Media, Species


def _code(value: str) -> IndividualCode:
    catalogue, _sep, code = (value or "").strip().partition(" ")
    found = (
        IndividualCode.objects.select_related("individual__species")
        .filter(catalogue=catalogue.upper(), code__iexact=code.strip())
        .first()
    )
    if found is None:
        raise DomainError(
            _("Unknown catalogue code: %(value)s (write it as “RU T-12”).") % {"value": value},
            "unknown_code",
        )
    return found


def match_propose(
    *, access: Access, user, code_a: str, code_b: str, evidence=(), note: str = ""
) -> IndividualMatch:
    """Propose that two codes of two catalogues are one animal."""
    if not access.can_propose_matches:
        raise NotAllowed(_("You may not propose matches."), "forbidden")
    first, second = _code(code_a), _code(code_b)
    if first.catalogue == second.catalogue:
        raise DomainError(_("A match joins codes of two different catalogues."), "same_catalogue")
    if first.individual.species_id != second.individual.species_id:
        raise DomainError(_("The two individuals are of different species."), "other_species")
    if first.catalogue > second.catalogue:
        first, second = second, first
    pair = Q(individual_a=first.individual, individual_b=second.individual)
    if IndividualMatch.objects.filter(pair).exists():
        raise Conflict(_("This match has already been proposed."), "already_proposed")
    photos = list(access.visible_media().filter(pk__in=list(evidence)))
    if len(photos) != len(set(map(str, evidence))):
        raise DomainError(_("An evidence photo is unknown or out of your reach."), "bad_evidence")
    with transaction.atomic():
        match = IndividualMatch.objects.create(
            individual_a=first.individual,
            individual_b=second.individual,
            side_a=first.catalogue,
            side_b=second.catalogue,
            code_a=first.code,
            code_b=second.code,
            note=note,
            created_by=user,
            updated_by=user,
        )
        match.evidence.set(photos)
    return match


def _open_side(access: Access, match: IndividualMatch, side: str | None) -> str:
    sides = access.match_sides_to_confirm(match)
    if side:
        sides = [s for s in sides if s == side]
    if not sides:
        raise NotAllowed(
            _("Only a reviewer of each side confirms a match, one person one side."), "forbidden"
        )
    if len(sides) > 1:
        raise DomainError(_("Say which side you confirm for."), "side_required", field="side")
    return sides[0]


def match_confirm(*, access: Access, user, match: IndividualMatch, side: str | None = None):
    """Confirm one side; the match counts once both sides have."""
    with transaction.atomic():
        match = IndividualMatch.objects.select_for_update().get(pk=match.pk)
        if match.status != IndividualMatch.Status.PROPOSED:
            raise DomainError(_("This match is no longer open."), "not_open")
        side = _open_side(access, match, side)
        now = timezone.now()
        if side == match.side_a:
            match.confirmed_a_by, match.confirmed_a_at = user, now
        else:
            match.confirmed_b_by, match.confirmed_b_at = user, now
        if match.confirmed_a_by_id and match.confirmed_b_by_id:
            match.status = IndividualMatch.Status.CONFIRMED
        match.updated_by = user
        match.save()
    return match


def match_reject(*, access: Access, user, match: IndividualMatch, reason: str):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the match is rejected."), "reason_required", field="reason")
    with transaction.atomic():
        match = IndividualMatch.objects.select_for_update().get(pk=match.pk)
        if match.status != IndividualMatch.Status.PROPOSED:
            raise DomainError(_("This match is no longer open."), "not_open")
        if not access.can_reject_match(match):
            raise NotAllowed(_("Only a reviewer of either side rejects a match."), "forbidden")
        match.status = IndividualMatch.Status.REJECTED
        match.rejected_by, match.rejection_reason = user, reason
        match.updated_by = user
        match.save()
    return match


@dataclass
class AnimalCount:
    species: Species
    records: int  # Individual records (each side's catalogue entries)
    animals: int  # after confirmed matches
    by_catalogue: dict
    shared: int  # animals with codes on both sides

    def as_json(self) -> dict:
        return {
            "species": self.species.scientific_name,
            "individual_records": self.records,
            "animals": self.animals,
            "by_catalogue": self.by_catalogue,
            "seen_on_both_sides": self.shared,
        }


def animal_count(species: Species) -> AnimalCount:
    """How many animals of a species the catalogues hold, a confirmed match counted once."""
    ids = list(Individual.objects.filter(species=species).values_list("pk", flat=True))
    parent = {i: i for i in ids}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    confirmed = IndividualMatch.objects.filter(
        status=IndividualMatch.Status.CONFIRMED, individual_a__species=species
    ).values_list("individual_a_id", "individual_b_id")
    shared = 0
    for a, b in confirmed:
        if a in parent and b in parent and root(a) != root(b):
            parent[root(b)] = root(a)
            shared += 1
    by_catalogue: dict[str, int] = {}
    for catalogue in IndividualCode.objects.filter(individual__species=species).values_list(
        "catalogue", flat=True
    ):
        by_catalogue[catalogue] = by_catalogue.get(catalogue, 0) + 1
    animals = len({root(i) for i in ids})
    return AnimalCount(species, len(ids), animals, by_catalogue, shared)


def evidence_photos(match: IndividualMatch, access: Access) -> list[Media]:
    return list(access.visible_media(match.evidence.all()).order_by("taken_at", "id"))
