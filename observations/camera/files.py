"""Which bytes of a photo a user gets: the one decision behind every download.

- thumbnail and preview: made by the ingest without any metadata, for whoever may see the
  photo (access.can_view_media: a photo showing people stays inside its PA until a
  coordinator releases it);
- the original: as received, EXIF GPS and all, for those who oversee the PA; everyone else
  gets the copy that observations.camera.outgoing.outgoing_bytes makes (no GPS, no maker notes).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import NotFound
from ..models import Media
from .outgoing import outgoing_bytes

KINDS = ("original", "preview", "thumbnail")


@dataclass
class Download:
    data: bytes
    content_type: str
    filename: str
    stripped: bool


def _missing() -> NotFound:
    return NotFound(_("This file is not on this node."), "no_file")


def media_download(*, access: Access, media: Media, kind: str) -> Download:
    if not access.can_view_media(media):
        raise NotFound(_("No such photo."), "not_found")
    stem = os.path.splitext(media.original_name or str(media.pk))[0] or str(media.pk)
    if kind in ("preview", "thumbnail"):
        stored = getattr(media, kind)
        if not stored:
            raise _missing()
        with stored.open("rb") as fh:
            return Download(fh.read(), "image/jpeg", f"{stem}-{kind}.jpg", True)
    if not media.file:
        raise _missing()
    name = media.original_name or f"{media.pk}"
    if access.gets_original_media(media):
        with media.file.open("rb") as fh:
            return Download(fh.read(), media.content_type, name, False)
    return Download(outgoing_bytes(media, for_partner=False), media.content_type, name, True)
