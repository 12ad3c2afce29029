"""The record pages as their people use them: ranger_ru files records at Khankaisky and
reads "my records", manager_ru verifies and rejects them in the review queue, the
outsider (a ranger of Bastak) and the workshop reviewer try what they may not."""

import datetime as dt
import re

import pytest

from observations.access import access_for
from observations.models import Observation, Species
from observations.records import services

pytestmark = pytest.mark.django_db

CRANE = "Grus japonensis"
TIGER = "Panthera tigris altaica"
LEOPARD = "Panthera pardus orientalis"


def file(person, *, species=CRANE, pa="RU-KHANKAISKY", submit=False, **values) -> Observation:
    """A record filed by ``person`` through the service (as the form does)."""
    values = {
        "protected_area": pa,
        "species": species,
        "evidence": "sighting" if species == CRANE else "track",
        "observed_at": dt.datetime(2025, 5, 1, 6, 30),
        "count": 3,
        "latitude": 44.9123,
        "longitude": 132.4567,
        **values,
    }
    access = access_for(person)
    record, _ = services.observation_create(access=access, user=person, values=values)
    if submit:
        services.record_submit(access=access, user=person, record=record)
    return record


def verify(manager, record):
    return services.record_verify(access=access_for(manager), user=manager, record=record)


def reject(manager, record, reason="Cranes do not perch in trees: check the species."):
    return services.record_reject(
        access=access_for(manager), user=manager, record=record, reason=reason
    )


def page_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the form ---------------------------------------------------------------------------


