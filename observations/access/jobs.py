"""Who follows which background job (imports, exports), and who asks for exports.

A job (observations.jobs.BackgroundJob) belongs to the user named by its
``owner_field``: they follow its progress and fetch its outcome; an admin follows
everyone's. Anyone else's job answers 404. Summaries are jobs too, but they are read by
what they cover, not by who asked for them (observations.access.summaries).
"""

from __future__ import annotations

from django.db.models import QuerySet


class JobRules:
    """The job rules of Access (observations.imports, exchange.exports)."""

    def visible_jobs(self, model, qs: QuerySet | None = None) -> QuerySet:
        """The jobs of ``model`` this user may follow: their own; an admin's, everyone's."""
        if self.is_admin:
            return model._default_manager.all() if qs is None else qs
        return self.own_jobs(model, qs)

    def own_jobs(self, model, qs: QuerySet | None = None) -> QuerySet:
        """The jobs this user asked for themselves (an admin's "my jobs" list too)."""
        qs = model._default_manager.all() if qs is None else qs
        if not self.is_authenticated:
            return qs.none()
        return qs.filter(**{f"{model.owner_field}_id": self.user_id})

    def can_view_job(self, job) -> bool:
        """Follow one job: ``visible_jobs`` for a job in hand."""
        if self.is_admin:
            return True
        owner_id = getattr(job, f"{job.owner_field}_id")
        return self.is_authenticated and owner_id == self.user_id

    # --- exports (exchange.exports) -------------------------------------------------
    @property
    def can_export(self) -> bool:
        return self.is_admin or bool(self.coordinator_countries)

    @property
    def can_export_internal(self) -> bool:
        """An export with exact places (observations.disclosure: the asker's own view):
        a coordinator of this node's own country, or an admin. The other country's
        coordinator, logged in here, exports for publication only."""
        return self.speaks_for_this_node
