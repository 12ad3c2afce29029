"""The attack suite: every way out of the node, tried by every audience, byte by byte.

The world of attack_world.py holds an exact tiger and leopard, notes that repeat their
coordinates and the ranger's full name, a camera serial, a photo with EXIF GPS and the
serial, a photo of people and a spreadsheet formula. Then, as each role of both countries
on this (Russian) node, as anonymous, as the partner node and as the public (files made
for publication), the suite walks:

- every GET operation of the OpenAPI schema, with its filters (a tiny bbox round the
  exact point, the photo-hash filter) and the ids of every secret thing;
- every page reachable from the navigation, and every link on them;
- every export format for publication (and internal, for its own coordinators only);
- a shared dataset's version and its downloads, a population-status summary (HTML and
  the PDF's text), a Camtrap DP package, the change feed and the photo fetches;

and asserts that none of what an audience that does not oversee Khankaisky receives
carries the exact digits, the name, GPS or serial tags, or the photo of people, and that
no spreadsheet cell anyone receives is a formula. The closing figure is printed at the
end of the run (tests/security/conftest.py).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
import uuid
from collections import deque

import pytest
from django.test import Client

from exchange.datasets import definition, publish
from exchange.exports.service import export_create, export_run
from exchange.models import ExportJob, Node
from exchange.partners.agreements import agreement_save
from exchange.signing import b64, generate_private_key, private_key_to_text, public_key_text
from exchange.summaries.service import summary_create, summary_run
from observations.access import access_for
from observations.models import Species
from observations.remarks.services import flag_answer, remark_create

from . import attack_world as W
from .conftest import REPORT
from .scan import formulas, leaks

pytestmark = [pytest.mark.django_db]

OVERSEERS = {"ranger_ru", "manager_ru", "coordinator_ru", "admin"}
OUTSIDERS = ["ranger_cn", "manager_cn", "coordinator_cn", "reviewer", "outsider", "nobody"]
PAGE_LIMIT = 400


class Probes:
    """What was asked, by whom, and what leaked."""

    def __init__(self, world):
        self.operations: set[str] = set()
        self.audiences: set[str] = set()
        self.count = 0
        self.found: list[str] = []
        self.server_errors: list[str] = []
        self.seen: dict[tuple[str, str], bytes] = {}  # what each audience got, to check it
        self.pages: dict[str, int] = {}
        hidden = [str(world.people_photo.pk), world.people_photo.sha256]
        self.photo_of_people = {
            "photo of people": re.compile("|".join(re.escape(h) for h in hidden))
        }

    def check(self, audience: str, operation: str, data: bytes, *, status: int = 200):
        self.operations.add(operation)
        self.audiences.add(audience)
        self.count += 1
        self.seen.setdefault((audience, operation), data)
        if status >= 500:
            self.server_errors.append(f"{audience} {operation}: {status}")
        for cell in formulas(data, operation):
            self.found.append(f"{audience} {operation}: formula {cell}")
        if audience in OVERSEERS:
            return  # they oversee Khankaisky: exact places and names are theirs to see
        for leak in leaks(data, extra=self.photo_of_people):
            self.found.append(f"{audience} {operation}: {leak}")


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- the world -----------------------------------------------------------------------


@pytest.fixture
def world(people, khankaisky, xingkaihu, settings):
    settings.EXCHANGE_PRIVATE_KEY = private_key_to_text(generate_private_key())
    world = W.build(people, khankaisky)
    flag = remark_create(
        access=access_for(people.reviewer),
        user=people.reviewer,
        observation=world.tiger,
        kind="flag",
        reason="wrong_place",
        text="Is this place right?",
    )
    flag_answer(
        access=access_for(people.manager_ru),
        user=people.manager_ru,
        flag=flag,
        text=f"Yes: {W.TIGER[0]} {W.TIGER[1]}, checked by {W.NAME[0]} {W.NAME[1]}.",
    )
    coordinator = people.coordinator_ru
    dataset = definition.dataset_create(
        access=access_for(coordinator),
        user=coordinator,
        values={
            "title": "Khankaisky big cats",
            "licence": "CC-BY-4.0",
            "query": {
                "species": ["Panthera tigris altaica", "Panthera pardus orientalis"],
                "protected_areas": ["RU-KHANKAISKY"],
            },
        },
    )
    for name in ("reviewer", "outsider"):
        definition.reviewer_invite(
            access=access_for(coordinator), user=coordinator, dataset=dataset, username=name
        )
    publish.version_publish(access=access_for(coordinator), user=coordinator, dataset=dataset)
    summary = summary_create(
        access=None,
        user=coordinator,
        species="Panthera tigris altaica",
        scope="joint",
        year=2025,
        enqueue=False,
    )
    summary = summary_run(summary_id=summary.pk)
    assert summary.status == "done", summary.detail
    world.ids.update(dataset=dataset, summary=summary, flag=flag)
    return world


# --- the API, by its schema ----------------------------------------------------------------


def _ids_for(path: str, world) -> list[dict]:
    """Concrete values for a path's parameters: the secret things, and a stranger."""
    stranger = str(uuid.uuid4())
    if path.startswith("/api/v1/observations/"):
        ids = [world.tiger.pk, world.leopard.pk]
    elif path.startswith("/api/v1/events/"):
        ids = [world.deployment.event_id]
    elif path.startswith("/api/v1/deployments/"):
        ids = [world.deployment.pk]
    elif path.startswith("/api/v1/media/"):
        ids = [world.tiger_photo.pk, world.people_photo.pk]
    elif path.startswith("/api/v1/sequences/"):
        ids = [world.tiger_photo.sequence_id, world.people_photo.sequence_id]
    elif path.startswith("/api/v1/datasets/"):
        ids = [world.ids["dataset"].pk]
    elif path.startswith("/api/v1/summaries/"):
        ids = [world.ids["summary"].pk]
    elif path.startswith("/api/v1/exports/"):
        ids = list(ExportJob.objects.values_list("pk", flat=True)) or [stranger]
    elif path.startswith("/api/v1/species/"):
        ids = [Species.objects.get(scientific_name="Panthera tigris altaica").pk]
    else:
        ids = [stranger]
    return [
        {"id": str(i), "code": "RU-KHANKAISKY", "number": "1", "record_id": str(world.tiger.pk)}
        for i in ids
    ]


