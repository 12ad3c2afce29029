"""Camtrap DP import, the events of the observations table: each becomes a sequence;
photos not in any event are grouped by the usual gap (observations.camera.sequences)."""

from __future__ import annotations

import uuid
from collections import defaultdict

from ...models import Media, Sequence
from ..sequences import gap, group_times, refresh_sequence
from .common import _record_id
from .reading import _value
from .run import ImportRun


def _event_id(package: str, deployment_id, key: str) -> uuid.UUID:
    """An event that is one of our sequences keeps its id; others are per deployment."""
    own = _record_id(package, "event", key)
    if str(own) == key.lower():
        return own
    return _record_id(package, "event", f"{deployment_id}/{key}")


def import_events(run: ImportRun, rows, deployments, media) -> dict:
    """One sequence per event; photos of no event grouped by the usual gap."""
    events: dict[tuple, dict] = {}
    for number, row in enumerate(rows, start=2):
        deployment = deployments.get(_value(row, "deploymentID"))
        if deployment is None:
            continue
        key = _value(row, "eventID") or (
            f"media:{_value(row, 'mediaID')}" if _value(row, "mediaID") else None
        )
        if key is None:
            key = f"row:{number}"
        start = run.rows.time("observations", number, row, "eventStart")
        end = run.rows.time("observations", number, row, "eventEnd") or start
        event = events.setdefault(
            (deployment.pk, key),
            {"deployment": deployment, "start": start, "end": end, "media": set()},
        )
        if start and (event["start"] is None or start < event["start"]):
            event["start"] = start
        if end and (event["end"] is None or end > event["end"]):
            event["end"] = end
        media_key = _value(row, "mediaID")
        if media_key and media_key in media:
            event["media"].add(media[media_key].pk)

    sequences = {}
    by_deployment = defaultdict(list)
    for m in media.values():
        by_deployment[m.deployment_id].append(m)
    claimed = set()
    for (deployment_id, key), event in events.items():
        record_id = _event_id(run.package, deployment_id, key)
        sequence = Sequence.objects.filter(pk=record_id).first()
        if sequence is None:
            sequence = Sequence.objects.create(
                id=record_id,
                deployment=event["deployment"],
                started_at=event["start"],
                ended_at=event["end"],
                external_id=key[:100],
                created_by=run.user,
                updated_by=run.user,
            )
            run.result.sequences += 1
        members = set(event["media"])
        if event["start"] is not None:
            members |= {
                m.pk
                for m in by_deployment[deployment_id]
                if m.taken_at and event["start"] <= m.taken_at <= event["end"]
            }
        members -= claimed
        claimed |= members
        Media.objects.filter(pk__in=members, sequence__isnull=True).update(sequence=sequence)
        sequences[(deployment_id, key)] = sequence
    for deployment_id, items in by_deployment.items():
        loose = sorted(
            (m for m in items if m.pk not in claimed and m.sequence_id is None and m.taken_at),
            key=lambda m: m.taken_at,
        )
        groups = group_times([m.taken_at for m in loose], gap())
        made = {}
        for m, group in zip(loose, groups, strict=True):
            if group not in made:
                made[group] = Sequence.objects.create(
                    id=_record_id(run.package, "event", f"{deployment_id}/gap/{m.pk}"),
                    deployment_id=deployment_id,
                    created_by=run.user,
                    updated_by=run.user,
                )
                run.result.sequences += 1
            Media.objects.filter(pk=m.pk).update(sequence=made[group])
    for sequence in Sequence.objects.filter(deployment_id__in=list(by_deployment)):
        if sequence.media.exists():
            refresh_sequence(sequence)
    return sequences
