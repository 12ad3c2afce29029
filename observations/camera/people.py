"""Photos showing people: they stay inside their protected area (its members and the
country's coordinator see them) until a coordinator releases them. Exports, downloads by
others and the sync leave them out (exchange.media.may_leave)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.feed import record_changed

from ..access import Access
from ..errors import DomainError, NotAllowed
from ..models import Media


def media_flag_people(*, access: Access, user, media: Media, has_people: bool) -> Media:
    """Mark a photo as showing people, or not. Unflagging clears an earlier release."""
    if not access.can_flag_people(media):
        raise NotAllowed(_("You may not change this photo."), "forbidden")
    with transaction.atomic():
        media = (
            Media.objects.select_for_update()
            .select_related("deployment__event__protected_area")
            .get(pk=media.pk)
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
