"""Switched to Russian, then to Chinese, the main pages keep no English word.

A ranger, a PA manager and a national coordinator of the Russian node each log in,
choose Russian with the language switcher of the page, read their main pages, choose
Chinese with the switcher and read them again; so does a visitor on the login page.
Every Latin word of what the browser shows (``document.body.innerText``) must be on the
allow-list below: names of standards and formats, units kept in Latin, codes, and data
that is not the interface's (login names, the synthetic demo data's markers, a file
name). Left out of the reading are the scientific names (in italics, class ``sci``),
identifiers set as ``<code>``, and the two kinds of text a page marks as English on
purpose (``lang="en"``): the seed data's notes on their sources and the English name
beside the Russian and Chinese ones. Closed ``<details>`` are opened first.

The pages are listed once, in PAGES: add a page there and its readers' tests read it.
"""

import re
from dataclasses import dataclass

import pytest
from django.utils import timezone

from exchange.datasets import definition as datasets
from exchange.datasets import publish
from exchange.models import ExportJob, Node, SentPage, SyncState
from exchange.partners.agreements import agreement_save
from exchange.summaries import service as summaries
from observations.access import access_for
from observations.demo import DEMO_NOTES, DEMO_USERS, make_demo_data
from observations.models import ImportJob, Observation, Species
from observations.remarks.services import remark_create
from tests.observations.census_stories import client as api_client
from tests.observations.census_stories import count_body, make_campaign
from tests.observations.test_camera_kit import make_deployment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["ru", "zh-hans"]


@dataclass(frozen=True)
class Page:
    """A page to read: its path under the language prefix (``{name}`` filled from the
    world's objects) and who reads it."""

    path: str
    readers: tuple[str, ...]


RANGER, MANAGER, COORDINATOR = "ranger_ru", "manager_ru", "coordinator_ru"
EVERYONE = (RANGER, MANAGER, COORDINATOR)

# The main pages. Paths have no language prefix: the site sends the reader to the
# language chosen with the switcher (its cookie), which is what this test is about.
PAGES = [
    Page("/", EVERYONE),  # the dashboard
    Page("/species/", (RANGER,)),
    Page("/species/{species}/", (RANGER,)),
    Page("/protected-areas/", (COORDINATOR,)),
    Page("/protected-areas/{pa}/", (RANGER,)),
    Page("/records/new/", (RANGER,)),
    Page("/records/mine/", (RANGER,)),
    Page("/records/{record}/", (RANGER, MANAGER)),
    Page("/review/", (MANAGER,)),
    Page("/census/", (COORDINATOR,)),
    Page("/census/{campaign}/", (COORDINATOR, MANAGER)),
    Page("/census/new/", (COORDINATOR,)),
    Page("/census/counts/{count}/edit/", (RANGER,)),
    Page("/camera/", (RANGER,)),
    Page("/camera/deployments/new/", (RANGER,)),
    Page("/camera/deployments/{deployment}/", (RANGER,)),
    Page("/camera/matches/", (RANGER,)),
    Page("/camera/export/", (RANGER,)),
    Page("/camera/import/", (RANGER,)),
    Page("/imports/", (RANGER,)),
    Page("/imports/{import_job}/", (RANGER,)),
    Page("/exchange/", (COORDINATOR,)),
    Page("/exchange/CN/agreement/", (COORDINATOR,)),
    Page("/exchange/CN/log/", (COORDINATOR,)),
    Page("/exchange/exports/", (COORDINATOR,)),
    Page("/exchange/exports/{export}/", (COORDINATOR,)),
    Page("/exchange/summaries/", (COORDINATOR, RANGER)),
    Page("/exchange/summaries/{summary}/", (COORDINATOR,)),
    Page("/exchange/datasets/", (COORDINATOR,)),
    Page("/exchange/datasets/new/", (COORDINATOR,)),
    Page("/exchange/datasets/{dataset}/", (COORDINATOR,)),
    Page("/exchange/datasets/{dataset}/v/1/", (COORDINATOR, MANAGER)),
    Page("/exchange/datasets/flags/", (MANAGER,)),
]

