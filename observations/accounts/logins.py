"""Sign-in throttling: failed passwords are counted per account and per address.

django-axes does the counting. Every sign-in that goes through Django's
``authenticate`` with a request (the login page, the admin's login, the API token
endpoint ``POST /api/v1/auth/token/``) is watched: each failure is a row of axes'
``AccessAttempt`` (account, address, user agent, failures, last failure). When the
failures of one account (from any address) or from one address (for any account) within
``LOGIN_LOCKOUT_MINUTES`` reach ``LOGIN_FAILURE_LIMIT``, that account or that address is
refused, the right password included, until those failures are older than the lock
time, or until a coordinator unlocks it (``unlock``). Tries during a lock are not
counted, so a lock ends when the page said it would.

The project's side of it, here:

- ``client_address``: where a request comes from (axes' ``AXES_CLIENT_IP_CALLABLE``):
  ``REMOTE_ADDR``, or behind a reverse proxy the header named by
  ``LOGIN_CLIENT_IP_HEADER``. Never ``X-Forwarded-For`` by default: anyone can send it,
  and a guesser would then pick a fresh address for every try.
- ``LockoutBackend``: axes' backend, first in ``AUTHENTICATION_BACKENDS``.
- ``LoginAttemptHandler``: axes' database handler, except what a successful sign-in
  forgives (only that account's own failures from that address).
- ``lock_ends_at``: when the lock on a request's account or address ends (the lockout
  page and ``Retry-After`` say so).
- ``current_locks`` and ``unlock``: the coordinators' page (Access.can_unlock_accounts).
"""

from __future__ import annotations

import ipaddress
import logging
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import DomainError, NotFound
from ..models import Membership

log = logging.getLogger(__name__)

ACCOUNT = "account"
ADDRESS = "address"


# --- axes' hooks ----------------------------------------------------------------------


