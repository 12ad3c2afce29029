"""A record on the wire as one audience is shown it: the record kind's fields
(observations.records.kinds), with the place and the notes the disclosure policy decided.

The API (this node's users) and the change feed (a partner) both build an observation
here, so the two can never differ in what the policy is asked."""

from __future__ import annotations

from ..disclosure.policy import Audience
from ..models import Observation
from .kinds import OBSERVATION


def observation_shown(obs: Observation, path: str, audience: Audience, after=None) -> dict:
    """``after``: the path's own keys, each placed after a field of the kind (see
    RecordKind.to_wire)."""
    place = audience.record_place(obs)
    notes = audience.text(obs.notes, place.precision)
    return OBSERVATION.to_wire(
        obs,
        path,
        shown={
            "latitude": place.latitude,
            "longitude": place.longitude,
            "coordinate_uncertainty_m": place.uncertainty_m,
            "notes": notes.value,
        },
        after={
            "location_precision": ("coordinate_uncertainty_m", place.precision),
            "notes_redacted": ("notes", notes.kept_back),
            **(after or {}),
        },
    )