# Latin words that may stay in a Russian or Chinese page, each with its reason.
ALLOWED_WORDS = {
    # The language switcher offers each language in its own name.
    "English",
    # File formats and data standards: their names are the same in every language.
    "CSV",
    "XLSX",
    "GeoJSON",
    "HTML",  # a summary's two downloads: a web page and a PDF document
    "PDF",
    "Excel",  # the spreadsheet program that writes XLSX and "Excel CSV"
    "Darwin",  # Darwin Core, the biodiversity data standard
    "Core",
    "DwC",
    "Camtrap",  # Camtrap DP, the camera-trap data package standard
    "DP",
    "Windows",  # text encodings of a file import: Windows-1251 (Russian Excel),
    "GBK",  # GBK (Chinese Excel); UTF-8 and GB18030 go as codes (below)
    "UUID",  # the standard form of record ids
    "WGS",  # WGS 84, the coordinate datum
    "UTC",  # the time standard
    "IUCN",  # the Red List's organisation, named by its abbreviation in the catalogs
    "CITES",  # the convention, named by its abbreviation in the catalogs
    "GBIF",  # the Global Biodiversity Information Facility, where exports are published
    "CC",  # licence identifiers: CC BY, CC0 and the like
    "BY",
    "Leaflet",  # the map library's attribution on the record form's map
    "GPS",  # the satellite positioning system (the form's "use my location")
    "JPEG",  # photo formats the camera upload takes
    "PNG",
    "TIFF",
    "MB",  # megabytes, as Chinese writes the unit (Russian writes МБ)
    "Creative",  # Creative Commons, the licences' name (their Russian and Chinese
    "Commons",  # official names keep it)
    "II",  # CITES appendices are numbered in Roman numerals (I, II, III)
    "III",
    "Reconyx",  # a camera maker's name, typed by the ranger on the deployment
    "ZIP",  # the archive format of data packages
    "TDWG",  # the standards body of Darwin Core and Camtrap DP
    "TRAPPER",  # camera-trap software whose packages the camera pages read and write
    "Agouti",
    "Wildlife",  # Wildlife Insights
    "Insights",
    "camtrapR",
    # ISO 3166 country codes, shown as badges and in the node's name.
    "RU",
    "CN",
}

