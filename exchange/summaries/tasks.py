"""Celery tasks of summaries: thin wrappers over exchange.summaries.service.

The registered names (``exchange.build_summary``, ``exchange.schedule_summaries``) are older
than this module and stay as they are: the beat schedule (config.settings) and queued
messages use them. A joint yearly summary of a million records takes a few seconds; the
limits stop a runaway.
"""

from celery import shared_task

from .service import summaries_schedule, summary_run


@shared_task(name="exchange.build_summary", acks_late=True, soft_time_limit=600, time_limit=660)
def build_summary(summary_id: str) -> dict:
    """Compute one summary, its chart and PDFs. A failure is recorded on the summary; a
    redelivered task finds it finished and leaves it alone."""
    summary = summary_run(summary_id=summary_id)
    return {"id": str(summary.pk), "status": summary.status, "total": summary.total}


@shared_task(name="exchange.schedule_summaries", soft_time_limit=60, time_limit=90)
def schedule_summaries() -> list[str]:
    """Beat, monthly: the joint summary of the year for every jointly monitored species."""
    return [str(s.pk) for s in summaries_schedule()]
