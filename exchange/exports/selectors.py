"""Read queries of exports shared by the pages and the API."""

from observations.access import Access

from ..models import ExportJob


def visible_exports(access: Access, user):
    """The exports ``user`` may follow: their own; an admin's, everyone's."""
    jobs = ExportJob.objects.all()
    return jobs if access.is_admin else jobs.filter(user=user)