def _queries(path: str, world) -> list[dict]:
    lat, lon = W.TIGER
    tiny = f"{lon - 0.0005},{lat - 0.0005},{lon + 0.0005},{lat + 0.0005}"
    queries = [{}]
    if path in ("/api/v1/observations/", "/api/v1/events/"):
        queries += [{"bbox": tiny}, {"protected_area": "RU-KHANKAISKY", "limit": "1000"}]
    if path == "/api/v1/media/":
        queries += [{"sha256": world.people_photo.sha256}, {"deployment": world.deployment.pk}]
    if path == "/api/v1/sequences/":
        queries += [{"deployment": world.deployment.pk}]
    if path.endswith("/html/") or path.endswith("/pdf/"):
        queries += [{"english": "1"}]
    return queries


def _get_operations(client) -> list[str]:
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    return [p for p, ops in schema.json()["paths"].items() if "get" in ops]


def _walk_api(probes, name, client, world, paths):
    for path in paths:
        for values in _ids_for(path, world):
            url = re.sub(r"\{(\w+)\}", lambda m, v=values: v[m.group(1)], path)
            for query in _queries(path, world):
                answer = client.get(url, query)
                probes.check(
                    name, f"GET {path} {sorted(query)}", _content(answer), status=answer.status_code
                )


# --- the pages ----------------------------------------------------------------------------

LINK = re.compile(r'(?:href|src|data-api)="(/(?:en|api)/[^"#]*)"')
SKIP = re.compile(r"/accounts/logout/|/admin/|/i18n/|/delete/|/static/")


