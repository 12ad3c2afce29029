"""Read queries of summaries shared by the pages and the API; who reads which summary is
observations.access's decision (``summary_filter``)."""

from observations.access import Access

from ..models import Summary


def visible_summaries(access: Access):
    """The summaries this user may read, with what their pages show (no figures)."""
    rows = Summary.objects.select_related("species", "protected_area", "campaign").defer(
        "figures", "chart_svg"
    )
    condition = access.summary_filter()
    return rows if condition is None else rows.filter(condition)


def summary_for(access: Access, pk) -> Summary:
    """One summary within the user's reach, with its figures; Summary.DoesNotExist
    otherwise (the caller answers 404)."""
    rows = Summary.objects.select_related("species", "protected_area", "campaign")
    condition = access.summary_filter()
    if condition is not None:
        rows = rows.filter(condition)
    return rows.get(pk=pk)
