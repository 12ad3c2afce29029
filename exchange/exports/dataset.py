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
from django.db.models import QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext

from ..models import DatasetRow, DatasetVersion, ExportJob
from . import query, tabular
from .dwca.archive import write_occurrence_archive
from .dwca.columns import Column
from .dwca.meta import eml_xml
from .dwca.terms import subspecies_of, version_occurrence_columns
from .sources import frozen_rows


def rows(version: DatasetVersion) -> QuerySet[DatasetRow]:
    return DatasetRow.objects.filter(version=version).order_by("record_id")


def tabular_columns(language: str) -> list[tuple[str, object, object]]:
    """The columns of CSV and XLSX: the export's own keys and headers, from the rows (their
    places and notes disclosed when the version was published)."""
    return query.record_columns(frozen_rows(), language)


def occurrence_columns(version: DatasetVersion) -> list[Column]:
    """The occurrence core of the archive: one row per record, as frozen."""
    species = rows(version).order_by().values_list("species_id", "scientific_name").distinct()
    return version_occurrence_columns(
        dataset_id=str(version.pk),
        dataset_name=f"{version.title} (v{version.number})",
        licence=version.licence,
        subspecies=subspecies_of(species),
    )


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
        eml = eml_xml(
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
        return write_occurrence_archive(
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
