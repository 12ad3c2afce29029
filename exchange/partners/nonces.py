"""Nonces of signed requests: each may be used once."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import UsedNonce
from ..signing import MAX_CLOCK_SKEW_S


def remember_nonce(node_code: str, nonce: str) -> bool:
    """False when this node already sent this nonce (a replayed request)."""
    try:
        with transaction.atomic():
            UsedNonce.objects.create(node_code=node_code, nonce=nonce)
    except IntegrityError:
        return False
    return True


def purge_nonces() -> int:
    """Nonces older than twice the accepted clock skew can no longer be replayed: drop them."""
    cutoff = timezone.now() - dt.timedelta(seconds=2 * MAX_CLOCK_SKEW_S)
    deleted, _ = UsedNonce.objects.filter(seen_at__lt=cutoff).delete()
    return deleted
