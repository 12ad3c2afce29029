"""Every 4xx answer of the API has the one shape {code, detail, field} (observations.api.errors).

The test walks the URL resolver's API endpoints (all of /api/v1/ but the signed node API,
checked on its own) and asks each the wrong way: without signing in, with an unknown id,
with a method it does not take, with an empty or malformed body, with a filter it does
not know. Whatever answers 4xx must answer in the shape.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

SHAPE = {"code", "detail", "field"}
NODE_API = "api/v1/exchange/"
UNKNOWN = str(uuid.UUID(int=1))


def _route(pattern) -> str:
    text = str(pattern.pattern)
    return text.lstrip("^").rstrip("$").replace("\\/", "/")


def api_routes(patterns=None, prefix: str = "") -> list[str]:
    """Every /api/v1/ route, its parameters filled with ids that do not exist."""
    found = []
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + _route(p)
        if isinstance(p, URLResolver):
            found += api_routes(p.url_patterns, route)
        elif isinstance(p, URLPattern) and route.startswith("api/v1/"):
            if "format" in route or route.startswith(NODE_API):
                continue
            route = re.sub(r"\(\?P<\w+>[^)]*\)", UNKNOWN, route)  # a router's
            route = re.sub(r"<(uuid:)?\w+>", UNKNOWN, route)
            route = re.sub(r"<\w+:\w+>", "999999", route)
            found.append("/" + route.replace("^", "").replace("$", ""))
    return sorted(set(found))


def assert_shape(answer, what):
    body = answer.json()
    assert isinstance(body, dict), (what, body)
    assert SHAPE <= set(body) <= SHAPE | {"errors"}, (what, answer.status_code, body)
    assert isinstance(body["code"], str) and body["code"], (what, body)
    assert isinstance(body["detail"], str) and body["detail"], (what, body)
    assert body["field"] is None or isinstance(body["field"], str), (what, body)


def test_every_4xx_of_the_api_has_the_one_shape(people):
    routes = api_routes()
    assert len(routes) > 30  # every API module is walked
    anonymous, ranger, coordinator = APIClient(), APIClient(), APIClient()
    ranger.force_authenticate(people.ranger_ru)
    coordinator.force_authenticate(people.coordinator_ru)
    seen: dict[int, int] = {}
    for route in routes:
        asks = [
            (anonymous, "get", route, None),
            (anonymous, "post", route, {}),
            (ranger, "get", route, None),
            (ranger, "get", route + "?not_a_filter=1&limit=many&cursor=x", None),
            (ranger, "post", route, {}),
            (coordinator, "post", route, {"id": "not-a-uuid", "latitude": "north"}),
            (coordinator, "patch", route, {"count": -1}),
            (coordinator, "put", route, {}),
            (coordinator, "delete", route, None),
        ]
        for client, method, url, data in asks:
            answer = getattr(client, method)(url, data, format="json")
            if 400 <= answer.status_code < 500:
                seen[answer.status_code] = seen.get(answer.status_code, 0) + 1
                assert_shape(answer, f"{method.upper()} {url}")
        # a body that is not JSON at all
        answer = coordinator.generic("POST", route, "{not json", content_type="application/json")
        if 400 <= answer.status_code < 500:
            assert_shape(answer, f"POST {route} (malformed)")
    assert {400, 401, 403, 404, 405} <= set(seen), seen


@pytest.mark.parametrize("url", ["/api/v1/observations/", "/api/v1/events/"])
def test_one_endpoint_answers_400_in_one_shape(people, seeds, url):
    """A record refused by its serializer (a malformed latitude) and one refused by the
    validation service (a negative count) answer alike."""
    api = APIClient()
    api.force_authenticate(people.ranger_ru)
    by_serializer = api.post(url, {"latitude": "north"}, format="json")
    by_service = api.post(
        "/api/v1/observations/",
        {
            "species": "Panthera tigris altaica",
            "protected_area": "RU-KHANKAISKY",
            "observed_at": "2025-01-05T10:00:00Z",
            "latitude": 45.0,
            "longitude": 132.4,
            "count": -1,
        },
        format="json",
    )
    for answer in (by_serializer, by_service):
        assert answer.status_code == 400, answer.json()
        assert_shape(answer, url)
        assert set(answer.json()) == SHAPE | {"errors"}
        first = answer.json()["field"]
        assert first in answer.json()["errors"]
        assert {"code", "message"} == set(answer.json()["errors"][first][0])


def test_the_node_api_answers_in_the_shape(api):
    """The signed node-to-node API is no DRF view; its refusals have the shape too."""
    answer = api.get("/api/v1/exchange/feed/?after=-1")
    assert answer.status_code == 401
    assert_shape(answer, "feed")
