"""Large synthetic tables for benchmarks, made inside PostgreSQL.

Rows are generated with ``generate_series`` in SQL: a million rows take
seconds, not the minutes a Python loop would. The functions take a DB-API
cursor, so that they can fill this process's database or another node's.
"""

from django.db import connection

TABLE = "observations_observation"


def observation_count(cursor=None) -> int:
    if cursor is None:
        with connection.cursor() as cur:
            return observation_count(cur)
    cursor.execute(f"SELECT count(*) FROM {TABLE}")
    return cursor.fetchone()[0]


def fill_observations(total: int, *, node: str = "RU", cursor=None, feed: bool = False) -> None:
    """Make the observations table hold exactly ``total`` synthetic verified rows of ``node``'s
    own PAs over three years; with ``feed``, one change-feed entry per row as well."""
    if cursor is None:
        with connection.cursor() as cur:
            return fill_observations(total, node=node, cursor=cur, feed=feed)
    if observation_count(cursor) == total:
        return None
    cursor.execute(f"TRUNCATE {TABLE}, exchange_changeentry CASCADE")
    cursor.execute(
        f"""
        WITH pas AS (
            SELECT array_agg(id ORDER BY id) AS ids, array_agg(centroid_lat ORDER BY id) AS lat,
                   array_agg(centroid_lon ORDER BY id) AS lon
            FROM observations_protectedarea WHERE centroid_lat IS NOT NULL AND country = %s
        ), sp AS (
            SELECT array_agg(id ORDER BY id) AS ids FROM observations_species
            WHERE jointly_monitored
        )
        INSERT INTO {TABLE} (
            id, origin_node, created_at, updated_at, protected_area_id, species_id,
            observed_at, latitude, longitude, count, unit, sex, age_class, evidence,
            notes, status, rejection_reason, observer_code, source
        )
        SELECT md5(g::text || %s)::uuid, %s, now(), now(),
               pas.ids[1 + g %% array_length(pas.ids, 1)],
               sp.ids[1 + (g / 7) %% array_length(sp.ids, 1)],
               now() - interval '1 day' - (g %% 1095) * interval '1 day'
                     - (g %% 1440) * interval '1 minute',
               pas.lat[1 + g %% array_length(pas.ids, 1)] + ((g * 7919) %% 1000) / 8000.0 - 0.06,
               pas.lon[1 + g %% array_length(pas.ids, 1)] + ((g * 104729) %% 1000) / 6000.0 - 0.08,
               1 + g %% 5, 'individuals', 'unknown', 'unknown', 'sighting',
               '', 'verified', '', 'BENCH', 'demo'
        FROM generate_series(1::bigint, %s) AS g, pas, sp
        """,
        [node, f"bench-{node}", node, total],
    )
    if feed:
        cursor.execute(
            f"""INSERT INTO exchange_changeentry (kind, record_id, action, created_at)
                SELECT 'observation', id, 'upsert', now() FROM {TABLE} ORDER BY observed_at"""
        )
    cursor.execute(f"ANALYZE {TABLE}")
    cursor.execute("ANALYZE exchange_changeentry")
    return None
