"""Import of a 100,000-row CSV into PostgreSQL, validation included, against PostgreSQL's own
COPY of the same rows into the same table, measured in the same run.

Target: the import takes at most 2x the COPY (the baseline), both measured in this run.

Needs PostgreSQL (the database bench/__main__.py connects to, BENCH_DATABASE_URL). Works in
a scratch database made for the run next to it (``<name>_bench_import_<pid>``, migrated,
dropped at the end) and a temporary MEDIA_ROOT, so it never touches other data.

- baseline: psycopg ``COPY observations_observation FROM STDIN (FORMAT csv)`` of the rows
  already in the table's own form (ids, foreign keys, UTC times); psycopg's binary COPY of
  the same rows as typed values is printed too, for information;
- import: ``import_job_create`` on the CSV a ranger would upload (species by name in three
  languages, local times in ISO and Russian form, the PA chosen for the file), run inline
  as the Celery task would run it: storing the file, reading it, header mapping, cell
  conversion, ``clean_observation`` per row, deterministic ids, and the records service's
  bulk form (observations.records.bulk): binary COPY of the records and of their
  audit-history rows, their change-feed entries through observations.feed.record_changes.

Each is run ``ROUNDS`` times on an emptied table; medians are compared. The machine's load
average is printed: the import uses two cores (Python checks chunk k+1 while PostgreSQL
writes chunk k), so other work on the machine slows it more than the single-process COPY.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import statistics
import tempfile
import time
import uuid

from django.db import connection

ROWS = 100_000
ROUNDS = 3
TARGET = 2.0


def run() -> None:
    if connection.vendor != "postgresql":
        print("skipped: needs PostgreSQL (set DATABASE_URL=postgres://...)")
        return
    from django.test.utils import override_settings

    test = connection.settings_dict["TEST"]
    test["NAME"] = f"{connection.settings_dict['NAME']}_bench_import_{os.getpid()}"
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with (
            tempfile.TemporaryDirectory() as media,
            override_settings(
                MEDIA_ROOT=media, IMPORT_ASYNC_ROWS=10 * ROWS, IMPORT_MAX_BYTES=200 * 1024 * 1024
            ),
        ):
            _measure()
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


def _measure() -> None:
    from django.core.files.base import ContentFile

    from observations.imports.services import import_job_create
    from observations.models import ChangeEntry, Observation

    user, pa, species = _setup()
    upload_csv, copy_csv = _files(user, pa, species)
    typed_rows = _typed_rows(copy_csv)
    print(f"rows: {ROWS:,}; CSV to import: {len(upload_csv) / 1e6:.1f} MB")

    copies, binaries, imports = [], [], []
    load = os.getloadavg()[0]
    for _round in range(ROUNDS):
        _empty()
        started = time.perf_counter()
        _copy(copy_csv)
        copies.append(time.perf_counter() - started)
        assert Observation.objects.count() == ROWS
        _empty()
        started = time.perf_counter()
        _copy_binary(typed_rows)
        binaries.append(time.perf_counter() - started)
        assert Observation.objects.count() == ROWS
        _empty()
        started = time.perf_counter()
        job = import_job_create(
            user=user,
            upload=ContentFile(upload_csv, name="bench.csv"),
            protected_area=pa.code,
        )
        imports.append(time.perf_counter() - started)
        assert job.status == "done" and job.created == ROWS, (job.status, job.errors[:3])
        assert Observation.history.filter(history_change_reason="import").count() == ROWS
        assert ChangeEntry.objects.filter(kind="observation").count() == ROWS
    _empty()

    copy_s, binary_s, import_s = (statistics.median(v) for v in (copies, binaries, imports))
    ratio = import_s / copy_s
    print(f"load average (1 min) at start: {load:.2f}, at end: {os.getloadavg()[0]:.2f}")
    print(f"PostgreSQL COPY (CSV) of {ROWS:,} rows, per round: {_list(copies)}")
    print(f"  for information, COPY with typed rows (binary): {binary_s:.2f} s ({_list(binaries)})")
    print(f"baseline: PostgreSQL COPY (CSV) of {ROWS:,} rows: {copy_s:.2f} s")
    print(f"import of the same {ROWS:,} rows: {import_s:.2f} s ({_list(imports)})")
    print(f"  = {ROWS / import_s:,.0f} rows/s, validation, history and feed entries included")
    rounds = ", ".join(f"{i / c:.2f}" for i, c in zip(imports, copies, strict=True))
    print(f"  per round, import/COPY: {rounds}; import/binary COPY: {import_s / binary_s:.2f}x")
    verdict = "OK" if ratio <= TARGET else "TOO SLOW"
    print(f"ratio import/COPY (medians): {ratio:.2f}x (target: at most {TARGET:.1f}x) {verdict}")


def _list(values) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def _setup():
    from django.contrib.auth import get_user_model

    from observations.models import Membership, ProtectedArea, Role, Species
    from observations.seeds import load_seeds

    load_seeds()
    pa = ProtectedArea.objects.get(code="RU-KHANKAISKY")
    user = get_user_model().objects.create_user("bench_ranger")
    Membership.objects.create(user=user, role=Role.RANGER, protected_area=pa)
    species = list(Species.objects.filter(monitored=True).exclude(group="plant"))
    return user, pa, species


def _files(user, pa, species) -> tuple[bytes, str]:
    """The same rows twice: as a ranger's CSV, and in the table's own form for COPY."""
    from django.conf import settings

    from observations.imports.rows import ID_NAMESPACE
    from observations.models import Observation
    from observations.records.services import observer_code

    rnd = random.Random(20240531)
    zone = pa.tz
    start = dt.datetime(2023, 1, 1, 6, 0)
    upload = io.StringIO()
    ours = csv.writer(upload, lineterminator="\r\n")
    ours.writerow(
        [
            "id",
            "species",
            "observed_at",
            "latitude",
            "longitude",
            "count",
            "evidence",
            "sex",
            "notes",
        ]
    )
    table = io.StringIO()
    theirs = csv.writer(table)
    columns = [f.column for f in Observation._meta.concrete_fields]
    now = dt.datetime.now(dt.UTC).isoformat()
    code = observer_code(user)
    for i in range(ROWS):
        sp = species[i % len(species)]
        name = (sp.scientific_name, sp.name_ru, sp.name_zh, sp.name_en)[i % 4]
        local = start + dt.timedelta(minutes=7 * i)
        when = local.strftime("%d.%m.%Y %H:%M") if i % 2 else local.isoformat(sep=" ")
        lat = round(44.6 + rnd.random() * 0.7, 6)
        lon = round(132.0 + rnd.random() * 0.9, 6)
        count = 1 + i % 5
        evidence = sp.allowed_evidence[i % len(sp.allowed_evidence)]
        sex = ("unknown", "male", "female")[i % 3]
        notes = f"route {i % 40}, point {i}"
        field_id = f"KH-{i:06d}"
        ours.writerow([field_id, name, when, lat, lon, count, evidence, sex, notes])
        values = {
            "id": uuid.uuid5(ID_NAMESPACE, f"{pa.code}\x1f{field_id}"),
            "origin_node": settings.NODE_CODE,
            "created_at": now,
            "updated_at": now,
            "created_by_id": user.pk,
            "updated_by_id": user.pk,
            "protected_area_id": pa.pk,
            "species_id": sp.pk,
            "observed_at": local.replace(tzinfo=zone).astimezone(dt.UTC).isoformat(),
            "latitude": lat,
            "longitude": lon,
            "count": count,
            "unit": sp.counting_unit,
            "sex": sex,
            "age_class": "unknown",
            "evidence": evidence,
            "notes": notes,
            "status": "draft",
            "rejection_reason": "",
            "observer_code": code,
            "source": "import",
        }
        theirs.writerow([_cell(values.get(c)) for c in columns])
    return upload.getvalue().encode("utf-8"), table.getvalue()


def _cell(value) -> str:
    return r"\N" if value is None else str(value)


def _copy(text: str) -> None:
    from django.db import transaction

    from observations.models import Observation

    columns = ", ".join(f'"{f.column}"' for f in Observation._meta.concrete_fields)
    table = Observation._meta.db_table
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY \"{table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        ) as copy,
    ):
        copy.write(text)


def _typed_rows(text: str) -> list[list]:
    """The table-form CSV as typed Python values (prepared before the clock starts)."""
    from observations.models import Observation

    fields = Observation._meta.concrete_fields
    rows = []
    for line in csv.reader(io.StringIO(text)):
        cells = [None if v == r"\N" else v for v in line]
        rows.append([_typed(f, v) for f, v in zip(fields, cells, strict=True)])
    return rows


def _copy_binary(rows: list[list]) -> None:
    """The same rows through psycopg's binary COPY with typed rows."""
    from django.db import transaction

    from observations.models import Observation
    from observations.records.copy import copy_type

    fields = Observation._meta.concrete_fields
    columns = ", ".join(f'"{f.column}"' for f in fields)
    table = Observation._meta.db_table
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN (FORMAT BINARY)') as copy,
    ):
        copy.set_types([copy_type(f) for f in fields])
        for row in rows:
            copy.write_row(row)


def _typed(field, value):
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind in ("UUIDField",):
        return uuid.UUID(value)
    if kind in ("DateTimeField",):
        return dt.datetime.fromisoformat(value)
    if kind in ("FloatField",):
        return float(value)
    if kind in ("IntegerField", "PositiveIntegerField", "BigAutoField", "AutoField") or (
        field.is_relation
    ):
        return int(value)
    return value


def _empty() -> None:
    from observations.models import ChangeEntry, ImportJob, Observation

    with connection.cursor() as cursor:
        cursor.execute(
            f'TRUNCATE "{Observation._meta.db_table}", '
            f'"{Observation.history.model._meta.db_table}", "{ImportJob._meta.db_table}", '
            f'"{ChangeEntry._meta.db_table}" CASCADE'
        )
        cursor.execute("VACUUM ANALYZE")
