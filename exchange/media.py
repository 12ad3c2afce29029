"""What of a camera-trap photo a partner node may have: whether, and which variant.

The copy that leaves is observations.camera.outgoing's (metadata stripped, photos showing
people withheld until released). Here: whether a photo may be described to a partner at all
(``may_leave``), and what a partner receives under its agreement's media level (none,
thumbnails, full images: ``partner_media_bytes``); the thumbnail and preview that the ingest
makes carry no metadata at all.
"""

from __future__ import annotations

from observations.camera.outgoing import outgoing_bytes
from observations.disclosure import PartnerAudience
from observations.disclosure.policy import photo_shown


def may_leave(media) -> bool:
    """Whether a photo may be described to and fetched by a partner node: the disclosure
    policy's answer (people in it keep it inside its PA until a coordinator releases it)."""
    return photo_shown(PartnerAudience(), media)


def partner_media_bytes(media, *, media_level: str) -> bytes | None:
    """What a partner receives of one photo under its agreement: nothing, the thumbnail
    (no metadata at all) or the stripped full image; None where nothing may go."""
    if media_level == "none" or not may_leave(media):
        return None
    if media_level == "thumbnails":
        if not media.thumbnail:
            return None
        with media.thumbnail.open("rb") as fh:
            return fh.read()
    return outgoing_bytes(media, for_partner=True)
