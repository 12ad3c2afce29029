"""The archive's two metadata files: ``meta.xml`` (which file holds which terms, DwC text
guidelines) and ``eml.xml`` (EML 2.2 as GBIF's IPT writes it)."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.utils import timezone

from .columns import COREID, EVENT_ROW, ID, OCCURRENCE_ROW
from .licences import LICENCES


def _fields_xml(columns) -> str:
    lines = []
    for index, column in enumerate(columns):
        if column.term == ID:
            lines.append(f'    <id index="{index}"/>')
        elif column.term == COREID:
            lines.append(f'    <coreid index="{index}"/>')
        else:
            lines.append(f'    <field index="{index}" term={quoteattr(column.term)}/>')
    return "\n".join(lines)


_COMMON = (
    'encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" '
    'fieldsEnclosedBy="" ignoreHeaderLines="1"'
)


def meta_xml(event_cols, occurrence_cols) -> str:
    """The archive descriptor: which file holds which terms (DwC text guidelines)."""
    fields, common = _fields_xml, _COMMON
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core {common} rowType="{EVENT_ROW}">
    <files><location>event.txt</location></files>
{fields(event_cols)}
  </core>
  <extension {common} rowType="{OCCURRENCE_ROW}">
    <files><location>occurrence.txt</location></files>
{fields(occurrence_cols)}
  </extension>
</archive>
"""


def occurrence_meta_xml(columns) -> str:
    """The descriptor of an archive whose core is the occurrences (no event file)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core {_COMMON} rowType="{OCCURRENCE_ROW}">
    <files><location>occurrence.txt</location></files>
{_fields_xml(columns)}
  </core>
</archive>
"""


def _para(text: str) -> str:
    return f"<para>{escape(text)}</para>"


def eml_xml(
    *,
    package_id: str,
    title: str,
    abstract: str,
    licence: str,
    contact: dict,
    species: list[str],
    first: dt.datetime | None,
    last: dt.datetime | None,
    generalised: bool,
    internal: bool = False,
    citation: str = "",
    additional_info: str = "",
    pub_date: dt.date | None = None,
) -> str:
    """The dataset's metadata (EML 2.2, as GBIF's IPT writes it): title, licence,
    creator and contact, taxonomic and temporal coverage, and how places were generalised."""
    name, url = LICENCES[licence]
    organisation = escape(settings.NODE_NAME)
    person = ""
    if contact.get("surname"):
        given = escape(contact.get("given") or "")
        given = f"<givenName>{given}</givenName>" if given else ""
        surname = f"<surName>{escape(contact['surname'])}</surName>"
        person = f"<individualName>{given}{surname}</individualName>"
    email = (
        f"<electronicMailAddress>{escape(contact['email'])}</electronicMailAddress>"
        if contact.get("email")
        else ""
    )
    party = f"{person}<organizationName>{organisation}</organizationName>{email}"
    taxa = "".join(
        "<taxonomicClassification><taxonRankName>species</taxonRankName>"
        f"<taxonRankValue>{escape(n)}</taxonRankValue></taxonomicClassification>"
        for n in species
    )
    temporal = ""
    if first and last:
        temporal = (
            "<temporalCoverage><rangeOfDates>"
            f"<beginDate><calendarDate>{first.date().isoformat()}</calendarDate></beginDate>"
            f"<endDate><calendarDate>{last.date().isoformat()}</calendarDate></endDate>"
            "</rangeOfDates></temporalCoverage>"
        )
    method = (
        "Records were filed by rangers of the protected areas and verified by the protected "
        "areas' managers. "
        + (
            "Locations of sensitive species are generalised by snapping them to the centre "
            "of a grid cell, never by random offsets, following GBIF's guidance on "
            "sensitive species data (see dataGeneralizations and "
            "coordinateUncertaintyInMeters of each record); free-text remarks of generalised "
            "records are withheld (informationWithheld)."
            if generalised
            else "Locations are exact."
        )
        + (
            " INTERNAL EXPORT: exact locations of sensitive species, not for publication or "
            "sharing."
            if internal
            else ""
        )
    )
    info = (
        f"  <additionalInfo>{_para(additional_info)}</additionalInfo>\n" if additional_info else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="https://eml.ecoinformatics.org/eml-2.2.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="https://eml.ecoinformatics.org/eml-2.2.0 https://rs.gbif.org/schema/eml-gbif-profile/1.3/eml.xsd"
  packageId={quoteattr(package_id)} system="amur-exchange" scope="system" xml:lang="en">
<dataset>
  <title xml:lang="en">{escape(title)}</title>
  <creator><organizationName>{organisation}</organizationName></creator>
  <metadataProvider>{party}</metadataProvider>
  <pubDate>{(pub_date or timezone.now().date()).isoformat()}</pubDate>
  <language>en</language>
  <abstract>{_para(abstract)}</abstract>
{info}  <intellectualRights><para>This work is licensed under a <ulink url={quoteattr(url)}>\
<citetitle>{escape(name)}</citetitle></ulink>.</para></intellectualRights>
  <licensed><licenseName>{escape(name)}</licenseName><url>{escape(url)}</url><identifier>{escape(licence)}</identifier></licensed>
  <coverage>{temporal}<taxonomicCoverage>{taxa}</taxonomicCoverage></coverage>
  <contact>{party}</contact>
  <methods><methodStep><description>{_para(method)}</description></methodStep></methods>
</dataset>
{_citation_xml(citation)}</eml:eml>
"""


def _citation_xml(citation: str) -> str:
    """How to cite the data, where GBIF's EML profile puts it."""
    if not citation:
        return ""
    return (
        "<additionalMetadata><metadata><gbif>"
        f"<citation>{escape(citation)}</citation>"
        "</gbif></metadata></additionalMetadata>\n"
    )