def _crawl(probes, name, client):
    seen, queue = set(), deque(["/en/"])
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.popleft().replace("&amp;", "&")
        if url in seen or SKIP.search(url):
            continue
        seen.add(url)
        answer = client.get(url)
        data = _content(answer)
        probes.check(
            name, f"page {re.sub(r'[0-9a-f-]{36}', '<id>', url)}", data, status=answer.status_code
        )
        if answer.status_code == 200 and "html" in answer.get("Content-Type", ""):
            queue.extend(u for u in LINK.findall(data.decode("utf-8", "replace")) if u not in seen)
    return seen


# --- files: exports, dataset downloads, Camtrap DP ---------------------------------------------


def _export(person, fmt, purpose):
    job = export_create(
        access=access_for(person),
        user=person,
        format=fmt,
        filters={"status": ["verified"]},
        purpose=purpose,
    )
    job = export_run(job_id=job.pk)
    assert job.status == "done", job.detail
    with job.file.open("rb") as fh:
        return fh.read()


def _walk_files(probes, people, world):
    for who in ("coordinator_ru", "coordinator_cn", "admin"):
        person = getattr(people, who)
        for fmt in ("csv", "xlsx", "geojson", "dwca"):
            probes.check(
                "public", f"export {fmt} for publication", _export(person, fmt, "publication")
            )
            if who == "coordinator_cn":
                with pytest.raises(Exception, match="own coordinators"):
                    _export(person, fmt, "internal")
                probes.check(who, f"export {fmt} internal (refused)", b"")
            else:
                probes.check(who, f"export {fmt} internal", _export(person, fmt, "internal"))
    dataset = world.ids["dataset"]
    for who in ("reviewer", "outsider", "coordinator_cn"):
        person = getattr(people, who)
        client = W.api_as(person)
        for fmt in ("csv", "xlsx", "dwca"):
            answer = client.post(
                f"/api/v1/datasets/{dataset.pk}/versions/1/downloads/",
                {"format": fmt},
                format="json",
            )
            assert answer.status_code == 202, answer.json()
            export_run(job_id=answer.json()["id"])
            download = client.get(f"/api/v1/exports/{answer.json()['id']}/download/")
            assert download.status_code == 200
            probes.check(who, f"dataset download {fmt}", _content(download))
    for who in ("coordinator_ru", "manager_ru"):
        client = W.api_as(getattr(people, who))
        answer = client.post(
            "/api/v1/camtrap-dp/export/",
            {"deployments": [str(world.deployment.pk)], "include_media": True},
            format="json",
        )
        assert answer.status_code == 200, answer.content[:500]
        probes.check("public", f"Camtrap DP by {who}", _content(answer))


# --- the partner node -------------------------------------------------------------------------


def _partner_client(key):
    """Requests signed as the Chinese node, by the README's protocol (written here again,
    not borrowed from the node's own signer)."""
    client = Client()

    def get(path):
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        lines = [
            "amur-request-v1",
            "GET",
            path,
            "CN",
            timestamp,
            nonce,
            hashlib.sha256(b"").hexdigest(),
        ]
        signature = b64(key.sign("\n".join(lines).encode()))
        return client.get(
            path,
            HTTP_X_AMUR_NODE="CN",
            HTTP_X_AMUR_TIMESTAMP=timestamp,
            HTTP_X_AMUR_NONCE=nonce,
            HTTP_X_AMUR_SIGNATURE=signature,
        )

    return get


