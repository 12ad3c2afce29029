"""Reading a dataset: its versions, a version's rows with filters, summary tables, map
points, and the flags and comments made through it.

Filters (query parameters of the pages and the API; every one optional):

- ``species``: a scientific name; ``protected_area``: a PA code; ``country``: RU, CN, MN;
- ``status``: a record status; ``evidence``: an evidence code; ``origin``: the origin node;
- ``observed_from`` (inclusive) / ``observed_to`` (inclusive): ISO dates;
- ``flags``: ``open`` (rows with an open flag), ``closed`` (flagged, all flags closed),
  ``any`` (flagged at all), ``none`` (never flagged) through this dataset.

A bad value is a DomainError (400) with a translated message, never an empty answer.
Counting and grouping happen in the database; lists are bounded by their pages.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.disclosure.policy import remark_text
from observations.errors import DomainError, NotFound
from observations.models import Country, Evidence, Observation, RecordStatus, Remark

from ..models import Dataset, DatasetComment, DatasetRow, DatasetVersion
from .permissions import visible_datasets

ROW_FILTERS = (
    "species",
    "protected_area",
    "country",
    "status",
    "evidence",
    "origin",
    "observed_from",
    "observed_to",
    "flags",
)
FLAG_STATES = ("open", "closed", "any", "none")
MAP_POINTS = 5000  # distinct generalised places drawn on a version's map, at most


# --- finding things ----------------------------------------------------------------------


def visible_dataset(access: Access, pk) -> Dataset | None:
    """The dataset if this user may read it, else None (answered 404: its existence does
    not leak)."""
    return visible_datasets(access).filter(pk=pk).first()


def version_of(dataset: Dataset, number, *, published: bool = True) -> DatasetVersion:
    """A version of the dataset by its number (or its id): 404 ``unknown_version``."""
    version = None
    text = str(number).strip()
    if text.isdigit():
        version = dataset.versions.filter(number=int(text)).first()
    else:
        try:
            key = uuid.UUID(text)
        except ValueError:
            key = None
        if key is not None:
            version = dataset.versions.filter(pk=key).first()
    if version is None:
        raise NotFound(
            _("The dataset has no version %(number)s.") % {"number": text[:40] or "—"},
            "unknown_version",
        )
    version.dataset = dataset
    if published and not version.is_published:
        raise NotFound(
            _("Version %(number)s is not published (yet).") % {"number": version.number},
            "version_not_published",
        )
    return version


def versions_of(dataset: Dataset) -> list[DatasetVersion]:
    return list(dataset.versions.order_by("-number"))


# --- filters -------------------------------------------------------------------------------


def _date(value: str, name: str) -> dt.date:
    day = parse_date(value.strip()) if value else None
    if day is None:
        raise DomainError(
            _("%(name)s: give an ISO date such as 2025-05-01.") % {"name": name},
            "bad_date",
            field=name,
        )
    return day


def clean_row_filters(params, version: DatasetVersion) -> dict:
    """The known filters among ``params`` (a QueryDict or dict), checked; others ignored."""
    raw = {name: str(params.get(name) or "").strip() for name in ROW_FILTERS}
    cleaned: dict = {}
    if raw["species"]:
        name = (
            version.rows.filter(scientific_name__iexact=raw["species"])
            .values_list("scientific_name", flat=True)
            .first()
        )
        if name is None:
            raise DomainError(
                _("No record of the species %(value)s in this version.")
                % {"value": raw["species"][:200]},
                "unknown_species",
                field="species",
            )
        cleaned["species"] = name
    if raw["protected_area"]:
        code = raw["protected_area"].upper()
        if not version.rows.filter(protected_area_code=code).exists():
            raise DomainError(
                _("No record of the protected area %(value)s in this version.")
                % {"value": code[:40]},
                "unknown_protected_area",
                field="protected_area",
            )
        cleaned["protected_area"] = code
    for name, choices, code in (
        ("country", Country.values, "unknown_country"),
        ("origin", Country.values, "unknown_country"),
        ("status", RecordStatus.values, "bad_status"),
        ("evidence", Evidence.values, "bad_evidence"),
    ):
        value = raw[name].upper() if name in ("country", "origin") else raw[name].lower()
        if not value:
            continue
        if value not in choices:
            raise DomainError(
                _("%(name)s: unknown value %(value)s. Known: %(known)s.")
                % {"name": name, "value": value[:40], "known": ", ".join(choices)},
                code,
                field=name,
            )
        cleaned[name] = value
    for name in ("observed_from", "observed_to"):
        if raw[name]:
            cleaned[name] = _date(raw[name], name)
    if (
        cleaned.get("observed_from")
        and cleaned.get("observed_to")
        and cleaned["observed_from"] > cleaned["observed_to"]
    ):
        raise DomainError(
            _("observed_from must not come after observed_to."),
            "bad_date_range",
            field="observed_from",
        )
    if raw["flags"]:
        if raw["flags"] not in FLAG_STATES:
            raise DomainError(
                _("flags: unknown value %(value)s. Known: %(known)s.")
                % {"value": raw["flags"][:40], "known": ", ".join(FLAG_STATES)},
                "bad_flags",
                field="flags",
            )
        cleaned["flags"] = raw["flags"]
    return cleaned


def _flags(dataset: Dataset) -> QuerySet[Remark]:
    return Remark.objects.filter(dataset_uuid=dataset.pk, kind=Remark.Kind.FLAG)


def _open_flags(dataset: Dataset) -> QuerySet[Remark]:
    closing = Remark.objects.filter(parent=OuterRef("pk"), kind=Remark.Kind.ANSWER, closes=True)
    return _flags(dataset).filter(~Exists(closing))


def rows_of(version: DatasetVersion, filters: dict | None = None) -> QuerySet[DatasetRow]:
    """The version's rows matching the (cleaned) filters, in a stable order."""
    filters = filters or {}
    rows = DatasetRow.objects.filter(version=version)
    simple = {
        "species": "scientific_name",
        "protected_area": "protected_area_code",
        "country": "country",
        "status": "status",
        "evidence": "evidence",
        "origin": "origin_node",
    }
    for name, column in simple.items():
        if filters.get(name):
            rows = rows.filter(**{column: filters[name]})
    if filters.get("observed_from"):
        start = dt.datetime.combine(filters["observed_from"], dt.time(0), tzinfo=dt.UTC)
        rows = rows.filter(observed_at__gte=start)
    if filters.get("observed_to"):
        end = dt.datetime.combine(filters["observed_to"], dt.time(0), tzinfo=dt.UTC)
        rows = rows.filter(observed_at__lt=end + dt.timedelta(days=1))
    state = filters.get("flags")
    if state:
        dataset = version.dataset
        flagged = Q(Exists(_flags(dataset).filter(subject_id=OuterRef("record_id"))))
        still_open = Q(Exists(_open_flags(dataset).filter(subject_id=OuterRef("record_id"))))
        rows = rows.filter(
            {
                "open": still_open,
                "closed": flagged & ~still_open,
                "any": flagged,
                "none": ~flagged,
            }[state]
        )
    return rows.order_by("observed_at", "record_id")


