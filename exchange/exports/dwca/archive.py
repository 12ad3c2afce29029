"""The archives put together: an export's (event core, occurrence extension) and a shared
dataset version's (occurrence core), each deflated into one zip with its metadata.

The occurrences go first, and their ``coreid``s are collected on the way: the survey events
they point at are then written (by id), and the records without a survey event are grouped
into one "incidental" event per PA and UTC day (``incidental:<PA code>:<date>``), so that
every occurrence points at a core row and no second pass over the records is needed.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass

from django.db import connection

from observations.disclosure import Audience
from observations.models import ProtectedArea, SurveyEvent

from .meta import meta_xml, occurrence_meta_xml
from .rows import Copier, copy_statement, header, python_lines
from .terms import event_columns, incidental_line, occurrence_columns

EVENT_CHUNK = 5000  # survey events written per statement


@dataclass
class Sources:
    """What goes into the archive: the occurrences and the events they point at."""

    occurrences: object  # QuerySet[Observation], already filtered for the user
    audience: Audience  # who the archive is for (observations.disclosure)
    licence: str


def _split_keys(keys) -> tuple[list[str], list[tuple[str, dt.date]]]:
    """The collected coreids: survey event ids, and (PA code, day) of incidental events."""
    events, days = [], []
    for key in keys:
        key = key.decode() if isinstance(key, bytes) else key
        if key.startswith("incidental:"):
            _prefix, code, day = key.split(":", 2)  # PA codes hold no colon
            days.append((code, dt.date.fromisoformat(day)))
        else:
            events.append(key)
    return sorted(events), sorted(days)


def _incidental_lines(event_cols, days, licence: str):
    pas = {pa.code: pa for pa in ProtectedArea.objects.filter(code__in={c for c, _d in days})}
    for code, day in days:
        pa = pas.get(code)
        yield incidental_line(
            event_cols,
            code=code,
            country=pa.country if pa else "",
            locality=pa.name_en if pa else code,
            day=day,
            licence=licence,
        )


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_archive(path, sources: Sources, progress, *, eml: str) -> int:
    """The whole archive into ``path``; returns the number of occurrences."""
    occurrence_cols = occurrence_columns(sources.audience)
    event_cols = event_columns(sources.audience, licence=sources.licence)
    keys: set = set()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if connection.vendor == "postgresql":
            with Copier() as copier:
                with archive.open("occurrence.txt", "w", force_zip64=True) as out:
                    out.write(header(occurrence_cols))
                    statement = copy_statement(sources.occurrences, occurrence_cols)
                    written = copier.stream(statement, out, progress, keys=keys)
                event_ids, days = _split_keys(keys)
                with archive.open("event.txt", "w", force_zip64=True) as out:
                    out.write(header(event_cols))
                    for chunk in _chunks(event_ids, EVENT_CHUNK):
                        events = SurveyEvent.objects.filter(pk__in=chunk).order_by()
                        copier.stream(copy_statement(events, event_cols), out)
                    for line in _incidental_lines(event_cols, days, sources.licence):
                        out.write(line)
        else:
            written = 0
            with archive.open("occurrence.txt", "w", force_zip64=True) as out:
                out.write(header(occurrence_cols))
                for key, line in python_lines(sources.occurrences, occurrence_cols):
                    out.write(line)
                    keys.add(key)
                    written += 1
                    progress.advance()
            event_ids, days = _split_keys(keys)
            with archive.open("event.txt", "w", force_zip64=True) as out:
                out.write(header(event_cols))
                for chunk in _chunks(event_ids, EVENT_CHUNK):
                    events = SurveyEvent.objects.filter(pk__in=chunk).order_by()
                    for _key, line in python_lines(events, event_cols):
                        out.write(line)
                for line in _incidental_lines(event_cols, days, sources.licence):
                    out.write(line)
        archive.writestr("meta.xml", meta_xml(event_cols, occurrence_cols))
        archive.writestr("eml.xml", eml)
    return written


def write_occurrence_archive(path, occurrences, columns, progress, *, eml: str) -> int:
    """An archive of one core file, ``occurrence.txt``, from a queryset whose rows are
    written as they are (already generalised: a dataset version's frozen rows). Same
    writers as ``write_archive``: COPY on PostgreSQL, a chunked cursor elsewhere."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("occurrence.txt", "w", force_zip64=True) as out:
            out.write(header(columns))
            if connection.vendor == "postgresql":
                with Copier() as copier:
                    written = copier.stream(copy_statement(occurrences, columns), out, progress)
            else:
                written = 0
                for _key, line in python_lines(occurrences, columns):
                    out.write(line)
                    written += 1
                    progress.advance()
        archive.writestr("meta.xml", occurrence_meta_xml(columns))
        archive.writestr("eml.xml", eml)
    return written