# Codes are not words: PA codes (RU-KHANKAISKY), catalogue codes of known animals (T-01,
# AT-033), pseudonymous observer codes (RU-OBS-007), camera stations (KH-07), model
# numbers and names with digits (HF2X, GB18030, UTF-8); nor are addresses (a partner
# node's URL) or the file names a standard prescribes (datapackage.json, media.csv).
CODE = re.compile(
    r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b|\b[A-Za-z]*\d[A-Za-z0-9]*\b"
    r"|\b[a-z][a-z0-9+.-]*://\S+|\b[\w-]+\.(?:json|csv|xlsx|zip|txt|xml)\b"
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Left out of the reading: scientific names; identifiers typed as they are, set as code
# (an import file's column names, Darwin Core terms, the items of a page sent); the seed
# data's notes on their sources (research notes in English about the data, not the
# interface) and the English name in the row of a species' or a PA's page that gives its
# name in each of the three languages, both marked lang="en" for screen readers too.
# Closed <details> are opened for the reading.
NOT_READ = ".sci, code, .source-note[lang=en], .name-en[lang=en]"

READ_TEXT = """(selector) => {
  const closed = [...document.querySelectorAll("details:not([open])")];
  closed.forEach((el) => { el.open = true; });
  const hidden = [...document.querySelectorAll(selector)];
  const before = hidden.map((el) => el.style.display);
  hidden.forEach((el) => { el.style.display = "none"; });
  const text = document.body.innerText;
  hidden.forEach((el, i) => { el.style.display = before[i]; });
  closed.forEach((el) => { el.open = false; });
  return text;
}"""


def english_words(text: str, *, not_words: list[str]) -> list[str]:
    """The Latin words of ``text`` that are not allowed, once the ``not_words`` (login
    names, the demo data's markers) and the codes are taken out."""
    for data in sorted(not_words, key=len, reverse=True):
        text = text.replace(data, " ")
    text = CODE.sub(" ", text)
    return sorted({w for w in LATIN_WORD.findall(text) if w not in ALLOWED_WORDS})


def test_the_reading_keeps_codes_names_and_data_out():
    text = (
        "Код RU-KHANKAISKY, тигр T-01 · наблюдатель RU-OBS-007 · ranger_ru · "
        "[synthetic demo data] · CSV, GeoJSON · English · Reconyx HF2X · "
        "http://127.0.0.1:9/api · Dashboard of the site"
    )
    found = english_words(text, not_words=["ranger_ru", "[synthetic demo data]"])
    assert found == ["Dashboard", "of", "site", "the"]


# --- the world the readers find -----------------------------------------------------------


IMPORTED_FILE = "учёт-ханка-2025.csv"


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    """No network in tests: the record form's map comes without tiles."""
    settings.MAP_TILES_URL = ""


@pytest.fixture
def world(people, khankaisky, xingkaihu):
    """A year of demo records (one of them flagged by the coordinator), a crane census with
    Khankaisky's count, a camera station, the Chinese partner node with an agreement and a
    page sent, an export and an import."""
    make_demo_data(years=1)
    crane = Species.objects.get(scientific_name="Grus japonensis")
    record = (
        Observation.objects.filter(protected_area=khankaisky, status="verified")
        .order_by("-observed_at")
        .first()
    )

    remark_create(
        access=access_for(people.coordinator_ru),
        user=people.coordinator_ru,
        observation=record,
        kind="flag",
        reason="wrong_place",
        text="Точка далеко от маршрута: проверьте координаты.",
    )

    campaign = make_campaign(people.coordinator_ru)
    answer = api_client(people.ranger_ru).post(
        f"/api/v1/census/campaigns/{campaign.pk}/counts/",
        count_body(khankaisky, weather="ясно, штиль, −2 °C", notes="стаи на северном берегу"),
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    count = answer.json()["id"]

    deployment = make_deployment(people.ranger_ru, khankaisky)

    partner = Node.objects.create(code="CN", base_url="http://127.0.0.1:9", public_key="x")
    SyncState.objects.create(partner=partner, checkpoint=10, partner_head=25, records_received=7)
    agreement = agreement_save(
        partner=partner,
        user=people.coordinator_ru,
        species=[crane, Species.objects.get(scientific_name="Panthera tigris altaica")],
        protected_areas=[khankaisky],
        statuses=["verified"],
        embargo_days=30,
        precision={"Panthera tigris altaica": "10km"},
        media_level="thumbnails",
        licence="CC-BY-4.0",
    )
    SentPage.objects.create(
        partner=partner,
        after=0,
        until=3,
        agreement_version=agreement.version,
        upserts=1,
        items=[{"seq": 3, "kind": "observation", "id": str(record.pk), "action": "upsert"}],
    )
    export = ExportJob.objects.create(
        user=people.coordinator_ru,
        format=ExportJob.Format.CSV,
        filters={"species": [crane.scientific_name], "status": ["verified"]},
        licence="CC-BY-4.0",
        status=ExportJob.Status.DONE,
        total_rows=12,
        processed_rows=12,
    )
    import_job = ImportJob.objects.create(
        user=people.ranger_ru,
        filename=IMPORTED_FILE,
        protected_area=khankaisky.code,
        status=ImportJob.Status.DONE,
        total_rows=3,
        created=2,
        unchanged=1,
    )
    summary = summaries.summary_create(
        access=None,
        user=people.coordinator_ru,
        species="Grus japonensis",
        scope="joint",
        year=timezone.now().year - 1,
        enqueue=False,
    )
    summaries.summary_run(summary_id=summary.pk)

    coordinator = access_for(people.coordinator_ru)
    dataset = datasets.dataset_create(
        access=coordinator,
        user=people.coordinator_ru,
        values={
            "title": "Журавли Ханки",
            "description_en": "",
            "description_ru": "Семинар по учёту журавлей.",
            "description_zh": "鹤类调查研讨会。",
            "licence": "CC-BY-4.0",
            "query": {"species": [crane.scientific_name], "status": ["verified"]},
        },
    )
    datasets.reviewer_invite(
        access=coordinator, user=people.coordinator_ru, dataset=dataset, username="manager_ru"
    )
    publish.version_publish(access=coordinator, user=people.coordinator_ru, dataset=dataset)

    return {
        "summary": summary.pk,
        "dataset": dataset.pk,
        "species": crane.pk,
        "pa": khankaisky.code,
        "record": record.pk,
        "campaign": campaign.pk,
        "count": count,
        "deployment": deployment.pk,
        "export": export.pk,
        "import_job": import_job.pk,
    }


def not_words() -> list[str]:
    """Data, not interface: login names (the reader's own in the header, others' as the
    authors of records), the markers of the synthetic demo data, the name of the file the
    ranger uploaded."""
    return [user.username for user in DEMO_USERS] + list(DEMO_NOTES) + [IMPORTED_FILE]


def report(english: dict[str, list[str]]) -> str:
    return "English words left:\n" + "\n".join(
        f"{url}: {' '.join(words)}" for url, words in english.items()
    )


def choose_language(page, lang: str) -> None:
    """The language switcher of the page (a select that submits itself)."""
    page.select_option("#language-select", lang)
    page.wait_for_url(re.compile(f"/{lang}/"))
    assert page.locator("html").get_attribute("lang") == lang


def read_pages(page, reader: str, world: dict, lang: str) -> dict[str, list[str]]:
    """Every page of ``reader``, in the language of the switcher: its English words."""
    found = {}
    for entry in PAGES:
        if reader not in entry.readers:
            continue
        answer = page.goto(entry.path.format(**world))
        page.wait_for_load_state()
        url = page.url
        assert answer.ok and f"/{lang}/" in url, (entry.path, url, answer.status)
        text = page.evaluate(READ_TEXT, NOT_READ)
        words = english_words(text, not_words=not_words())
        if words:
            found[url] = words
    return found


@pytest.mark.parametrize("reader", EVERYONE)
def test_the_main_pages_speak_russian_and_chinese(page, log_in, world, reader):
    log_in(reader)
    english = {}
    for lang in LANGUAGES:
        choose_language(page, lang)
        english.update(read_pages(page, reader, world, lang))
    assert not english, report(english)


def test_the_login_page_speaks_russian_and_chinese(page, people):
    page.goto("/en/accounts/login/")
    english = {}
    for lang in LANGUAGES:
        choose_language(page, lang)
        assert page.url.endswith(f"/{lang}/accounts/login/")
        words = english_words(page.evaluate(READ_TEXT, NOT_READ), not_words=[])
        if words:
            english[page.url] = words
    assert not english, report(english)
