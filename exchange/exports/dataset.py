"""A shared dataset's version as a source of the export machinery (issue 8).

An ExportJob with ``dataset_version`` set is built from that version's frozen rows
(exchange.models.DatasetRow), exactly as they were published: places already generalised
to the dataset's precision, nothing read from the live records. The same writers make the
files as for any export (CSV, XLSX, a Darwin Core Archive), and each carries the version's
citation and checksum where its format has room for them:

- XLSX: a second sheet, "Citation": title, version, date, citation, licence, row count,
  checksum, descriptions;
- Darwin Core Archive: an occurrence core (``occurrence.txt``, one row per record, with
  ``datasetID``/``datasetName``), and ``eml.xml`` with the citation (GBIF's
  ``additionalMetadata/gbif/citation``) and the checksum in ``additionalInfo``;
- CSV: the rows only (a CSV has no place for anything else): the file is named after the
  version and the start of its checksum, and the download page and the API give the
  citation and checksum beside it.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import NullIf
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import DatasetRow, DatasetVersion, ExportJob
from . import dwca, tabular
from .dwca import DWC, GENERALISATIONS, ID, WITHHELD, code, col
from .query import localized_name

DCTERMS = "http://purl.org/dc/terms/"


def rows(version: DatasetVersion) -> QuerySet[DatasetRow]:
    return DatasetRow.objects.filter(version=version).order_by("record_id")


def tabular_columns(language: str) -> list[tuple[str, object, object]]:
    """The columns of CSV and XLSX: the export's own keys and headers, from the rows."""
    return [
        ("id", _("Record id"), F("record_id")),
        ("origin_node", _("Origin node"), F("origin_node")),
        ("protected_area_code", _("Protected area code"), F("protected_area_code")),
        ("protected_area", _("Protected area"), localized_name("protected_area", language)),
        ("country", _("Country"), F("country")),
        ("scientific_name", _("Scientific name"), F("scientific_name")),
        ("species", _("Species"), localized_name("species", language)),
        ("observed_at", _("Observed at (UTC)"), F("observed_at")),
        ("latitude", _("Latitude"), F("latitude")),
        ("longitude", _("Longitude"), F("longitude")),
        (
            "coordinate_uncertainty_m",
            _("Coordinate uncertainty (m)"),
            F("coordinate_uncertainty_m"),
        ),
        ("location_precision", _("Location precision"), F("location_precision")),
        ("count", _("Count"), F("count")),
        ("count_min", _("Minimum count"), F("count_min")),
        ("count_max", _("Maximum count"), F("count_max")),
        ("unit", _("Unit"), F("unit")),
        ("sex", _("Sex"), F("sex")),
        ("age_class", _("Age class"), F("age_class")),
        ("evidence", _("Evidence"), F("evidence")),
        ("individual", _("Known individual"), F("individual_id")),
        ("event", _("Survey event"), F("event_id")),
        ("status", _("Status"), F("status")),
        ("observer_code", _("Observer code"), F("observer_code")),
        ("notes", _("Notes"), F("notes")),
    ]