def _address(value: str | None) -> str | None:
    """``value`` if it is an IP address (stored in an inet column), else None."""
    value = (value or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def _meta_key(header: str) -> str:
    """``X-Real-IP`` -> ``HTTP_X_REAL_IP`` (a META key is accepted as it is)."""
    header = header.strip()
    if header.upper() == "REMOTE_ADDR" or header.upper().startswith("HTTP_"):
        return header.upper()
    return "HTTP_" + header.upper().replace("-", "_")


def client_address(request) -> str | None:
    """The address a sign-in comes from.

    ``REMOTE_ADDR`` unless ``LOGIN_CLIENT_IP_HEADER`` names the header a reverse proxy
    sets (``X-Real-IP``). A list there (``X-Forwarded-For``) counts by its last entry,
    the one the proxy itself added: the entries before it are whatever the client sent.
    A header that is missing or holds no address falls back to ``REMOTE_ADDR``.
    """
    header = settings.LOGIN_CLIENT_IP_HEADER
    if header:
        values = request.META.get(_meta_key(header), "")
        address = _address(values.split(",")[-1]) if values else None
        if address:
            return address
    return _address(request.META.get("REMOTE_ADDR"))


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked account or address before any password is checked.

    Without a request (``Client.login`` in tests, a shell) there is no network client
    and no address to count: axes' backend would raise; this one leaves the decision to
    the next backend. Every network path (the login page's form, DRF's token
    serializer) passes its request, so nothing that can be reached from outside skips
    the count.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginAttemptHandler(AxesDatabaseHandler):
    """axes' database handler, with a narrower forgiveness on success.

    axes' own reset on a successful sign-in deletes every failure of that address and
    of that account: someone with one valid account could then guess another account's
    password from the same address forever, a few tries between two sign-ins of their
    own. Here a success forgives only the failures of that account from that address
    (the user's own typing mistakes).
    """

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def signed_in(request, user) -> None:
    """A password was right outside Django's ``login()`` (the API token endpoint): forgive
    that account's failures from that address, as ``login()`` does through axes."""
    address = client_address(request)
    AccessAttempt.objects.filter(username=user.get_username(), ip_address=address).delete()


# --- reading the locks --------------------------------------------------------------------


def _cool_off(request=None) -> timedelta:
    return get_cool_off(request) or timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _limit(request=None, credentials=None) -> int:
    return get_failure_limit(request, credentials)


def _end(rows: list[tuple[datetime, int]], limit: int, cool_off: timedelta) -> datetime | None:
    """When a lock made of ``rows`` (last failure, failures) ends, or None if unlocked.

    axes counts a row while its last failure is within the cool-off, so the lock lasts
    while the newest rows still add up to the limit: it ends when the row that completes
    the limit, counting from the newest, grows too old.
    """
    total = 0
    for when, failures in sorted(rows, reverse=True):
        total += failures
        if total >= limit:
            return when + cool_off
    return None


def lock_ends_at(request, credentials: dict | None = None) -> datetime | None:
    """When the lock on this request's account or address ends (the later of the two), or
    None when neither is locked."""
    cool_off = _cool_off(request)
    limit = _limit(request, credentials)
    since = timezone.now() - cool_off
    username = get_client_username(request, credentials)
    address = client_address(request)
    ends = []
    for condition in ({"username": username}, {"ip_address": address}):
        if not next(iter(condition.values())):
            continue
        rows = AccessAttempt.objects.filter(attempt_time__gte=since, **condition).values_list(
            "attempt_time", "failures_since_start"
        )
        end = _end(list(rows), limit, cool_off)
        if end is not None:
            ends.append(end)
    return max(ends, default=None)


def seconds_left(until: datetime | None, request=None) -> int:
    """Whole seconds until ``until`` (at least 1); the full lock time when unknown."""
    if until is None:
        return int(_cool_off(request).total_seconds())
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


@dataclass(frozen=True)
class Lock:
    """One locked account or address, as the coordinators' page shows it."""

    kind: str  # ACCOUNT or ADDRESS
    value: str  # the username, or the address
    failures: int
    until: datetime
    related: tuple[str, ...]  # the addresses an account failed from / the names tried

    @property
    def minutes_left(self) -> int:
        return math.ceil(seconds_left(self.until) / 60)


def _countries_of(usernames) -> dict[str, frozenset[str]]:
    """The countries each user belongs to: their PAs' and, for coordinators, their own."""
    countries = defaultdict(set)
    rows = Membership.objects.filter(user__username__in=list(usernames)).values_list(
        "user__username", "protected_area__country", "country"
    )
    for username, pa_country, country in rows:
        countries[username].update(c for c in (pa_country, country) if c)
    return {name: frozenset(found) for name, found in countries.items()}


def _all_locks() -> list[Lock]:
    cool_off = _cool_off()
    limit = _limit()
    since = timezone.now() - cool_off
    rows = AccessAttempt.objects.filter(attempt_time__gte=since).values_list(
        "username", "ip_address", "attempt_time", "failures_since_start"
    )
    by = {ACCOUNT: defaultdict(list), ADDRESS: defaultdict(list)}
    for username, address, when, failures in rows:
        if username:
            by[ACCOUNT][username].append((when, failures, address))
        if address:
            by[ADDRESS][address].append((when, failures, username))
    locks = []
    for kind, groups in by.items():
        for value, group in groups.items():
            until = _end([(when, n) for when, n, _other in group], limit, cool_off)
            if until is None:
                continue
            related = tuple(sorted({other for *_rest, other in group if other}))
            failures = sum(n for _when, n, _other in group)
            locks.append(Lock(kind, value, failures, until, related))
    return locks


def _usernames_behind(lock: Lock) -> set[str]:
    return {lock.value} if lock.kind == ACCOUNT else set(lock.related)


def current_locks(access: Access) -> list[Lock]:
    """The locks this user may lift, the longest first.

    An account lock belongs to that account's user; an address lock to every account
    tried from the address: a coordinator sees (and lifts) it only when they may unlock
    each of them (Access.can_unlock_user).
    """
    if not access.can_unlock_accounts:
        return []
    locks = _all_locks()
    countries = _countries_of(set().union(*map(_usernames_behind, locks)) if locks else ())
    mine = [
        lock
        for lock in locks
        if all(
            access.can_unlock_user(countries.get(name, frozenset()))
            for name in _usernames_behind(lock)
        )
    ]
    return sorted(mine, key=lambda lock: (-lock.until.timestamp(), lock.kind, lock.value))


def unlock(*, access: Access, user, kind: str, value: str) -> Lock:
    """Lift one lock now: forget the failures behind it.

    An account's failures are forgotten from every address, and so no longer count
    towards those addresses either; an address's failures for every account tried from
    it, which leaves that account's failures from elsewhere counting. A lock this user
    may not see answers as one that does not exist.
    """
    if kind not in (ACCOUNT, ADDRESS):
        raise DomainError(_("Unknown kind of lock."), "invalid", field="kind")
    lock = next(
        (found for found in current_locks(access) if (found.kind, found.value) == (kind, value)),
        None,
    )
    if lock is None:
        raise NotFound(_("This lock does not exist or has ended."), "not_found")
    if kind == ACCOUNT:
        reset(username=value)
    else:
        reset(ip=value)
    log.info("%s %s unlocked by %s", kind, value, user.get_username())
    return lock
