"""Camtrap DP import, the media table: photos "not on this node" (their ``filePath`` kept)
unless the zip carries the file, which is then checked and stored like an upload."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from ...models import Media
from .. import safety
from ..images import sha256_of
from .common import _record_id
from .reading import _value
from .run import ImportRun


def import_media(run: ImportRun, rows, deployments) -> dict:
    found = {}
    existing = {
        m.pk: m
        for m in Media.objects.filter(
            pk__in=[
                _record_id(run.package, "media", _value(r, "mediaID") or "")
                for r in rows
                if _value(r, "mediaID")
            ]
        )
    }
    for number, row in enumerate(rows, start=2):
        key, deployment_key = _value(row, "mediaID"), _value(row, "deploymentID")
        if key is None:
            run.rows.error("media", number, "mediaID", _("This field is required."))
            continue
        deployment = deployments.get(deployment_key)
        if deployment is None:
            if deployment_key not in run.failed_deployments:
                run.rows.error(
                    "media",
                    number,
                    "deploymentID",
                    _("Unknown deployment: %(value)s.") % {"value": deployment_key},
                )
            continue
        taken = run.rows.time("media", number, row, "timestamp")
        record_id = _record_id(run.package, "media", key)
        if record_id in existing:
            found[key] = existing[record_id]
            run.result.unchanged += 1
            continue
        media = Media(
            id=record_id,
            deployment=deployment,
            taken_at=taken,
            original_name=(_value(row, "fileName") or "")[:255],
            content_type=(_value(row, "fileMediatype") or "image/jpeg")[:40],
            capture_method=_value(row, "captureMethod") or Media.CaptureMethod.ACTIVITY,
            favourite=bool(run.rows.boolean("media", number, row, "favorite")),
            remote_path=(_value(row, "filePath") or "")[:500],
            external_id=key[:100],
            status=Media.Status.REMOTE,
            created_by=run.user,
            updated_by=run.user,
            origin_node=settings.NODE_CODE,
        )
        if media.capture_method not in Media.CaptureMethod.values:
            media.capture_method = Media.CaptureMethod.ACTIVITY
        _attach_file(run, media, number)
        media.save(force_insert=True)
        found[key] = media
        run.result.media += 1
    return found


def _attach_file(run: ImportRun, media: Media, number: int) -> None:
    """A photo carried in the zip is checked and stored like an upload."""
    data = run.archive.read(media.remote_path, safety.max_bytes())
    if data is None:
        return
    try:
        check = safety.check_image(data)
    except safety.UploadRefused as exc:
        run.rows.error("media", number, "filePath", exc.message)
        return
    digest = sha256_of(data)
    if Media.objects.filter(sha256=digest).exists():
        return  # the same photo is already here: keep this row as metadata only
    media.sha256, media.content_type = digest, check.content_type
    media.width, media.height, media.size_bytes = check.width, check.height, len(data)
    media.original_name = media.original_name or os.path.basename(media.remote_path)[:255]
    name = default_storage.save(media.file.field.generate_filename(media, ""), ContentFile(data))
    run.stored_files.append(name)
    media.file.name, media.remote_path = name, ""
    media.status = Media.Status.PENDING
    run.to_ingest.append(str(media.pk))
    run.result.media_files += 1
