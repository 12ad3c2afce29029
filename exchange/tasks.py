"""Celery tasks of the exchange: thin wrappers over exchange.sync and exchange.agreements."""

from celery import shared_task

from . import agreements, media_sync
from .client import PartnerUnreachable
from .models import Node
from .nonces import purge_nonces
from .sync.pull import pull


@shared_task(
    name="exchange.sync_partner",
    autoretry_for=(PartnerUnreachable,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=1500,
    time_limit=1800,
)
def sync_partner(code: str, limit: int | None = None) -> dict:
    """Pull everything new from one partner. Retries with exponential backoff when the
    link fails; a crash resumes from the checkpoint of the last applied page."""
    partner = Node.objects.get(code=code, active=True)
    result = pull(partner, limit=limit)
    photos = media_sync.fetch_missing(partner)
    return {
        "pages": result.pages,
        "upserts": result.upserts,
        "tombstones": result.tombstones,
        "skipped": result.skipped,
        "rejected": len(result.rejected),
        "photos": photos["fetched"],
    }


@shared_task(name="exchange.sync_all", soft_time_limit=30, time_limit=60)
def sync_all() -> list[str]:
    """Beat: one sync task per active partner."""
    codes = list(Node.objects.filter(active=True).values_list("code", flat=True))
    for code in codes:
        sync_partner.delay(code)
    return codes


@shared_task(name="exchange.reevaluate_agreement", soft_time_limit=600, time_limit=660)
def reevaluate_agreement(agreement_id: int, species_ids: list[int]) -> int:
    return agreements.reevaluate(agreement_id=agreement_id, species_ids=species_ids)


@shared_task(name="exchange.release_embargoes", soft_time_limit=600, time_limit=660)
def release_embargoes() -> int:
    return agreements.release_embargoes()


@shared_task(name="exchange.purge_nonces", soft_time_limit=60, time_limit=90)
def purge_old_nonces() -> int:
    return purge_nonces()


# --- exports (exchange.exports) ------------------------------------------------------
# A million-row Darwin Core Archive takes about ten seconds; the limits only stop a runaway.


@shared_task(name="exchange.build_export", acks_late=True, soft_time_limit=1800, time_limit=1860)
def build_export(job_id: str) -> dict:
    """Build one export's file. A failure is recorded on the job (the user may ask again);
    a redelivered task finds a finished job and leaves it alone."""
    from .exports.service import export_run

    job = export_run(job_id=job_id)
    return {"id": str(job.pk), "status": job.status, "rows": job.total_rows}


@shared_task(name="exchange.purge_exports", soft_time_limit=300, time_limit=360)
def purge_exports() -> int:
    """Delete exports past their expiry (files and jobs)."""
    from .exports.service import exports_purge

    return exports_purge()


# --- shared datasets (exchange.datasets) ---------------------------------------------


@shared_task(
    name="exchange.publish_dataset_version",
    acks_late=True,
    soft_time_limit=1800,
    time_limit=1860,
)
def publish_dataset_version(version_id: str) -> dict:
    """Freeze a big dataset version (INSERT ... SELECT, checksum, citation). A failure is
    recorded on the version; a redelivered task finds it finished and leaves it alone."""
    from .datasets.publish import version_build

    version = version_build(version_id=version_id)
    return {"id": str(version.pk), "status": version.status, "rows": version.row_count}


# --- population-status summaries (exchange.summaries) -----------------------------------
# A joint yearly summary of a million records takes a few seconds; the limits stop a runaway.


@shared_task(name="exchange.build_summary", acks_late=True, soft_time_limit=600, time_limit=660)
def build_summary(summary_id: str) -> dict:
    """Compute one summary, its chart and PDFs. A failure is recorded on the summary; a
    redelivered task finds it finished and leaves it alone."""
    from .summaries.service import summary_run

    summary = summary_run(summary_id=summary_id)
    return {"id": str(summary.pk), "status": summary.status, "total": summary.total}


@shared_task(name="exchange.schedule_summaries", soft_time_limit=60, time_limit=90)
def schedule_summaries() -> list[str]:
    """Beat, monthly: the joint summary of the year for every jointly monitored species."""
    from .summaries.service import summaries_schedule

    return [str(s.pk) for s in summaries_schedule()]