def test_the_record_pages_ask_for_a_login(client, people):
    """Nobody logged in is sent to the login page, whatever the record page."""
    record = file(people.ranger_ru)
    for url in [
        "/en/records/new/",
        "/en/records/mine/",
        f"/en/records/{record.pk}/",
        "/en/review/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_offers_the_rangers_own_protected_area_and_species_in_her_language(client, people):
    """ranger_ru's form names Khankaisky alone, and speaks Russian on the Russian page."""
    client.force_login(people.ranger_ru)
    page = page_of(client.get("/en/records/new/"))
    assert "Khankaisky" in page and "Bastak" not in page
    assert "Red-crowned crane" in page
    assert 'type="datetime-local"' in page
    assert "leaflet/leaflet.js" in page and "js/record-form.js" in page
    russian = page_of(client.get("/ru/records/new/"))
    assert "японский журавль" in russian


def test_a_ranger_saves_a_draft_and_then_submits_it(client, people):
    """Save as draft keeps it private; the record page's Submit sends it to the manager."""
    client.force_login(people.ranger_ru)
    crane = Species.objects.get(scientific_name=CRANE)
    response = client.post(
        "/en/records/new/",
        {
            "protected_area": "RU-KHANKAISKY",
            "species": crane.pk,
            "evidence": "sighting",
            "observed_at": "2025-05-01T06:30",
            "count": "2",
            "latitude": "44.95",
            "longitude": "132.45",
            "datum": "WGS84",
            "sex": "unknown",
            "age_class": "unknown",
            "action": "draft",
        },
        follow=True,
    )
    record = Observation.objects.get()
    assert record.status == "draft" and record.source == "form"
    assert "Saved as a draft." in " ".join(messages_of(response))
    response = client.post(f"/en/records/{record.pk}/submit/", follow=True)
    record.refresh_from_db()
    assert record.status == "submitted"
    assert "Record submitted for review." in messages_of(response)


def test_save_and_submit_does_both_at_once(client, people):
    """The second button files the record straight into the review queue."""
    client.force_login(people.ranger_ru)
    crane = Species.objects.get(scientific_name=CRANE)
    data = {
        "protected_area": "RU-KHANKAISKY",
        "species": crane.pk,
        "evidence": "call",
        "observed_at": "2025-05-02T05:00",
        "count": "1",
        "action": "submit",
    }
    client.post("/en/records/new/", data)
    assert Observation.objects.get().status == "submitted"


def test_a_double_tap_files_the_record_once(client, people):
    """The form carries the record's id: the same form sent twice makes one record."""
    client.force_login(people.ranger_ru)
    page = page_of(client.get("/en/records/new/"))
    record_id = re.search(r'name="id" value="([0-9a-f-]+)"', page).group(1)
    crane = Species.objects.get(scientific_name=CRANE)
    data = {
        "id": record_id,
        "protected_area": "RU-KHANKAISKY",
        "species": crane.pk,
        "evidence": "sighting",
        "observed_at": "2025-05-01T06:30",
        "count": "2",
        "action": "submit",
    }
    first = client.post("/en/records/new/", data)
    second = client.post("/en/records/new/", data)
    assert first["Location"] == second["Location"] == f"/en/records/{record_id}/"
    assert Observation.objects.count() == 1
    changed = client.post("/en/records/new/", {**data, "count": "7"})
    assert "already saved" in page_of(changed)
    assert Observation.objects.count() == 1


# --- my records ---------------------------------------------------------------------------


def test_my_records_lists_the_rangers_own_records_newest_first_with_their_status(client, people):
    """ranger_ru sees her draft, submitted and rejected records, not the manager's."""
    ranger, manager = people.ranger_ru, people.manager_ru
    file(ranger, notes="first")
    rejected = reject(manager, file(ranger, submit=True, count=4))
    file(ranger, submit=True, count=5)
    file(manager, count=9)
    client.force_login(ranger)
    response = client.get("/en/records/mine/")
    rows = response.context["records"]
    assert [r.count for r in rows] == [5, 4, 3]
    assert [r.status for r in rows] == ["submitted", "rejected", "draft"]
    page = page_of(response)
    assert rejected.rejection_reason in page
    assert f"/en/records/{rejected.pk}/edit/" in page


def test_my_records_filters_by_status(client, people):
    """The tabs narrow the list; each tab counts its records."""
    file(people.ranger_ru)
    file(people.ranger_ru, submit=True)
    client.force_login(people.ranger_ru)
    response = client.get("/en/records/mine/?status=draft")
    assert [r.status for r in response.context["records"]] == ["draft"]
    tabs = {value: count for value, _label, count in response.context["tabs"]}
    assert tabs == {"": 2, "draft": 1, "submitted": 1, "verified": 0, "rejected": 0}
    assert client.get("/en/records/mine/?status=bogus").context["status"] == ""


def test_my_records_pages_with_a_keyset(client, people, monkeypatch):
    """Older records are one link away; no record is shown twice or skipped."""
    monkeypatch.setattr("observations.records.views.PAGE_SIZE", 2)
    made = [file(people.ranger_ru, count=n) for n in range(5)]
    client.force_login(people.ranger_ru)
    seen, url = [], "/en/records/mine/"
    while url:
        response = client.get(url)
        seen += [r.pk for r in response.context["records"]]
        next_url = response.context["next_url"]
        url = f"/en/records/mine/{next_url}" if next_url else None
    assert seen == [r.pk for r in reversed(made)]
    assert client.get("/en/records/mine/?after=garbage").status_code == 200


# --- the record page ----------------------------------------------------------------------


def test_the_record_page_shows_every_field_in_the_protected_areas_time(client, people):
    """06:30 at Khankaisky is shown as 06:30, with the zone named."""
    record = file(people.ranger_ru, notes="Two adults and a chick on the dyke.")
    client.force_login(people.ranger_ru)
    page = page_of(client.get(f"/en/records/{record.pk}/"))
    for text in [
        "Red-crowned crane",
        "Khankaisky",
        "2025-05-01 06:30",
        "Asia/Vladivostok",
        "44.9123, 132.4567",
        "Two adults and a chick on the dyke.",
        "sighting",
        "ranger_ru",
    ]:
        assert text in page
    assert client.get("/en/records/00000000-0000-4000-8000-000000000000/").status_code == 404


def test_the_change_history_says_who_changed_what_and_when(client, people):
    """Created, changed, submitted, rejected with its reason, fixed, submitted again."""
    ranger, manager = people.ranger_ru, people.manager_ru
    record = file(ranger)
    client.force_login(ranger)
    url = f"/en/records/{record.pk}/"
    edit = {
        "protected_area": "RU-KHANKAISKY",
        "species": Species.objects.get(scientific_name=CRANE).pk,
        "evidence": "sighting",
        "observed_at": "2025-05-01T07:15",
        "count": "5",
        "latitude": "44.9123",
        "longitude": "132.4567",
        "action": "submit",
    }
    assert client.post(f"{url}edit/", edit)["Location"] == url
    reject(manager, Observation.objects.get(pk=record.pk), reason="Five? The photo shows four.")
    client.post(f"{url}edit/", {**edit, "count": "4", "action": "submit"})
    response = client.get(url)
    history = response.context["history"]
    assert [v.kind for v in history][-1] == "Created"
    assert len(history) == 6
    assert history[-1].who == "ranger_ru"
    changed = {c.field: (c.old, c.new) for c in history[-2].changes}
    assert changed["count"] == ("3", "5")
    assert changed["observed_at"] == ("2025-05-01 06:30", "2025-05-01 07:15")
    rejection = history[2]
    assert rejection.who == "manager_ru"
    assert {c.field: c.new for c in rejection.changes} == {
        "status": "rejected",
        "rejection_reason": "Five? The photo shows four.",
    }
    assert {c.field: c.new for c in history[0].changes}["status"] == "submitted"
    page = page_of(response)
    assert "Count" in page and "Five? The photo shows four." in page


def test_a_tigers_exact_place_is_kept_from_those_outside_the_protected_area(client, people):
    """The reviewer and the outsider see a verified tiger on a 10 km grid; the coordinator
    of Russia and the PA's own people see the point, in the history too."""
    record = file(people.ranger_ru, species=TIGER, submit=True)
    verify(people.manager_ru, record)
    for person in (people.reviewer, people.outsider):
        client.force_login(person)
        page = page_of(client.get(f"/en/records/{record.pk}/"))
        assert "44.95, 132.45" in page
        assert "44.9123" not in page and "132.4567" not in page
        assert "Shown generalised" in page
    for person in (people.coordinator_ru, people.manager_ru, people.ranger_ru):
        client.force_login(person)
        assert "44.9123, 132.4567" in page_of(client.get(f"/en/records/{record.pk}/"))


def test_a_move_is_shown_generalised_in_the_history(client, people):
    """A tiger moved by a few hundred metres leaves no trace of its point in the history."""
    ranger = people.ranger_ru
    record = file(ranger, species=TIGER)
    services.observation_update(
        access=access_for(ranger),
        user=ranger,
        observation=record,
        values={"latitude": 44.9177, "longitude": 132.4601},
    )
    services.observation_update(
        access=access_for(ranger),
        user=ranger,
        observation=record,
        values={"latitude": 45.0511, "longitude": 132.4601},
    )
    services.record_submit(access=access_for(ranger), user=ranger, record=record)
    verify(people.manager_ru, record)
    client.force_login(people.reviewer)
    page = page_of(client.get(f"/en/records/{record.pk}/"))
    for exact in ("44.9123", "44.9177", "45.0511", "132.4567", "132.4601"):
        assert exact not in page
    assert "44.95" in page and "45.05" in page  # the 10 km cells it moved between
    client.force_login(ranger)
    assert "45.0511" in page_of(client.get(f"/en/records/{record.pk}/"))


def test_a_draft_is_deleted_after_a_confirmation(client, people):
    """The confirmation page, then the POST; a submitted record cannot be deleted."""
    draft = file(people.ranger_ru)
    submitted = file(people.ranger_ru, submit=True)
    client.force_login(people.ranger_ru)
    assert "Delete draft" in page_of(client.get(f"/en/records/{draft.pk}/delete/"))
    response = client.post(f"/en/records/{draft.pk}/delete/")
    assert response["Location"] == "/en/records/mine/"
    assert not Observation.objects.filter(pk=draft.pk).exists()
    response = client.post(f"/en/records/{submitted.pk}/delete/", follow=True)
    assert "Only drafts can be deleted." in messages_of(response)
    assert Observation.objects.filter(pk=submitted.pk).exists()


# --- the review workflow ----------------------------------------------------------------


def test_the_review_queue_holds_the_managers_submitted_records(client, people, bastak):
    """Submitted Khankaisky records only: no drafts, nothing verified, nothing of Bastak."""
    ranger = people.ranger_ru
    waiting = file(ranger, submit=True)
    file(ranger)
    verify(people.manager_ru, file(ranger, submit=True))
    file(people.outsider, pa="RU-BASTAK", submit=True)
    client.force_login(people.manager_ru)
    response = client.get("/en/review/")
    assert [r.pk for r in response.context["records"]] == [waiting.pk]
    assert response.context["total"] == 1


def test_a_manager_verifies_records_in_bulk(client, people):
    """Two ticked, one click: both verified, and the page says so."""
    ranger = people.ranger_ru
    first, second, untouched = (file(ranger, submit=True) for _ in range(3))
    client.force_login(people.manager_ru)
    response = client.post(
        "/en/review/", {"ids": [first.pk, second.pk], "action": "verify"}, follow=True
    )
    assert response.redirect_chain == [("/en/review/", 302)]
    assert "2 records verified." in messages_of(response)
    statuses = dict(Observation.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "verified", second.pk: "verified", untouched.pk: "submitted"}
    first.refresh_from_db()
    assert first.reviewed_by == people.manager_ru


def test_a_manager_rejects_in_bulk_with_a_reason_and_the_ranger_fixes_it(client, people):
    """The reason reaches the ranger on "my records" and the record page; she fixes the
    record and submits it again, and it is back in the queue."""
    ranger = people.ranger_ru
    record = file(ranger, submit=True)
    client.force_login(people.manager_ru)
    response = client.post(
        "/en/review/",
        {"ids": [record.pk], "action": "reject", "reason": "No time of day: was it at dawn?"},
        follow=True,
    )
    assert "1 record rejected." in messages_of(response)
    client.force_login(ranger)
    assert "No time of day: was it at dawn?" in page_of(client.get("/en/records/mine/"))
    page = page_of(client.get(f"/en/records/{record.pk}/"))
    assert "No time of day: was it at dawn?" in page
    assert f"/en/records/{record.pk}/edit/" in page
    edit_page = page_of(client.get(f"/en/records/{record.pk}/edit/"))
    assert "No time of day: was it at dawn?" in edit_page
    response = client.post(
        f"/en/records/{record.pk}/edit/",
        {
            "protected_area": "RU-KHANKAISKY",
            "species": record.species_id,
            "evidence": "sighting",
            "observed_at": "2025-05-01T04:50",
            "count": "3",
            "notes": "At dawn.",
            "action": "submit",
        },
    )
    record.refresh_from_db()
    assert record.status == "submitted" and record.rejection_reason == ""
    assert record.notes == "At dawn."
    client.force_login(people.manager_ru)
    assert [r.pk for r in client.get("/en/review/").context["records"]] == [record.pk]


def test_a_rejection_needs_a_reason(client, people):
    """Reject selected without a reason refuses every record, saying why."""
    record = file(people.ranger_ru, submit=True)
    client.force_login(people.manager_ru)
    response = client.post("/en/review/", {"ids": [record.pk], "action": "reject"}, follow=True)
    assert "1 record refused: Say why the record is rejected." in messages_of(response)
    record.refresh_from_db()
    assert record.status == "submitted"


def test_the_queue_says_which_records_it_refused(client, people):
    """A record already verified and one of another PA are refused; the rest are done."""
    ranger = people.ranger_ru
    waiting = file(ranger, submit=True)
    done = verify(people.manager_ru, file(ranger, submit=True))
    elsewhere = file(people.outsider, pa="RU-BASTAK", submit=True)
    client.force_login(people.manager_ru)
    response = client.post(
        "/en/review/",
        {"ids": [waiting.pk, done.pk, elsewhere.pk, "not-a-uuid"], "action": "verify"},
        follow=True,
    )
    said = messages_of(response)
    assert "1 record verified." in said
    assert "1 record refused: Only submitted records can be reviewed." in said
    assert "1 record refused: not found, or not yours to review" in said
    elsewhere.refresh_from_db()
    assert elsewhere.status == "submitted"


def test_nothing_selected_is_nothing_done(client, people):
    """The queue asks for a choice instead of doing nothing silently."""
    client.force_login(people.manager_ru)
    response = client.post("/en/review/", {"action": "verify"}, follow=True)
    assert "Select at least one record." in messages_of(response)


def test_a_manager_verifies_or_rejects_from_the_record_page(client, people):
    """The record page has the same two buttons for one record."""
    first = file(people.ranger_ru, submit=True)
    second = file(people.ranger_ru, submit=True)
    client.force_login(people.manager_ru)
    page = page_of(client.get(f"/en/records/{first.pk}/"))
    assert f"/en/records/{first.pk}/review/" in page
    client.post(f"/en/records/{first.pk}/review/", {"action": "verify"})
    response = client.post(f"/en/records/{second.pk}/review/", {"action": "reject"}, follow=True)
    assert "Say why the record is rejected." in messages_of(response)
    client.post(f"/en/records/{second.pk}/review/", {"action": "reject", "reason": "Blurred."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("verified", "rejected")
    assert second.rejection_reason == "Blurred."


def test_a_long_rejection_reason_is_kept_whole(client, people):
    """A manager may explain at length; the history's note is shortened, the reason is not."""
    record = file(people.ranger_ru, submit=True)
    reason = "The photo shows a grey heron, not a crane: " + "look at the neck. " * 20
    client.force_login(people.manager_ru)
    client.post("/en/review/", {"ids": [record.pk], "action": "reject", "reason": reason})
    record.refresh_from_db()
    assert record.status == "rejected" and record.rejection_reason == reason.strip()


# --- who may do what ----------------------------------------------------------------------


def test_the_outsider_cannot_file_records_for_khankaisky(client, people):
    """The Bastak ranger's form refuses Khankaisky, and nothing is saved."""
    client.force_login(people.outsider)
    crane = Species.objects.get(scientific_name=CRANE)
    response = client.post(
        "/en/records/new/",
        {
            "protected_area": "RU-KHANKAISKY",
            "species": crane.pk,
            "evidence": "sighting",
            "observed_at": "2025-05-01T06:30",
            "action": "submit",
        },
    )
    assert "You may not file records for this protected area." in page_of(response)
    assert not Observation.objects.exists()


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("get", "edit/"),
        ("post", "edit/"),
        ("post", "submit/"),
        ("get", "delete/"),
        ("post", "delete/"),
        ("post", "review/"),
    ],
)
def test_the_outsider_cannot_read_or_change_khankaisky_records(
    client, people, status, method, path
):
    """Not yet verified, a Khankaisky record does not exist for the Bastak ranger: 404."""
    record = file(people.ranger_ru, submit=status != "draft")
    if status == "rejected":
        reject(people.manager_ru, record)
    client.force_login(people.outsider)
    response = getattr(client, method)(
        f"/en/records/{record.pk}/{path}", {"action": "verify", "count": "99"}
    )
    assert response.status_code == 404
    assert Observation.objects.get(pk=record.pk).status == status


def test_a_manager_cannot_read_a_rangers_draft(client, people):
    """A draft is its author's alone until submitted."""
    draft = file(people.ranger_ru)
    client.force_login(people.manager_ru)
    assert client.get(f"/en/records/{draft.pk}/").status_code == 404
    assert client.get("/en/records/mine/").context["records"] == []


def test_nobody_changes_a_verified_record(client, people):
    """Verified is final: the author, the outsider and the reviewer may read it, not change it."""
    record = verify(people.manager_ru, file(people.ranger_ru, submit=True))
    for person in (people.ranger_ru, people.outsider, people.reviewer):
        client.force_login(person)
        page = page_of(client.get(f"/en/records/{record.pk}/"))
        assert f"/en/records/{record.pk}/edit/" not in page
        response = client.post(
            f"/en/records/{record.pk}/edit/", {"count": "99", "action": "draft"}, follow=True
        )
        assert "Only draft or rejected records can be changed." in messages_of(response)
        client.post(f"/en/records/{record.pk}/submit/")
        client.post(f"/en/records/{record.pk}/delete/")
    record.refresh_from_db()
    assert (record.status, record.count) == ("verified", 3)


def test_the_reviewer_cannot_write(client, people):
    """The workshop reviewer reads; the form, the queue and the review answer 404."""
    submitted = file(people.ranger_ru, submit=True)
    client.force_login(people.reviewer)
    assert client.get("/en/records/new/").status_code == 404
    crane = Species.objects.get(scientific_name=CRANE)
    response = client.post(
        "/en/records/new/",
        {
            "protected_area": "RU-KHANKAISKY",
            "species": crane.pk,
            "evidence": "sighting",
            "observed_at": "2025-05-01T06:30",
        },
    )
    assert response.status_code == 404
    assert client.get("/en/review/").status_code == 404
    assert (
        client.post("/en/review/", {"ids": [submitted.pk], "action": "verify"}).status_code == 404
    )
    assert (
        client.post(f"/en/records/{submitted.pk}/review/", {"action": "verify"}).status_code == 404
    )
    assert Observation.objects.count() == 1
    assert Observation.objects.get().status == "submitted"


def test_a_ranger_cannot_verify_her_own_record(client, people):
    """Only the PA manager reviews: the ranger has no queue and her POST is refused."""
    record = file(people.ranger_ru, submit=True)
    client.force_login(people.ranger_ru)
    assert client.get("/en/review/").status_code == 404
    assert "/review/" not in page_of(client.get(f"/en/records/{record.pk}/"))
    response = client.post(f"/en/records/{record.pk}/review/", {"action": "verify"}, follow=True)
    assert "You may not review this record." in messages_of(response)
    record.refresh_from_db()
    assert record.status == "submitted"


def test_the_menu_follows_the_role(client, people):
    """Rangers get the form and their records, managers also the queue, reviewers neither."""
    client.force_login(people.ranger_ru)
    page = page_of(client.get("/en/species/"))
    assert "/en/records/new/" in page and "/en/records/mine/" in page
    assert "/en/review/" not in page
    client.force_login(people.manager_ru)
    assert "/en/review/" in page_of(client.get("/en/species/"))
    client.force_login(people.reviewer)
    page = page_of(client.get("/en/species/"))
    assert "/en/records/new/" not in page and "/en/review/" not in page


# --- bounded cost -----------------------------------------------------------------------

MY_RECORDS_QUERIES = 5  # session, user, memberships, counts per status, the page
RECORD_PAGE_QUERIES = 8  # ... the record, its remarks, its versions, the species they name and
# (for those who see places generalised) the coarsest of their sensitivities
REVIEW_QUEUE_QUERIES = 5  # ... the queue, its total when longer than a page


@pytest.mark.parametrize("n", [5, 50])
def test_my_records_costs_a_fixed_number_of_queries(
    client, people, n, django_assert_max_num_queries
):
    """5 or 50 records: the same few queries."""
    for i in range(n):
        file(people.ranger_ru, count=i, submit=i % 2 == 0)
    client.force_login(people.ranger_ru)
    with django_assert_max_num_queries(MY_RECORDS_QUERIES):
        response = client.get("/en/records/mine/")
    assert len(response.context["records"]) == n


@pytest.mark.parametrize("viewer", ["ranger_ru", "reviewer"])
@pytest.mark.parametrize("n", [5, 50])
def test_the_record_page_costs_a_fixed_number_of_queries(
    client, people, n, viewer, django_assert_max_num_queries
):
    """A record of 5 or 50 versions (species, place and count changed, then submitted and
    verified) costs the same, shown exactly to its ranger or generalised to the reviewer."""
    ranger = people.ranger_ru
    record = file(ranger, species=TIGER)
    species = [LEOPARD, TIGER]
    for i in range(n - 3):
        services.observation_update(
            access=access_for(ranger),
            user=ranger,
            observation=record,
            values={"count": i + 4, "species": species[i % 2], "latitude": 44.9 + i / 100},
        )
    services.record_submit(access=access_for(ranger), user=ranger, record=record)
    verify(people.manager_ru, record)
    client.force_login(getattr(people, viewer))
    with django_assert_max_num_queries(RECORD_PAGE_QUERIES):
        response = client.get(f"/en/records/{record.pk}/")
    assert len(response.context["history"]) == n


@pytest.mark.parametrize("n", [5, 50])
def test_the_review_queue_costs_a_fixed_number_of_queries(
    client, people, n, django_assert_max_num_queries
):
    """5 or 50 records waiting: the same few queries."""
    for i in range(n):
        file(people.ranger_ru, count=i, submit=True)
    client.force_login(people.manager_ru)
    with django_assert_max_num_queries(REVIEW_QUEUE_QUERIES):
        response = client.get("/en/review/")
    assert len(response.context["records"]) == n
