"""/health/: is the database reachable, the broker, and is any worker listening?

Answers 200 when the node can do its work, 503 when it cannot. With no broker
configured (the laptop demo) tasks run in-process, which is healthy.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from .celery import app as celery_app


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure is "not ok", shown to the operator
        return {"ok": False, "error": type(exc).__name__}


def _broker_and_workers() -> tuple[dict, dict]:
    if celery_app.conf.task_always_eager:
        return (
            {"ok": True, "mode": "in-process (no broker configured)"},
            {"ok": True, "count": 0, "mode": "in-process"},
        )
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        broker = {"ok": True, "transport": conn.transport_cls}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": type(exc).__name__}, {"ok": False, "count": 0}
    try:
        replies = celery_app.control.ping(timeout=1.0) or []
    except Exception:  # noqa: BLE001
        replies = []
    names = sorted(name for reply in replies for name in reply)
    return broker, {"ok": bool(names), "count": len(names), "names": names}


def health(request):
    database = _database()
    broker, workers = _broker_and_workers()
    ok = database["ok"] and broker["ok"] and workers["ok"]
    body = {
        "status": "ok" if ok else "degraded",
        "node": settings.NODE_CODE,
        "database": database,
        "broker": broker,
        "workers": workers,
    }
    return JsonResponse(body, status=200 if ok else 503)
