"""The client loop of the pull sync: claim the partner's sync, fetch its feed pages from the
checkpoint (the next while the current is applied), release the claim."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ..client import get_signed
from ..models import Node, SyncState
from .apply import apply_page
from .build import Applier
from .page import PullResult

STALE_CLAIM = timedelta(minutes=15)
MAX_PAGES_PER_RUN = 1000


def claim(partner: Node) -> bool:
    """Take the partner's sync for this worker; False if another worker runs it now."""
    state, _ = SyncState.objects.get_or_create(partner=partner)
    now = timezone.now()
    won = (
        SyncState.objects.filter(pk=state.pk)
        .filter(Q(running_since=None) | Q(running_since__lt=now - STALE_CLAIM))
        .update(running_since=now, last_attempt_at=now)
    )
    return bool(won)


def release(partner: Node, *, error: str = "", success: bool = False) -> None:
    updates = {"running_since": None}
    if success:
        updates["last_success_at"] = timezone.now()
        updates["last_error"] = ""
    if error:
        updates["last_error"] = error[:2000]
    SyncState.objects.filter(partner=partner).update(**updates)


def pull(
    partner: Node, *, limit: int | None = None, max_pages: int = MAX_PAGES_PER_RUN
) -> PullResult:
    """Pull and apply pages until caught up. Raises PartnerUnreachable for a retry.

    The next page is fetched while the current one is applied (its ``after`` is the
    current page's ``until``, known as soon as the page arrives), so the partner's
    work and ours overlap instead of adding up.
    """
    total = PullResult()
    if not claim(partner):
        return total
    limit = limit or settings.EXCHANGE_PAGE_SIZE
    applier = Applier(partner)

    def fetch(after: int) -> dict:
        return get_signed(partner, f"/api/v1/exchange/feed/?after={after}&limit={limit}")

    try:
        _refresh_partner_agreement(partner)
        with ThreadPoolExecutor(max_workers=1) as prefetcher:
            after = SyncState.objects.get(partner=partner).checkpoint
            page = fetch(after)
            for _ in range(max_pages):
                caught_up = page["until"] >= page.get("head", 0) or page["until"] == after
                upcoming = None if caught_up else prefetcher.submit(fetch, page["until"])
                result = apply_page(partner, page, applier)
                total.pages += 1
                total.upserts += result.upserts
                total.tombstones += result.tombstones
                total.skipped += result.skipped
                total.rejected += result.rejected
                if upcoming is None:
                    break
                after, page = page["until"], upcoming.result()
    except BaseException as exc:  # any failure: keep the reason, free the claim, re-raise
        release(partner, error=f"{type(exc).__name__}: {exc}")
        raise
    release(
        partner,
        success=not total.rejected,
        error=f"{len(total.rejected)} item(s) refused" if total.rejected else "",
    )
    return total


def _refresh_partner_agreement(partner: Node) -> None:
    body = get_signed(partner, "/api/v1/exchange/agreement/")
    SyncState.objects.filter(partner=partner).update(partner_agreement=body.get("agreement"))
