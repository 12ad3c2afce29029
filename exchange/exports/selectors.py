"""Read queries of exports shared by the pages and the API."""

from observations.access import Access

from ..models import ExportJob


def visible_exports(access: Access):
    """The exports this user may follow (Access.visible_jobs: their own; an admin's,
    everyone's)."""
    return access.visible_jobs(ExportJob)


def own_exports(access: Access):
    """The exports this user asked for themselves (their list on the exports page)."""
    return access.own_jobs(ExportJob)
