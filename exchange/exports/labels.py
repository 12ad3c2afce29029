"""How the export pages name a job's licence and filters in the reader's language.

The archive's metadata keeps the names Darwin Core readers expect (exchange.exports.dwca);
these are for people. The dataset pages show a dataset's query the same way.
"""

from django.utils.translation import gettext_lazy as _

from observations.models import CensusCampaign, Country, ProtectedArea, RecordStatus, Species

# The licences of exports (exchange.exports.dwca.licences) by their names in the reader's
# language; the archive's metadata keeps the names Darwin Core readers expect.
LICENCE_LABELS = {
    "CC0-1.0": _("Public domain (CC0 1.0)"),
    "CC-BY-4.0": _("Creative Commons Attribution 4.0 (CC BY)"),
    "CC-BY-NC-4.0": _("Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC)"),
}


def licence_label(code: str) -> str:
    return str(LICENCE_LABELS.get(code, code))


def filters_shown(filters: dict) -> list[tuple[str, str]]:
    """A job's filters (as stored: scientific names, PA codes, status values) as the page
    shows them, in the reader's language."""
    shown = []
    if filters.get("species"):
        names = {
            sp.scientific_name: sp.name
            for sp in Species.objects.filter(scientific_name__in=filters["species"])
        }
        shown.append((_("species"), [names.get(n, n) for n in filters["species"]]))
    if filters.get("protected_areas"):
        names = {
            pa.code: pa.name
            for pa in ProtectedArea.objects.filter(code__in=filters["protected_areas"])
        }
        shown.append((_("protected areas"), [names.get(c, c) for c in filters["protected_areas"]]))
    if filters.get("country"):
        shown.append((_("country"), [dict(Country.choices).get(filters["country"], "?")]))
    if filters.get("observed_after"):
        shown.append((_("observed from"), [filters["observed_after"]]))
    if filters.get("observed_before"):
        shown.append((_("observed before"), [filters["observed_before"]]))
    if filters.get("status"):
        labels = dict(RecordStatus.choices)
        shown.append((_("status"), [labels.get(s, s) for s in filters["status"]]))
    if filters.get("campaign"):
        campaign = CensusCampaign.objects.filter(pk=filters["campaign"]).first()  # checked id
        shown.append((_("census campaign"), [campaign.name if campaign else "—"]))
    return [(str(label), ", ".join(str(v) for v in values)) for label, values in shown]
