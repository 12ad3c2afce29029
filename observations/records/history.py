"""A record's change history as its page shows it (django-simple-history underneath)."""

import datetime
from dataclasses import dataclass
from itertools import pairwise

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy

from ..disclosure import EXACT
from ..disclosure.grid import generalise
from ..models import Individual, Observation, ProtectedArea, Species, SurveyEvent

# Bookkeeping columns left out of the change history: who and when are its own columns.
HIDDEN = [
    "id",
    "origin_node",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "reviewed_at",
    "reviewed_by",
    "observer_code",
    "source",
]
PLACE_FIELDS = ("latitude", "longitude", "coordinate_uncertainty_m")
TEXT_FIELDS = ("notes", "rejection_reason")
# Notes the record services leave on a version ("submitted", "rejected: <reason>"): what
# they say is already in the version's changes, so only other notes are shown.
SERVICE_NOTES = {"update", "submitted", "verified", "rejected"}
# What happened in a version, in this project's catalogs (django-simple-history's own
# labels are not translated into Russian under the language code "ru").
KINDS = {
    "+": pgettext_lazy("change history", "Created"),
    "~": pgettext_lazy("change history", "Changed"),
    "-": pgettext_lazy("change history", "Deleted"),
}


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Version:
    when: datetime.datetime
    who: str
    kind: str
    reason: str
    changes: list[Change]


def record_history(record: Observation, *, audience) -> list[Version]:
    """The record's versions, newest first, each with what changed since the one before.

    A fixed number of queries whatever the number of versions: the versions
    with their users in one, and at most one per kind of referenced object
    (species, PA, individual, event) named in a change. Coordinates and free text are
    shown as the disclosure policy shows the record to this ``audience``, at the coarsest
    precision any version's species has: an old version of a tiger record that was
    once filed as a crane must not give away the finer cell.
    """
    versions = list(
        record.history.select_related("history_user", "updated_by").order_by(
            "history_date", "history_id"
        )
    )
    deltas = [[] for _first in versions[:1]]
    for older, newer in pairwise(versions):
        deltas.append(newer.diff_against(older, excluded_fields=HIDDEN).changes)
    names = _referenced_names([c for delta in deltas for c in delta])
    places = {}
    precision = _coarsest_precision(record, versions, audience)
    exact = precision == EXACT
    if not exact:
        pa = record.protected_area
        for v in versions:
            places[v.history_id] = generalise(
                v.latitude,
                v.longitude,
                precision=precision,
                uncertainty_m=v.coordinate_uncertainty_m,
                pa_centroid=(pa.centroid_lat, pa.centroid_lon),
            )
    result = []
    previous = None
    for version, delta in zip(versions, deltas, strict=True):
        changes = []
        for change in delta:
            old, new = change.old, change.new
            if change.field in PLACE_FIELDS and not exact:
                attr = (
                    "uncertainty_m" if change.field == "coordinate_uncertainty_m" else change.field
                )
                old = getattr(places[previous.history_id], attr)
                new = getattr(places[version.history_id], attr)
                if old == new:
                    continue  # the move stays inside the generalised cell
            if change.field in TEXT_FIELDS and not exact:
                old = audience.text(old, precision).value
                new = audience.text(new, precision).value
            changes.append(
                Change(
                    field=change.field,
                    label=Observation._meta.get_field(change.field).verbose_name,
                    old=_shown(change.field, old, record, names),
                    new=_shown(change.field, new, record, names),
                )
            )
        user = version.history_user or version.updated_by
        result.append(
            Version(
                when=version.history_date,
                who=user.get_username() if user else "",
                kind=str(KINDS.get(version.history_type, version.get_history_type_display())),
                reason=audience.text(_note(version.history_change_reason), precision).value,
                changes=changes,
            )
        )
        previous = version
    result.reverse()
    return result


def _coarsest_precision(record, versions, audience) -> str:
    species_ids = {v.species_id for v in versions} - {record.species_id}
    others = list(Species.objects.filter(pk__in=species_ids)) if species_ids else []
    return audience.coarsest_record_precision(record.protected_area, [record.species, *others])


REFERENCES = {
    "species": Species,
    "protected_area": ProtectedArea,
    "individual": Individual,
    "event": SurveyEvent,
}


def _referenced_names(changes) -> dict[str, dict]:
    """Names of the species, PAs, individuals and events the changes refer to (by id)."""
    wanted: dict[str, set] = {}
    for change in changes:
        if change.field in REFERENCES:
            wanted.setdefault(change.field, set()).update({change.old, change.new} - {None})
    names = {}
    for field, ids in wanted.items():
        model = REFERENCES[field]
        query = model.objects.filter(pk__in=ids)
        if model is Individual:
            query = query.prefetch_related("codes")
        names[field] = {obj.pk: str(obj) for obj in query}
    return names


def _shown(field: str, value, record, names) -> str:
    """A value of the history as the page shows it."""
    if value is None or value == "":
        return "—"
    if field in REFERENCES:
        return names.get(field, {}).get(value, str(value))
    if field == "observed_at":
        local = timezone.localtime(value, record.protected_area.tz)
        return date_format(local, "Y-m-d H:i")
    model_field = Observation._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if field == "unit":
        return str(dict(Species.Unit.choices).get(value, value))
    return str(value)


def _note(reason: str | None) -> str:
    reason = reason or ""
    return "" if reason.partition(":")[0] in SERVICE_NOTES else reason