def _walk_partner(probes, people, world):
    key = generate_private_key()
    partner = Node.objects.create(
        code="CN", base_url="http://127.0.0.1:9", public_key=public_key_text(key)
    )
    get = _partner_client(key)
    for free_text in ("withhold", "redact"):
        agreement_save(
            partner=partner,
            user=people.coordinator_ru,
            species=list(Species.objects.filter(jointly_monitored=True)),
            protected_areas=[],
            statuses=["verified"],
            embargo_days=0,
            precision={"Panthera tigris altaica": "10km", "Panthera pardus orientalis": "10km"},
            media_level="full",
            licence="CC-BY-4.0",
            free_text=free_text,
        )
        feed = get("/api/v1/exchange/feed/?after=0&limit=5000")
        assert feed.status_code == 200, feed.content[:300]
        kinds = {item["kind"] for item in feed.json()["items"]}
        assert {"observation", "event", "media"} <= kinds, kinds
        probes.check("partner", f"feed ({free_text})", feed.content)
        probes.check(
            "partner", f"agreement ({free_text})", get("/api/v1/exchange/agreement/").content
        )
        for photo in (world.tiger_photo, world.people_photo):
            for variant in ("thumbnail", "preview", "original"):
                answer = get(f"/api/v1/exchange/media/{photo.sha256}/{variant}/")
                if photo == world.people_photo:
                    assert answer.status_code == 404
                probes.check(
                    "partner", f"photo {variant}", _content(answer), status=answer.status_code
                )


# --- the suite ------------------------------------------------------------------------------


def test_no_byte_leaves_by_a_side_door(people, world):
    probes = Probes(world)
    audiences = {name: getattr(people, name) for name in sorted(OVERSEERS) + OUTSIDERS}
    paths = _get_operations(W.api_as(people.admin))
    for name, person in [*audiences.items(), ("anonymous", None)]:
        _walk_api(probes, name, W.api_as(person), world, paths)
        browser = Client()
        if person is not None:
            browser.force_login(person)
        probes.pages[name] = len(_crawl(probes, name, browser))
    _walk_files(probes, people, world)
    _walk_partner(probes, people, world)
    REPORT.update(
        operations=len(probes.operations),
        audiences=len(probes.audiences),
        probes=probes.count,
        leaks=len(probes.found),
    )
    assert probes.server_errors == []
    assert probes.found == [], "\n".join(probes.found)
    # The walk reached the secrets: each audience was shown the records, generalised.
    assert min(n for name, n in probes.pages.items() if name != "anonymous") > 20, probes.pages
    tiger = str(world.tiger.pk).encode()
    for name in OUTSIDERS:
        assert tiger in probes.seen[(name, "GET /api/v1/observations/{id}/ []")], name
        assert b"44.95" in probes.seen[(name, "GET /api/v1/observations/{id}/ []")], name
    assert tiger in probes.seen[("public", "export csv for publication")]
    assert tiger in probes.seen[("partner", "feed (redact)")]
    feed = probes.seen[("partner", "feed (redact)")].decode()
    assert "[…]" in feed or "[\\u2026]" in feed  # redacted, and the partner sees that it was
    pdf = [
        k
        for k in probes.seen
        if k[0] == "reviewer" and k[1].startswith("GET /api/v1/summaries/{id}/pdf/")
    ]
    assert pdf and probes.seen[pdf[0]].startswith(b"%PDF-"), "\n".join(probes.found)


def test_the_secrets_are_really_there_for_those_who_oversee_the_pa(people, world):
    """The suite would catch a leak: the same scanners find every secret in what the PA's
    own people get (so a pass above is not a scanner that sees nothing)."""
    page = Client()
    page.force_login(people.manager_ru)
    record = _content(page.get(f"/en/records/{world.tiger.pk}/"))
    found = " ".join(leaks(record))
    for secret in ("tiger latitude", "tiger longitude", "name", "serial"):
        assert secret in found, (secret, found)
    original = W.api_as(people.ranger_ru).get(f"/api/v1/media/{world.tiger_photo.pk}/file/")
    assert "EXIF GPS" in " ".join(leaks(_content(original)))
    internal = _export(people.coordinator_ru, "csv", "internal")
    assert "tiger latitude" in " ".join(leaks(internal))
    assert formulas(b'notes\n=HYPERLINK("x")\n', "x.csv")
