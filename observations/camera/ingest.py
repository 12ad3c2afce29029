"""Photos in: the upload (``media_upload``) and the ingest task's work (``media_ingest``).

The upload keeps the original as received, named by its SHA-256 under MEDIA_ROOT
(``camera/originals/ab/abcdef....jpg``) through Django's default storage. The same bytes
uploaded again are a no-op that answers with the stored photo. Before anything is stored,
``safety.check_image`` must accept the file; a refused file leaves no row and no file.

The ingest (a Celery task per photo, ``observations.ingest_media``) checks the stored file
against its SHA-256, reads the EXIF (time, camera, GPS), makes the preview and thumbnail
from one reduced-size decode (images.py), and places the photo in its sequence
(sequences.py; a photo from a Camtrap DP package keeps the event the package gave it),
withheld like the rest if that sequence is classified as showing people (people.py). It
is idempotent: a photo already ready is left alone; one whose task died half-way is
simply done again.

EXIF times are the camera's local time without a zone: they are read in the PA's zone
(as a ranger's typed times are), unless the camera wrote its offset.
"""

from __future__ import annotations

import logging
import os
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import Conflict, NotAllowed
from ..models import Deployment, Media
from ..validation import to_utc
from . import safety
from .images import process_image, sha256_of
from .people import mark_people_classified
from .sequences import choose_sequence, extend_sequence, refresh_sequence

log = logging.getLogger(__name__)


def _read_upload(upload) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > safety.max_bytes():
        raise safety.too_large()
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(safety.max_bytes() + 1)
    if len(data) > safety.max_bytes():
        raise safety.too_large()
    return data


def _duplicate(existing: Media, access: Access) -> tuple[Media, bool]:
    """The photo is stored already. If it still waits for its ingest (the first upload's
    answer was lost, or its process died before the task was queued), the repeated upload
    queues it again: the task is idempotent, and a ranger's retry must not leave a photo
    pending for ever."""
    if not access.can_view_media(existing):
        raise Conflict(
            _("This photo is already stored with a deployment you cannot see."), "duplicate"
        )
    if existing.status == Media.Status.PENDING:
        media_id = str(existing.pk)
        transaction.on_commit(lambda: _enqueue_ingest(media_id))
    return existing, False


def media_upload(
    *,
    access: Access,
    user,
    deployment: Deployment,
    upload,
    has_people: bool = False,
    record_id: uuid.UUID | str | None = None,
) -> tuple[Media, bool]:
    """Store one uploaded photo of a deployment. Returns (media, created).

    Refuses (UploadRefused, nothing stored) what is not a whole, sane JPEG/PNG/TIFF. The
    ingest task is enqueued when the transaction commits.
    """
    if not access.can_work_on_deployment(deployment):
        raise NotAllowed(_("You may not add photos to this deployment."), "forbidden")
    data = _read_upload(upload)
    digest = sha256_of(data)
    existing = Media.objects.select_related("deployment__event__protected_area").filter(
        sha256=digest
    )
    if record_id:
        by_id = Media.objects.filter(pk=record_id).exclude(sha256=digest).exists()
        if by_id:
            raise Conflict(_("A different photo already has this id."), "id_conflict")
    found = existing.first()
    if found is not None:
        return _duplicate(found, access)

    check = safety.check_image(data)
    media = Media(
        id=uuid.UUID(str(record_id)) if record_id else uuid.uuid4(),
        deployment=deployment,
        sha256=digest,
        content_type=check.content_type,
        size_bytes=len(data),
        width=check.width,
        height=check.height,
        original_name=os.path.basename(getattr(upload, "name", "") or "")[:255],
        has_people=bool(has_people),
        created_by=user,
        updated_by=user,
        origin_node=settings.NODE_CODE,
    )
    name = default_storage.save(media.file.field.generate_filename(media, ""), ContentFile(data))
    media.file.name = name
    try:
        with transaction.atomic():
            media.save(force_insert=True)
    except IntegrityError:
        # The same photo uploaded twice at once: the other upload won.
        default_storage.delete(name)
        found = existing.first()
        if found is None:
            raise
        return _duplicate(found, access)
    except BaseException:
        default_storage.delete(name)
        raise
    media_id = str(media.pk)
    transaction.on_commit(lambda: _enqueue_ingest(media_id))
    return media, True