def rows_for_display(rows: QuerySet[DatasetRow]) -> QuerySet[DatasetRow]:
    return rows.select_related("species", "protected_area")


def flag_states(dataset: Dataset, record_ids) -> dict:
    """{record_id: "open" | "closed"} for these rows (one query)."""
    states: dict = {}
    flags = (
        _flags(dataset)
        .filter(subject_id__in=list(record_ids))
        .annotate(
            closed=Exists(
                Remark.objects.filter(parent=OuterRef("pk"), kind=Remark.Kind.ANSWER, closes=True)
            )
        )
        .values_list("subject_id", "closed")
    )
    for subject, closed in flags:
        if not closed:
            states[subject] = "open"
        else:
            states.setdefault(subject, "closed")
    return states


# --- summaries and the map ---------------------------------------------------------------


def summary(rows: QuerySet[DatasetRow]) -> dict:
    """Records and individuals per species, per PA (with its country) and per status."""
    plain = rows.order_by()
    per_species = list(
        plain.values("species_id", "scientific_name")
        .annotate(records=Count("id"), individuals=Sum("count"))
        .order_by("-records", "scientific_name")
    )
    per_pa = list(
        plain.values("protected_area_id", "protected_area_code", "country")
        .annotate(records=Count("id"), individuals=Sum("count"))
        .order_by("country", "protected_area_code")
    )
    per_status = list(
        plain.values("status").annotate(records=Count("id")).order_by("-records", "status")
    )
    per_country = list(
        plain.values("country")
        .annotate(records=Count("id"), individuals=Sum("count"))
        .order_by("country")
    )
    return {
        "total": sum(r["records"] for r in per_species),
        "individuals": sum(r["individuals"] or 0 for r in per_species),
        "per_species": per_species,
        "per_protected_area": per_pa,
        "per_status": per_status,
        "per_country": per_country,
    }


