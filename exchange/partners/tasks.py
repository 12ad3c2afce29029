"""Celery tasks of the exchange with its partners: thin wrappers over exchange.sync and
exchange.partners.agreements.

The registered names (``exchange.sync_partner``, ...) are older than this module and stay as
they are: the beat schedule (config.settings) and queued messages use them.
"""

from celery import shared_task

from .. import media_sync
from ..client import PartnerUnreachable
from ..models import Node
from ..sync.pull import pull
from . import agreements
from .nonces import purge_nonces


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