def _enqueue_ingest(media_id: str) -> None:
    from .tasks import ingest_media

    ingest_media.delay(media_id)


def derived_name(kind: str, media: Media) -> str:
    return f"camera/{kind}/{media.sha256[:2]}/{media.sha256}.jpg"


def store_file(name: str, data: bytes) -> str:
    """Write a derived file under a fixed name (a second run replaces the first)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def media_ingest(*, media_id) -> Media:
    """Read a stored photo's EXIF, make its copies and place it in a sequence."""
    media = Media.objects.select_related("deployment__event__protected_area").get(pk=media_id)
    if media.status in (Media.Status.READY, Media.Status.REMOTE) or not media.file:
        return media
    pa = media.deployment.event.protected_area
    try:
        with media.file.open("rb") as fh:
            data = fh.read()
        done = process_image(
            data,
            preview_px=settings.CAMERA_PREVIEW_PX,
            thumbnail_px=settings.CAMERA_THUMBNAIL_PX,
            fmt=safety.sniff(data),
        )
        if done.sha256 != media.sha256:
            raise ValueError("the stored file does not match its SHA-256")
    except (OSError, ValueError, SyntaxError) as exc:
        # Passed the upload's checks yet cannot be decoded: keep the row to say so.
        log.warning("photo %s cannot be decoded: %s", media.pk, exc)
        Media.objects.filter(pk=media.pk).update(
            status=Media.Status.FAILED,
            error=str(_("The photo cannot be read: its file is damaged.")),
        )
        media.refresh_from_db()
        return media

    thumbnail = store_file(derived_name("thumbnails", media), done.thumbnail)
    preview = store_file(derived_name("previews", media), done.preview)
    facts = done.exif
    media.thumbnail.name, media.preview.name = thumbnail, preview
    media.width, media.height = done.width, done.height
    media.taken_at = to_utc(facts.taken_at, pa) if facts.taken_at else None
    media.camera_make, media.camera_model = facts.make, facts.model
    media.camera_serial = facts.serial
    media.exif_latitude, media.exif_longitude = facts.latitude, facts.longitude
    media.status, media.error = Media.Status.READY, ""
    with transaction.atomic():
        # One photo of a deployment at a time is placed: the lock orders them.
        list(Deployment.objects.select_for_update().filter(pk=media.deployment_id).values("pk"))
        placed = media.sequence if media.sequence_id else None
        if placed is not None:
            # A photo carried in a Camtrap DP package keeps the event the package put it
            # in (the import counted it there): its classifications are that event's.
            sequence, merged = placed, True
        else:
            sequence, merged = choose_sequence(media)
        media.sequence = sequence
        fields = [*_INGESTED, "sequence", "status", "error"]
        values = {name: getattr(media, name) for name in fields}
        updated = (
            Media.objects.filter(pk=media.pk)
            .exclude(status=Media.Status.READY)
            .update(**values, updated_at=timezone.now())
        )
        if updated:
            if merged:
                refresh_sequence(sequence)
            else:
                extend_sequence(sequence, media.taken_at)
            # Joining a sequence already classified as people (or vehicles) withholds
            # the photo like the rest of its burst: the one rule, in people.py.
            mark_people_classified(sequences=[sequence.pk])
        else:  # another run of this task finished first: keep its work, drop ours
            transaction.set_rollback(True)
    return media if updated else Media.objects.get(pk=media.pk)


_INGESTED = [
    "thumbnail",
    "preview",
    "width",
    "height",
    "taken_at",
    "camera_make",
    "camera_model",
    "camera_serial",
    "exif_latitude",
    "exif_longitude",
]
