"""GET /api/v1/observations/ filtered by species, time and bbox on 1,000,000 observations.

Target (issue 3): median under 50 ms per page of 100. Baseline in the same run:
the bare SQL of the same page (what the database alone costs), so that the
figure shows what Django, DRF and the access rules add on top.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from observations.access import access_for
from observations.models import Membership, Role

from .synthetic import fill_observations, observation_count

ROWS = 1_000_000
REPEAT = 40
TARGET_MS = 50.0


def _timed(fn, repeat=REPEAT) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> None:
    start = time.perf_counter()
    fill_observations(ROWS, node="RU")
    ready = time.perf_counter() - start
    print(f"table: {observation_count():,} observations (ready in {ready:.1f} s)")

    user, _ = get_user_model().objects.get_or_create(username="bench_coordinator")
    Membership.objects.get_or_create(user=user, role=Role.COORDINATOR, country="RU")
    client = Client()
    client.force_login(user)
    after = (timezone.now() - timezone.timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    url = (
        "/api/v1/observations/?species=Grus+japonensis"
        f"&observed_after={after}&bbox=130,42,136,50&limit=100"
    )
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    rows = len(response.json()["results"])
    second = response.json()["next"]

    qs = (
        access_for(user)
        .visible_observations()
        .filter(
            species__scientific_name="Grus japonensis",
            observed_at__gte=after,
            latitude__gte=42,
            latitude__lte=50,
            longitude__gte=130,
            longitude__lte=136,
        )
        .order_by("-observed_at", "-id")[:100]
    )
    sql, params = qs.query.sql_with_params()

    def bare_sql():
        with connection.cursor() as cur:
            cur.execute(sql, params)
            cur.fetchall()

    baseline = _timed(bare_sql)
    first_page = _timed(lambda: client.get(url))
    next_page = _timed(lambda: client.get(second))
    print(
        f"page of {rows} rows: median {first_page:.1f} ms (first page), "
        f"{next_page:.1f} ms (next page by cursor); target < {TARGET_MS:.0f} ms "
        f"-> {'OK' if max(first_page, next_page) < TARGET_MS else 'MISSED'}"
    )
    print(f"baseline, the same page as bare SQL: median {baseline:.1f} ms")
