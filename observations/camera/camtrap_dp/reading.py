"""Reading a Camtrap DP zip: its members (safely), its tables, typed cells, row errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import posixpath
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from ...errors import DomainError
from .common import MISSING


@dataclass
class RowError:
    table: str
    row: int
    field: str
    message: str

    def as_json(self) -> dict:
        return {"table": self.table, "row": self.row, "field": self.field, "message": self.message}


class PackageInvalid(DomainError):
    """A package that cannot be imported; ``errors`` lists each broken row."""

    def __init__(self, message, code="invalid_package", *, errors=None):
        super().__init__(message, code)
        self.errors: list[RowError] = list(errors or [])


MAX_PACKAGE_BYTES = 2 * 1024 * 1024 * 1024  # uncompressed, media included
MAX_TABLE_BYTES = 200 * 1024 * 1024


def _refuse(message, code="invalid_package"):
    return PackageInvalid(message, code)


class _Archive:
    """The zip's members, found relative to the folder of its datapackage.json."""

    def __init__(self, data: bytes):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise _refuse(_("This is not a zip file of a data package."), "not_a_zip") from exc
        total = sum(i.file_size for i in self.zip.infolist())
        if total > MAX_PACKAGE_BYTES:
            raise _refuse(_("The package is too large once unpacked."), "package_too_large")
        descriptors = [
            n
            for n in self.zip.namelist()
            if posixpath.basename(n) == "datapackage.json" and n.count("/") <= 1
        ]
        if not descriptors:
            raise _refuse(_("The zip holds no datapackage.json."), "no_descriptor")
        self.root = posixpath.dirname(sorted(descriptors, key=len)[0])

    def member(self, path: str) -> zipfile.ZipInfo | None:
        path = (path or "").replace("\\", "/")
        if not path or path.startswith("/") or ".." in path.split("/") or "://" in path:
            return None
        name = posixpath.join(self.root, path) if self.root else path
        try:
            return self.zip.getinfo(name)
        except KeyError:
            return None

    def read(self, path: str, limit: int) -> bytes | None:
        info = self.member(path)
        if info is None:
            return None
        if info.file_size > limit:
            raise _refuse(_("A file of the package is too large."), "package_too_large")
        return self.zip.read(info)


def _table(archive: _Archive, descriptor: dict, name: str) -> list[dict]:
    resource = next((r for r in descriptor.get("resources", []) if r.get("name") == name), None)
    if resource is None:
        raise _refuse(_("The package has no %(table)s table.") % {"table": name}, "no_table")
    path = resource.get("path")
    if isinstance(path, list):
        path = path[0] if path else None
    data = archive.read(path or "", MAX_TABLE_BYTES)
    if data is None:
        raise _refuse(
            _("The package's %(table)s table (%(path)s) is missing.")
            % {"table": name, "path": path},
            "no_table",
        )
    text = data.decode("utf-8-sig", errors="replace")
    return [
        {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _value(row: dict, name: str) -> str | None:
    value = row.get(name)
    if value is None or value in MISSING:
        return None
    return value


class _Rows:
    """Typed reading of cells, collecting errors by table, row and field."""

    def __init__(self):
        self.errors: list[RowError] = []

    def error(self, table, row, name, message):
        self.errors.append(RowError(table, row, name, str(message)))

    def time(self, table, row_no, row, name, *, required=True):
        value = _value(row, name)
        if value is None:
            if required:
                self.error(table, row_no, name, _("This field is required."))
            return None
        try:
            when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.error(table, row_no, name, _("Not a date and time: %(value)s.") % {"value": value})
            return None
        if when.tzinfo is None:
            self.error(
                table, row_no, name, _("The time has no UTC offset: %(value)s.") % {"value": value}
            )
            return None
        return when.astimezone(dt.UTC)

    def number(self, table, row_no, row, name, kind=Decimal):
        value = _value(row, name)
        if value is None:
            return None
        try:
            return kind(value) if kind is not int else int(Decimal(value))
        except (InvalidOperation, ValueError):
            self.error(table, row_no, name, _("Not a number: %(value)s.") % {"value": value})
            return None

    def boolean(self, table, row_no, row, name):
        value = _value(row, name)
        if value is None:
            return None
        if value.lower() in ("true", "1", "yes"):
            return True
        if value.lower() in ("false", "0", "no"):
            return False
        self.error(table, row_no, name, _("Not true or false: %(value)s.") % {"value": value})
        return None
