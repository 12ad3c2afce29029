"""Camtrap DP import: everything checked, then written in one transaction (see the package).

The package is read and its profile checked (reading), then each table is mapped and
written by its own step, in order: deployment_rows, media_rows, events (sequences),
observation_rows. Any row error undoes everything, files stored on the way included.
"""

from __future__ import annotations

import json

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ...access import Access
from ...errors import NotAllowed
from ...models import ProtectedArea
from ..images import sha256_of
from .common import TABLES
from .deployment_rows import import_deployments
from .events import import_events
from .media_rows import import_media
from .observation_rows import import_observations
from .reading import PackageInvalid, _Archive, _refuse, _table
from .run import ImportResult, ImportRun


def _package_key(descriptor: dict, data: bytes) -> str:
    return str(descriptor.get("id") or descriptor.get("name") or sha256_of(data))


def camtrap_dp_import(
    *, access: Access, user, upload, protected_area: ProtectedArea
) -> ImportResult:
    """Import a Camtrap DP package (zip) into one protected area (see the package)."""
    if not access.can_record_in(protected_area):
        raise NotAllowed(_("You may not file records for this protected area."), "forbidden")
    data = upload.read()
    archive = _Archive(data)
    raw = archive.read("datapackage.json", 10 * 1024 * 1024)
    try:
        descriptor = json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise _refuse(_("datapackage.json is not valid JSON."), "bad_descriptor") from exc
    profile = str(descriptor.get("profile", ""))
    if "camtrap-dp" not in profile and "camtrap" not in str(descriptor.get("$schema", "")):
        raise _refuse(
            _("This data package does not declare the Camtrap DP profile."), "not_camtrap_dp"
        )
    tables = {name: _table(archive, descriptor, name) for name in TABLES}
    run = ImportRun(
        access=access,
        user=user,
        pa=protected_area,
        package=_package_key(descriptor, data),
        archive=archive,
    )
    return _write(run, tables)


def _write(run: ImportRun, tables) -> ImportResult:
    try:
        with transaction.atomic():
            deployments = import_deployments(run, tables["deployments"])
            media = import_media(run, tables["media"], deployments)
            sequences = import_events(run, tables["observations"], deployments, media)
            import_observations(run, tables["observations"], deployments, media, sequences)
            if run.rows.errors:
                raise PackageInvalid(
                    _("The package has errors: nothing was imported."),
                    errors=run.rows.errors,
                )
    except BaseException:
        for name in run.stored_files:
            default_storage.delete(name)
        raise
    for media_id in run.to_ingest:
        transaction.on_commit(lambda media_id=media_id: _enqueue(media_id))
    return run.result


def _enqueue(media_id: str) -> None:
    from ..tasks import ingest_media

    ingest_media.delay(media_id)