def occurrence_columns(version: DatasetVersion) -> list[dwca.Column]:
    """The occurrence core of the archive: one row per record, as frozen."""
    subspecies = [
        pk
        for pk, name in rows(version)
        .order_by()
        .values_list("species_id", "scientific_name")
        .distinct()
        if len(name.split()) >= 3
    ]
    return [
        code(ID, dwca._uuid_text("record_id")),
        code(DWC + "occurrenceID", dwca._uuid_text("record_id")),
        code(DWC + "datasetID", Value(str(version.pk))),
        col(DWC + "datasetName", Value(f"{version.title} (v{version.number})")),
        code(DCTERMS + "license", Value(dwca.LICENCES[version.licence][1])),
        code(
            DWC + "basisOfRecord",
            Case(
                When(evidence="camera", then=Value("MachineObservation")),
                default=Value("HumanObservation"),
                output_field=CharField(),
            ),
        ),
        code(DWC + "eventID", dwca._uuid_text("event_id")),
        col(DWC + "eventDate", F("observed_at"), "time"),
        col(DWC + "scientificName", F("scientific_name")),
        col(DWC + "vernacularName", F("species__name_en")),
        code(
            DWC + "kingdom",
            Case(
                When(species__group="plant", then=Value("Plantae")),
                default=Value("Animalia"),
                output_field=CharField(),
            ),
        ),
        code(
            DWC + "taxonRank",
            Case(
                When(species_id__in=subspecies, then=Value("subspecies")),
                default=Value("species"),
                output_field=CharField(),
            ),
        ),
        code(
            DWC + "occurrenceStatus",
            Case(
                When(count=0, then=Value("absent")),
                default=Value("present"),
                output_field=CharField(),
            ),
        ),
        col(
            DWC + "individualCount",
            Case(When(unit="individuals", then=F("count")), default=Value(None)),
            "value",
        ),
        col(DWC + "organismQuantity", F("count"), "value"),
        col(DWC + "organismQuantityType", F("unit")),
        code(DWC + "sex", NullIf(F("sex"), Value("unknown"))),
        code(DWC + "lifeStage", NullIf(F("age_class"), Value("unknown"))),
        code(DWC + "organismID", dwca._uuid_text("individual_id")),
        col(DWC + "decimalLatitude", F("latitude"), "value"),
        col(DWC + "decimalLongitude", F("longitude"), "value"),
        code(
            DWC + "geodeticDatum",
            Case(
                When(latitude__isnull=True, then=Value(None)),
                default=Value("WGS84"),
                output_field=CharField(),
            ),
        ),
        col(DWC + "coordinateUncertaintyInMeters", F("coordinate_uncertainty_m"), "value"),
        code(
            DWC + "dataGeneralizations",
            Case(
                *[When(location_precision=k, then=Value(t)) for k, t in GENERALISATIONS.items()],
                default=Value(None),
                output_field=CharField(),
            ),
        ),
        code(
            DWC + "informationWithheld",
            Case(
                When(latitude__isnull=True, then=Value(None)),
                When(location_precision="exact", then=Value(None)),
                default=Value(WITHHELD),
                output_field=CharField(),
            ),
        ),
        code(DWC + "countryCode", F("country")),
        col(DWC + "locality", F("protected_area__name_en")),
        code(
            DWC + "identificationVerificationStatus",
            Case(
                When(status="verified", then=Value("verified")),
                default=Value("unverified"),
                output_field=CharField(),
            ),
        ),
        col(DWC + "recordedBy", NullIf(F("observer_code"), Value(""))),
        col(DWC + "occurrenceRemarks", NullIf(F("notes"), Value(""), output_field=CharField())),
    ]


def about(version: DatasetVersion) -> list[tuple[str, str]]:
    """Label and value lines of the version's metadata (the XLSX "Citation" sheet)."""
    return [
        (gettext("Title"), version.title),
        (gettext("Version"), str(version.number)),
        (gettext("Published"), version.published_at.date().isoformat()),
        (gettext("Citation"), version.citation),
        (gettext("Licence"), version.licence),
        (gettext("Rows"), str(version.row_count)),
        (gettext("Checksum (SHA-256)"), version.checksum),
        (gettext("Description (English)"), version.description_en),
        (gettext("Description (Russian)"), version.description_ru),
        (gettext("Description (Chinese)"), version.description_zh),
    ]


def _contact(user) -> dict:
    if user is None:
        return {}
    return {
        "given": user.first_name,
        "surname": user.last_name or user.get_username(),
        "email": user.email,
    }


def build(job: ExportJob, path: str, progress) -> int:
    """Write the version's file for the job (inside the job's language); rows written."""
    version = job.dataset_version
    source = rows(version)
    if job.format == ExportJob.Format.DWCA:
        span = source.order_by().values_list("observed_at", flat=True)
        first, last = span.order_by("observed_at").first(), span.order_by("-observed_at").first()
        species = sorted(set(source.order_by().values_list("scientific_name", flat=True)))
        eml = dwca.eml_xml(
            package_id=f"{version.pk}",
            title=f"{version.title} (v{version.number})",
            abstract=version.description_en or version.title,
            licence=version.licence,
            contact=_contact(version.published_by),
            species=species,
            first=first,
            last=last,
            generalised=source.exclude(location_precision="exact").exists(),
            citation=version.citation,
            additional_info=(
                f"Version {version.number} of {version.row_count} records, SHA-256 "
                f"{version.checksum} (see the rows' canonical form in the Amur Exchange "
                "README)."
            ),
            pub_date=version.published_at.date(),
        )
        return dwca.write_occurrence_archive(
            path, source, occurrence_columns(version), progress, eml=eml
        )
    columns = tabular_columns(job.language)
    values = tabular.rows(
        source.annotate(**{f"c{i}": c[2] for i, c in enumerate(columns)}).values_list(
            *[f"c{i}" for i in range(len(columns))]
        )
    )
    headers = [c[1] for c in columns]
    if job.format == ExportJob.Format.XLSX:
        return tabular.write_xlsx(
            path,
            headers,
            values,
            progress,
            sheet_title=gettext("Records"),
            about=about(version),
            about_title=gettext("Citation"),
        )
    return tabular.write_csv(path, headers, values, progress)


def filename(job: ExportJob, extension: str) -> str:
    version = job.dataset_version
    slug = slugify(version.title)[:60] or "dataset"
    node = settings.NODE_CODE.lower()
    return f"amur-{node}-{slug}-v{version.number}-{version.checksum[:12]}.{extension}"
