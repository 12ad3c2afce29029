"""A person's verdict on a sequence: empty, people, or which species, how many, which animal.

Each species named becomes an Observation with evidence "camera" and source "camera"
(filed through observations.records.services.observation_create, so the one validation
service and the change feed apply), at the sequence's first photo's time and the
deployment's place, linked to the sequence (and so to its photos) by its Classification.
For tigers and leopards the known individual may be given, or a new one made in this
node's catalogue.

A "people" verdict is filed as a Camtrap DP "human" classification, and its photos are
then marked as showing people by observations.camera.people (the one rule), in the same
transaction; classifying the sequence again later never unmarks them.

A sequence may be classified again while its observations are drafts: they are deleted
(the feed gets their tombstones) and filed anew. Once one has been submitted, it must be
handled through the review workflow instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import DomainError, NotAllowed
from ..feed import MEDIA, record_changed, record_changes
from ..models import (
    Classification,
    Individual,
    IndividualCode,
    Observation,
    RecordStatus,
    Sequence,
)
from ..models.records import Evidence, RecordSource
from ..records.services import observation_create, observer_code, record_delete
from ..validation import Reference
from .people import mark_people_classified

# Species whose animals are told apart by their coats, with a catalogue of individuals.
INDIVIDUAL_ID_SPECIES = ("Panthera tigris altaica", "Panthera pardus orientalis")
EMPTY, ANIMALS, PEOPLE = "empty", "animals", "people"


@dataclass
class Seen:
    """One species in a sequence."""

    species: object  # a Species, its id or its scientific name
    count: int = 1
    individual: str | None = None  # "RU T-12", a UUID, or None
    new_individual: bool = False
    new_individual_code: str = ""  # the code in this node's catalogue, if already given
    sex: str = ""
    age_class: str = ""
    notes: str = ""


def _linked_observations(sequence: Sequence) -> list[Observation]:
    return [
        c.observation
        for c in sequence.classifications.select_related("observation__protected_area")
        if c.observation is not None
    ]


def _clear(access: Access, sequence: Sequence) -> None:
    """Undo an earlier verdict, if its observations are still drafts."""
    observations = _linked_observations(sequence)
    for obs in observations:
        if obs.status != RecordStatus.DRAFT:
            raise NotAllowed(
                _(
                    "An observation of this sequence has already been submitted: reopen or "
                    "change it through its record page."
                ),
                "already_submitted",
            )
    sequence.classifications.all().delete()
    for obs in observations:
        record_delete(access=access, record=obs)


def _new_individual(*, user, species, code: str, sequence: Sequence) -> Individual:
    code = code.strip()
    label = code or str(_("new, from %(station)s %(date)s")) % {
        "station": sequence.deployment.station,
        "date": f"{sequence.started_at:%Y-%m-%d}" if sequence.started_at else "?",
    }
    individual = Individual.objects.create(
        species=species,
        label=label[:100],
        first_seen=sequence.started_at.date() if sequence.started_at else None,
        created_by=user,
        updated_by=user,
        origin_node=settings.NODE_CODE,
    )
    if code:
        try:
            with transaction.atomic():
                IndividualCode.objects.create(
                    individual=individual, catalogue=settings.NODE_CODE, code=code[:50]
                )
        except IntegrityError as exc:
            raise DomainError(
                _("The code %(code)s is already in the catalogue.") % {"code": code},
                "code_taken",
                field="new_individual_code",
            ) from exc
    record_changed(individual)
    return individual


def sequence_classify(
    *,
    access: Access,
    user,
    sequence: Sequence,
    verdict: str,
    seen: list[Seen] | None = None,
    ref: Reference | None = None,
) -> list[Classification]:
    """Classify a sequence: ``verdict`` is "empty", "people" or "animals" (with ``seen``).

    Returns the classifications made; their ``observation`` is the record filed for each
    species. Raises DomainError (or RecordInvalid from the validation service).
    """
    deployment = sequence.deployment
    if not access.can_work_on_deployment(deployment):
        raise NotAllowed(_("You may not classify this deployment's photos."), "forbidden")
    seen = list(seen or [])
    if verdict not in (EMPTY, ANIMALS, PEOPLE):
        raise DomainError(_("Choose empty, people or the species seen."), "unknown_verdict")
    if verdict == ANIMALS and not seen:
        raise DomainError(_("Name at least one species."), "nothing_chosen", field="species")
    if verdict != ANIMALS and seen:
        raise DomainError(
            _("An empty sequence has no species."), "empty_with_species", field="species"
        )
    if verdict == ANIMALS and sequence.started_at is None:
        raise DomainError(
            _("The photos of this sequence have no time: an observation needs one."), "no_time"
        )
    ref = ref or Reference()
    event = deployment.event
    now = timezone.now()
    code = observer_code(user)
    made = []
    with transaction.atomic():
        sequence = Sequence.objects.select_for_update().get(pk=sequence.pk)
        sequence.deployment = deployment
        _clear(access, sequence)
        if verdict in (EMPTY, PEOPLE):
            kind = Classification.Kind.BLANK if verdict == EMPTY else Classification.Kind.HUMAN
            made.append(
                Classification.objects.create(
                    sequence=sequence,
                    kind=kind,
                    classified_by=code,
                    classified_at=now,
                    created_by=user,
                    updated_by=user,
                )
            )
        for item in seen:
            species = ref.species(item.species)
            individual = item.individual or None
            if item.new_individual and species is not None:
                individual = _new_individual(
                    user=user, species=species, code=item.new_individual_code, sequence=sequence
                )
            values = {
                "protected_area": event.protected_area,
                "species": species if species is not None else item.species,
                "event": event,
                "observed_at": sequence.started_at,
                "latitude": event.latitude,
                "longitude": event.longitude,
                "count": item.count,
                "evidence": Evidence.CAMERA,
                "individual": individual,
                "notes": item.notes,
            }
            if item.sex:
                values["sex"] = item.sex
            if item.age_class:
                values["age_class"] = item.age_class
            observation, _created = observation_create(
                access=access, user=user, values=values, source=RecordSource.CAMERA, ref=ref
            )
            made.append(
                Classification.objects.create(
                    sequence=sequence,
                    kind=Classification.Kind.ANIMAL,
                    species=observation.species,
                    scientific_name=observation.species.scientific_name,
                    count=observation.count,
                    sex=observation.sex if observation.sex != "unknown" else "",
                    life_stage=_life_stage(observation.age_class),
                    individual=observation.individual,
                    observation=observation,
                    classified_by=code,
                    classified_at=now,
                    created_by=user,
                    updated_by=user,
                )
            )
        sequence.state = {
            EMPTY: Sequence.State.EMPTY,
            PEOPLE: Sequence.State.OTHER,
            ANIMALS: Sequence.State.ANIMALS,
        }[verdict]
        sequence.classified_at, sequence.classified_by = now, user
        sequence.save(update_fields=["state", "classified_at", "classified_by", "updated_at"])
        # A "people" verdict withholds the sequence's photos (the one rule, in people.py);
        # the photos it marks get their feed entries there.
        marked = set(mark_people_classified(sequences=[sequence.pk], user=user))
        # What the photos show decides whether they may leave with their records.
        record_changes(
            MEDIA, [pk for pk in sequence.media.values_list("pk", flat=True) if pk not in marked]
        )
    return made


def _life_stage(age_class: str) -> str:
    return {
        "adult": "adult",
        "subadult": "subadult",
        "juvenile": "juvenile",
        "cub": "juvenile",
    }.get(age_class, "")


def next_unclassified(deployment, *, after=None) -> Sequence | None:
    """The deployment's next sequence to classify, in time order."""
    qs = Sequence.objects.filter(
        deployment=deployment, state=Sequence.State.UNCLASSIFIED, media_count__gt=0
    ).order_by("started_at", "id")
    if after is not None and after.started_at is not None:
        later = qs.filter(started_at__gt=after.started_at).first()
        if later is not None:
            return later
    return qs.exclude(pk=getattr(after, "pk", None)).first()