def map_points(rows: QuerySet[DatasetRow], limit: int = MAP_POINTS) -> list[dict]:
    """The generalised places of the rows, grouped (many records share a cell's centre)."""
    return list(
        rows.order_by()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values("latitude", "longitude", "location_precision")
        .annotate(records=Count("id"), individuals=Sum("count"))
        .order_by("-records", "latitude", "longitude")[:limit]
    )


# --- flags and comments ------------------------------------------------------------------


def _disclosed(remarks: list[Remark], audience) -> list[Remark]:
    """Remarks (and their answers) with ``text`` as the disclosure policy shows it to the
    reader beside the record it is about: a manager's answer may give the exact place.
    These instances are for display and never saved."""
    if audience is None:
        return remarks
    for remark in remarks:
        for item in (remark, *remark.answer_list):  # an answer is about the same record
            item.text = remark_text(audience, item.text, remark.observation).value
    return remarks


def dataset_flags(dataset: Dataset, state: str = "", audience=None) -> list[Remark]:
    """The flags made through the dataset (newest first), each with ``is_open`` and its
    answers (two queries)."""
    if state and state not in ("open", "closed"):
        raise DomainError(
            _("state: unknown value %(value)s. Known: open, closed.") % {"value": state[:40]},
            "bad_state",
            field="state",
        )
    flags = _flags(dataset)
    if state == "open":
        flags = _open_flags(dataset)
    elif state == "closed":
        flags = flags.exclude(pk__in=_open_flags(dataset).values("pk"))
    flags = list(flags.order_by("-created_at").prefetch_related(*_WITH_RECORDS))
    for flag in flags:
        flag.answer_list = sorted(flag.answers.all(), key=lambda a: a.created_at)
        flag.is_open = not any(a.closes for a in flag.answer_list)
    return _disclosed(flags, audience)


_WITH_RECORDS = (
    "answers",
    Prefetch(
        "observation",
        queryset=Observation.objects.select_related("species", "protected_area"),
    ),
)


def flag_counts(dataset: Dataset) -> dict:
    total = _flags(dataset).count()
    still_open = _open_flags(dataset).count()
    return {"open": still_open, "closed": total - still_open, "total": total}


def row_remarks(dataset: Dataset, record_id, audience=None) -> list[Remark]:
    """Comments and flags on one record made through this dataset, with their answers."""
    remarks = list(
        Remark.objects.filter(subject_id=record_id, dataset_uuid=dataset.pk)
        .exclude(kind=Remark.Kind.ANSWER)
        .prefetch_related(*_WITH_RECORDS)
        .order_by("created_at")
    )
    for remark in remarks:
        remark.answer_list = sorted(remark.answers.all(), key=lambda a: a.created_at)
        remark.is_open = remark.kind == Remark.Kind.FLAG and not any(
            a.closes for a in remark.answer_list
        )
    return _disclosed(remarks, audience)


def dataset_comments(dataset: Dataset) -> QuerySet[DatasetComment]:
    return dataset.comments.select_related("version", "author").order_by("created_at")
