"""Reads of records for the pages and the API: what a user may see, with what each
page shows of it loaded in the same query. A record outside the user's reach is a 404,
never a 403: its existence does not leak."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..access import Access
from ..models import Observation, SurveyEvent


def visible_record(access: Access, pk) -> Observation:
    """The record if this user may see it, else 404 (never 403: existence does not leak)."""
    records = access.visible_observations().select_related(
        "species", "protected_area", "individual", "event", "created_by", "reviewed_by"
    )
    return get_object_or_404(records.prefetch_related("individual__codes"), pk=pk)


def review_queue(access: Access) -> QuerySet[Observation]:
    """Submitted records this user may verify or reject (Access.can_review_record as a query)."""
    return access.reviewable_observations()


def api_observations(access: Access) -> QuerySet[Observation]:
    """The observations the API lists to this user, with what a row shows."""
    return access.visible_observations().select_related("species", "protected_area")


def api_events(access: Access) -> QuerySet[SurveyEvent]:
    return access.visible_events().select_related("protected_area")
