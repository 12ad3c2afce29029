"""Photos showing people: they stay inside their protected area (its members and the
country's coordinator see them) until a coordinator releases them. Exports, downloads by
others and the sync leave them out: whether a photo is shown to an audience is decided once,
by the disclosure policy's ``photo_shown`` (and its SQL twin ``photo_shown_sql``), which
every path asks (pages, API, downloads, the feed and sync, the Camtrap DP export).

**What "showing people" means** (the one rule; every path that classifies asks it here):
a photo shows people when a person marked it so (at upload, or ``media_flag_people``) or
when any classification of the photo, or of its sequence, is of a ``PEOPLE_KINDS`` kind:
Camtrap DP's observationType ``human`` (what the classification page and API write for
their "people" verdict, and what an imported package says) and ``vehicle``.

Vehicles count. Camtrap DP's observationType vocabulary (animal, human, vehicle, blank,
unknown, unclassified) keeps vehicle apart from human because a detector tells them
apart, not because a vehicle is free of people: on a reserve's camera a vehicle is a
poacher's snowmobile or a ranger's truck, with its driver behind the glass and its
number plate in view, both of which identify people. This node's own vocabulary already
files the two together (``Sequence.State.OTHER``, "people or vehicles"). Withholding a
vehicle costs a coordinator one click; a leaked number plate cannot be called back.

One classification withholds its whole sequence: the photos of a burst are seconds
apart, and a person seen in one is usually at the edge of the next.

The rule is stored, not recomputed: ``mark_people_classified`` sets ``has_people`` in the
classification's own transaction (the classification page and API through
observations.camera.classify, the Camtrap DP import, and the ingest when a photo joins a
sequence already classified), and writes a feed entry for every photo it changed, so that
a partner holding one receives its tombstone (exchange.feed serves current state). Every
reader then asks one column. Nothing here ever clears it: a sequence classified again as
empty keeps its photos withheld. Only a coordinator's release (``media_release``) lets
such a photo leave; ``media_flag_people`` refuses to unmark a photo while a
classification says it shows people.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import DomainError, NotAllowed
from ..feed import MEDIA, record_changed, record_changes
from ..models import Classification, Media

# Camtrap DP observationTypes that mean people are in the picture (see the module).
PEOPLE_KINDS = (Classification.Kind.HUMAN, Classification.Kind.VEHICLE)


def classified_as_people() -> Q:
    """Photos (a Media query condition) that a classification says show people: one of
    the photo itself, or one of its sequence."""
    people = Classification.objects.filter(kind__in=PEOPLE_KINDS)
    return Q(sequence_id__in=people.values("sequence_id")) | Q(
        pk__in=people.filter(media__isnull=False).values("media_id")
    )


def mark_people_classified(*, sequences=(), media=(), user=None) -> list:
    """Mark as showing people the photos of ``sequences`` (ids) and the photos ``media``
    (ids) that a classification says show people; returns the ids it changed.

    Call inside the classification's transaction, after the classifications are saved:
    the change and its feed entries commit together or not at all.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("mark_people_classified must run inside the classification's")
    scope = Q(sequence_id__in=list(sequences)) | Q(pk__in=list(media))
    changed = list(
        Media.objects.select_for_update()
        .filter(scope, classified_as_people(), has_people=False)
        .values_list("pk", "origin_node")
    )
    if not changed:
        return []
    ids = [pk for pk, _origin in changed]
    values = {"has_people": True, "updated_at": timezone.now()}
    if user is not None:
        values["updated_by"] = user
    Media.objects.filter(pk__in=ids).update(**values)
    # A partner holding one of these photos gets its tombstone (received photos are
    # never passed on, so they need no entry).
    record_changes(MEDIA, [pk for pk, origin in changed if origin == settings.NODE_CODE])
    return ids


def media_flag_people(*, access: Access, user, media: Media, has_people: bool) -> Media:
    """Mark a photo as showing people, or not. Unflagging clears an earlier release, and is
    refused while a classification of the photo (or its sequence) says it shows people."""
    if not access.can_flag_people(media):
        raise NotAllowed(_("You may not change this photo."), "forbidden")
    with transaction.atomic():
        media = (
            Media.objects.select_for_update()
            .select_related("deployment__event__protected_area")
            .get(pk=media.pk)
        )
        if not has_people and Media.objects.filter(classified_as_people(), pk=media.pk).exists():
            raise DomainError(
                _(
                    "This photo is classified as showing people or a vehicle: it stays "
                    "marked until a coordinator releases it."
                ),
                "classified_people",
            )
        media.has_people = has_people
        if not has_people:
            media.released_by, media.released_at = None, None
        media.updated_by = user
        media.save(
            update_fields=["has_people", "released_by", "released_at", "updated_by", "updated_at"]
        )
        record_changed(media)  # a partner holding it gets a tombstone
    return media


def media_release(*, access: Access, user, media: Media) -> Media:
    """A coordinator lets a photo showing people leave its protected area."""
    if not access.can_release_media(media):
        raise NotAllowed(
            _("Only a coordinator of the country may release this photo."), "forbidden"
        )
    if not media.has_people:
        raise DomainError(_("This photo is not marked as showing people."), "not_flagged")
    with transaction.atomic():
        media = (
            Media.objects.select_for_update()
            .select_related("deployment__event__protected_area")
            .get(pk=media.pk)
        )
        media.released_by, media.released_at = user, timezone.now()
        media.updated_by = user
        media.save(update_fields=["released_by", "released_at", "updated_by", "updated_at"])
        record_changed(media)
    return media
