"""Grouping a deployment's photos into sequences (bursts).

A sequence is a maximal run of one deployment's photos in which each photo follows the one
before by less than CAMERA_SEQUENCE_GAP_S seconds. Photos arrive in any order, from several
workers at once, so each one is placed as it is ingested, under a lock on its deployment's
row: it joins the sequence of a neighbour closer than the gap, and a photo that bridges two
sequences merges them (unless both are already classified: a person's verdict is never
merged away; the photo then joins the earlier one). A photo without a time is a sequence of
its own. ``group_times`` is the same rule on a plain sorted list (tests, the benchmark).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from ..models import Media, Sequence


def gap() -> dt.timedelta:
    return dt.timedelta(seconds=settings.CAMERA_SEQUENCE_GAP_S)


def group_times(times: list[dt.datetime], max_gap: dt.timedelta | None = None) -> list[int]:
    """For sorted times, the index of the sequence each belongs to."""
    max_gap = gap() if max_gap is None else max_gap
    groups, current, previous = [], -1, None
    for when in times:
        if previous is None or when - previous >= max_gap:
            current += 1
        groups.append(current)
        previous = when
    return groups


def refresh_sequence(sequence: Sequence) -> Sequence | None:
    """Recount a sequence's bounds and photos; delete it when it has none left."""
    stats = Media.objects.filter(sequence=sequence).aggregate(
        first=Min("taken_at"), last=Max("taken_at"), n=Count("id")
    )
    if not stats["n"] and sequence.state == Sequence.State.UNCLASSIFIED:
        sequence.delete()
        return None
    sequence.started_at, sequence.ended_at = stats["first"], stats["last"]
    sequence.media_count = stats["n"]
    sequence.save(update_fields=["started_at", "ended_at", "media_count", "updated_at"])
    return sequence


def choose_sequence(media: Media) -> tuple[Sequence, bool]:
    """The sequence a photo joins (made or merged as needed), and whether sequences were
    merged. Call inside a transaction that holds the lock on the photo's deployment row
    (observations.camera.ingest does); the photo itself is not saved here."""
    deployment_id = media.deployment_id
    when = media.taken_at
    neighbours = []
    if when is not None:
        window = gap()
        ready = Media.objects.filter(
            deployment_id=deployment_id, status=Media.Status.READY, sequence__isnull=False
        ).exclude(pk=media.pk)
        before = (
            ready.filter(taken_at__lte=when, taken_at__gt=when - window)
            .order_by("-taken_at")
            .select_related("sequence")
            .first()
        )
        after = (
            ready.filter(taken_at__gte=when, taken_at__lt=when + window)
            .order_by("taken_at")
            .select_related("sequence")
            .first()
        )
        neighbours = [m.sequence for m in (before, after) if m is not None]
    if not neighbours:
        made = Sequence.objects.create(
            deployment_id=deployment_id,
            started_at=when,
            ended_at=when,
            media_count=0,
            origin_node=media.origin_node,
        )
        return made, False
    target, other = neighbours[0], neighbours[-1]
    if other.pk == target.pk:
        return target, False
    unclassified = Sequence.State.UNCLASSIFIED
    if other.state == unclassified:
        Media.objects.filter(sequence=other).update(sequence=target)
        other.delete()
        return target, True
    if target.state == unclassified:
        Media.objects.filter(sequence=target).update(sequence=other)
        target.delete()
        return other, True
    return target, False  # both classified: the photo joins the earlier one, they stay apart


def extend_sequence(sequence: Sequence, when) -> None:
    """One more photo taken ``when``: the count and the bounds follow, in one UPDATE."""
    changes = {"media_count": F("media_count") + 1, "updated_at": timezone.now()}
    if when is not None:
        if sequence.started_at is None or when < sequence.started_at:
            changes["started_at"] = when
        if sequence.ended_at is None or when > sequence.ended_at:
            changes["ended_at"] = when
    Sequence.objects.filter(pk=sequence.pk).update(**changes)
