"""Changing a sharing agreement, and what follows from a change.

A change raises the version and keeps the new terms. What the partner
already holds is re-evaluated: the feed gets a ``reevaluate`` entry for every
record of this node whose species the old or the new terms name, so records
the new terms allow are sent and those they no longer allow are withdrawn
(tombstones). An embargo that ends is handled the same way by a daily task.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from observations.models import Individual, Media, Observation, SurveyEvent

from .feed import EVENT, INDIVIDUAL, MEDIA, OBSERVATION, evidence_media_ids, record_changes
from .models import Agreement, AgreementVersion, ChangeEntry, Node
from .terms import agreement_terms

REEVALUATE = ChangeEntry.Action.REEVALUATE


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
    active: bool = True,
) -> Agreement:
    """Create or change the agreement with ``partner``; applies from now on."""
    from .tasks import reevaluate_agreement

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
            record_changes(kind, ids, REEVALUATE, partner=agreement.partner)
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
            record_changes(EVENT, events, REEVALUATE, partner=agreement.partner)
            record_changes(OBSERVATION, ids, REEVALUATE, partner=agreement.partner)
            photos = evidence_media_ids(ids)
            record_changes(MEDIA, photos, REEVALUATE, partner=agreement.partner)
            Agreement.objects.filter(pk=agreement.pk).update(embargo_released_until=until)
        total += len(ids) + len(events)
    return total
