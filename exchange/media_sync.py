"""Photos between nodes: they travel by their SHA-256, described in the feed and fetched
separately, once, by the node that received the description.

Sending (``partner_photo``): a partner may fetch a photo only while the feed has sent it
to that partner and the agreement still lets it go, and only the variants its media level
allows; the bytes come from ``exchange.media.partner_media_bytes``' rules (thumbnails and
previews carry no metadata, a full image leaves without GPS and maker notes, a photo
showing people never leaves unless a coordinator released it).

Receiving (``fetch_missing``): a received photo is stored as "file not on this node"
until its variants are here; a variant already stored is never fetched again, and a
photo whose description changes (another media level) drops what it may no longer hold.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observations.camera import safety
from observations.camera.ingest import derived_name, store_file
from observations.camera.outgoing import outgoing_bytes
from observations.errors import DomainError, NotFound
from observations.feed import MEDIA
from observations.models import Media

from .client import PartnerRefused, PartnerUnreachable, get_signed_bytes
from .feed import MEDIA_VARIANTS, Terms
from .models import Agreement, Node, SentRecord
from .signing import SignatureError

log = logging.getLogger(__name__)
SHA256 = re.compile(r"^[0-9a-f]{64}$")
FIELD_OF_VARIANT = {"thumbnail": "thumbnail", "preview": "preview", "original": "file"}
PHOTO_TYPES = {"image/jpeg", "image/png", "image/tiff"}


def _not_shared() -> NotFound:
    return NotFound(_("No such photo is shared with your node."), "not_found")


def partner_photo(partner: Node, sha256: str, variant: str) -> tuple[bytes, str]:
    """The bytes of one variant of a photo for ``partner``, and their media type."""
    media = (
        Media.objects.select_related("deployment__event", "sequence")
        .prefetch_related("sequence__classifications__observation")
        .filter(sha256=sha256, origin_node=settings.NODE_CODE)
        .first()
    )
    agreement = Agreement.objects.select_related("partner").filter(partner=partner).first()
    if media is None or agreement is None or variant not in FIELD_OF_VARIANT:
        raise _not_shared()
    held = SentRecord.objects.filter(
        partner=partner, kind=MEDIA, record_id=media.pk, withdrawn=False
    ).exists()
    terms = Terms(agreement)
    allowed = MEDIA_VARIANTS.get(agreement.media_level, ())
    if not held or variant not in allowed or not terms.media_evidence(media, timezone.now()):
        raise _not_shared()
    if variant == "original":
        return outgoing_bytes(media, for_partner=True), media.content_type
    stored = getattr(media, FIELD_OF_VARIANT[variant])
    if not stored:
        raise _not_shared()
    with stored.open("rb") as fh:
        return fh.read(), "image/jpeg"


# --- receiving --------------------------------------------------------------------------


def _stored_name(media: Media, variant: str) -> str:
    """Where a received variant is kept: the names the ingest gives a photo's own copies."""
    if variant == "original":
        return media.file.field.upload_to(media, "")
    return derived_name({"thumbnail": "thumbnails", "preview": "previews"}[variant], media)


def drop_files(media: Media, variants=("thumbnail", "preview", "original")) -> None:
    """Delete a received photo's stored variants, once the transaction has committed."""
    names = [getattr(media, FIELD_OF_VARIANT[v]).name for v in variants]
    names = [n for n in names if n]

    def delete():
        for name in names:
            if default_storage.exists(name):
                default_storage.delete(name)

    transaction.on_commit(delete)


def fetch_missing(partner: Node, *, limit: int = 500) -> dict:
    """Fetch the variants of received photos that are not here yet. A failed link stops
    the run (the next sync tries again); a photo the partner no longer shares is marked
    failed (its tombstone follows in the feed)."""
    done = {"fetched": 0, "refused": 0}
    todo = Media.objects.filter(origin_node=partner.code, status=Media.Status.REMOTE).order_by(
        "created_at", "pk"
    )[:limit]
    for media in todo:
        try:
            complete = _fetch_one(partner, media)
        except (PartnerRefused, SignatureError, ValueError) as exc:
            log.warning("photo %s from %s refused: %s", media.sha256, partner.code, exc)
            Media.objects.filter(pk=media.pk, status=Media.Status.REMOTE).update(
                status=Media.Status.FAILED, error=str(exc)[:500]
            )
            done["refused"] += 1
            continue
        except PartnerUnreachable:
            log.warning("photo fetch from %s stopped: partner unreachable", partner.code)
            break
        done["fetched"] += int(complete)
    return done


def _fetch_one(partner: Node, media: Media) -> bool:
    wanted = MEDIA_VARIANTS.get(media.shared_level, ())
    stored = {}
    for variant in wanted:
        field = FIELD_OF_VARIANT[variant]
        if getattr(media, field):
            continue  # fetched once: never again
        data, content_type = get_signed_bytes(
            partner, f"/api/v1/exchange/media/{media.sha256}/{variant}/"
        )
        # The same checks as an upload: a whole photo of the type described, no bomb.
        expected = media.content_type if variant == "original" else "image/jpeg"
        try:
            found = safety.check_image(data).content_type
        except DomainError as exc:
            raise ValueError(f"{variant}: {exc}") from exc
        if found != expected or expected not in PHOTO_TYPES:
            raise ValueError(f"{variant} is not a {expected} photo")
        stored[field] = store_file(_stored_name(media, variant), data)
    updated = Media.objects.filter(pk=media.pk, status=Media.Status.REMOTE).update(
        **stored, status=Media.Status.READY, error="", updated_at=timezone.now()
    )
    return bool(updated)
