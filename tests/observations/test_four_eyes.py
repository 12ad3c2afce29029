"""Four eyes: a PA manager does not verify a record they filed themselves.

manager_ru files records at Khankaisky too; manager_two is the PA's second manager.
By default (``sensitive``) the rule covers species whose places are not shared exactly
(tigers, leopards, storks, cranes); a PA may ask for it on ``all`` records or turn it
``off``. Rejecting or reopening one's own record stays allowed.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from observations.access import access_for
from observations.errors import NotAllowed
from observations.models import Membership, ProtectedArea, RecordStatus, Role
from observations.records import services

pytestmark = pytest.mark.django_db

TIGER = "Panthera tigris altaica"
CRANE = "Grus japonensis"
PINE = "Pinus koraiensis"  # a plant: its places are shared exactly
REFUSAL = "You filed this record: another manager of the PA must verify it."


@pytest.fixture
def manager_two(people, khankaisky):
    user = get_user_model().objects.create_user("manager_two", password="demo")
    Membership.objects.create(user=user, role=Role.PA_MANAGER, protected_area=khankaisky)
    return user


def set_four_eyes(pa, mode):
    ProtectedArea.objects.filter(pk=pa.pk).update(four_eyes=mode)


def file(person, species=TIGER, **values):
    """A submitted record of Khankaisky, filed by ``person``."""
    values = {
        "protected_area": "RU-KHANKAISKY",
        "species": species,
        "evidence": "sighting",
        "observed_at": dt.datetime(2025, 5, 1, 6, 30),
        "count": 1,
        "latitude": 44.9123,
        "longitude": 132.4567,
        **values,
    }
    access = access_for(person)
    record, _ = services.observation_create(access=access, user=person, values=values)
    return services.record_submit(access=access, user=person, record=record)


def verify(person, record):
    fresh = type(record).objects.get(pk=record.pk)  # as a request would load it
    return services.record_verify(access=access_for(person), user=person, record=fresh)


def status_of(record):
    return type(record).objects.get(pk=record.pk).status


# --- the rule ---------------------------------------------------------------------------


def test_the_default_is_four_eyes_for_sensitive_species(khankaisky):
    assert khankaisky.four_eyes == ProtectedArea.FourEyes.SENSITIVE == "sensitive"


def test_a_manager_cannot_verify_their_own_tiger_record(people):
    record = file(people.manager_ru)

    with pytest.raises(NotAllowed) as refused:
        verify(people.manager_ru, record)

    assert refused.value.code == "four_eyes"
    assert str(refused.value.message) == REFUSAL
    assert status_of(record) == RecordStatus.SUBMITTED
    assert access_for(people.manager_ru).can_review_record(record)
    assert not access_for(people.manager_ru).can_verify_record(record)


def test_another_manager_of_the_pa_verifies_it(people, manager_two):
    record = file(people.manager_ru)
    verify(manager_two, record)
    assert status_of(record) == RecordStatus.VERIFIED


def test_a_rangers_record_is_verified_by_the_manager_as_before(people):
    record = file(people.ranger_ru)
    verify(people.manager_ru, record)
    assert status_of(record) == RecordStatus.VERIFIED


def test_admins_are_no_exception_when_they_filed_the_record(people, manager_two):
    record = file(people.admin)
    with pytest.raises(NotAllowed):
        verify(people.admin, record)
    verify(manager_two, record)
    assert status_of(record) == RecordStatus.VERIFIED


def test_rejecting_or_reopening_ones_own_record_stays_allowed(people, manager_two):
    mine = file(people.manager_ru)
    services.record_reject(
        access=access_for(people.manager_ru), user=people.manager_ru, record=mine, reason="typo"
    )
    assert status_of(mine) == RecordStatus.REJECTED

    other = file(people.manager_ru)
    verified = verify(manager_two, other)
    services.record_reopen(
        access=access_for(people.manager_ru),
        user=people.manager_ru,
        record=verified,
        reason="wrong count",
    )
    assert status_of(other) == RecordStatus.SUBMITTED


def test_a_crane_in_a_pa_set_to_off_is_verified_by_its_own_author(people, khankaisky):
    set_four_eyes(khankaisky, ProtectedArea.FourEyes.OFF)
    record = file(people.manager_ru, CRANE)
    verify(people.manager_ru, record)
    assert status_of(record) == RecordStatus.VERIFIED


def test_a_crane_is_sensitive_by_default(people):
    with pytest.raises(NotAllowed):
        verify(people.manager_ru, file(people.manager_ru, CRANE))


def test_a_species_shared_exactly_is_free_by_default_and_covered_under_all(people, khankaisky):
    free = file(people.manager_ru, PINE, count=1)
    verify(people.manager_ru, free)
    assert status_of(free) == RecordStatus.VERIFIED

    set_four_eyes(khankaisky, ProtectedArea.FourEyes.ALL)
    covered = file(people.manager_ru, PINE, count=1)
    with pytest.raises(NotAllowed):
        verify(people.manager_ru, covered)


def test_survey_events_are_covered_only_under_all(people, khankaisky):
    access = access_for(people.manager_ru)

    def event():
        record, _ = services.event_create(
            access=access,
            user=people.manager_ru,
            values={
                "protected_area": "RU-KHANKAISKY",
                "kind": "transect",
                "started_at": dt.datetime(2025, 5, 1, 6, 0),
                "ended_at": dt.datetime(2025, 5, 1, 9, 0),
                "effort_km": 7.5,
            },
        )
        return services.record_submit(access=access, user=people.manager_ru, record=record)

    verify(people.manager_ru, event())
    set_four_eyes(khankaisky, ProtectedArea.FourEyes.ALL)
    with pytest.raises(NotAllowed):
        verify(people.manager_ru, event())


# --- in bulk ----------------------------------------------------------------------------


def test_bulk_review_refuses_the_own_ones_and_verifies_the_others(people):
    own = [file(people.manager_ru), file(people.manager_ru, CRANE)]
    theirs = file(people.ranger_ru)

    result = services.observations_review(
        access=access_for(people.manager_ru),
        user=people.manager_ru,
        ids=[own[0].pk, theirs.pk, own[1].pk],
        action="verify",
    )

    assert result["done"] == [str(theirs.pk)]
    assert result["refused"] == [
        {"id": str(record.pk), "code": "four_eyes", "detail": REFUSAL} for record in own
    ]
    assert [status_of(r) for r in own] == [RecordStatus.SUBMITTED] * 2


def test_bulk_rejection_of_ones_own_records_goes_through(people):
    own = file(people.manager_ru)
    result = services.observations_review(
        access=access_for(people.manager_ru),
        user=people.manager_ru,
        ids=[own.pk],
        action="reject",
        reason="duplicate",
    )
    assert result == {"done": [str(own.pk)], "refused": []}


# --- the API ----------------------------------------------------------------------------


def test_the_api_refuses_with_403_and_code_four_eyes_in_the_callers_language(api, people):
    record = file(people.manager_ru)
    api.force_authenticate(people.manager_ru)

    refused = api.post(f"/api/v1/observations/{record.pk}/verify/", HTTP_ACCEPT_LANGUAGE="ru")

    assert refused.status_code == 403
    assert refused.json()["code"] == "four_eyes"
    assert (
        refused.json()["detail"]
        == "Эту запись внесли вы: подтвердить её должен другой руководитель ООПТ."
    )
    assert status_of(record) == RecordStatus.SUBMITTED


def test_the_api_lets_another_manager_verify(api, people, manager_two):
    record = file(people.manager_ru)
    api.force_authenticate(manager_two)
    assert api.post(f"/api/v1/observations/{record.pk}/verify/").status_code == 200
    assert status_of(record) == RecordStatus.VERIFIED


def test_the_api_bulk_review_answers_per_record(api, people):
    own, theirs = file(people.manager_ru), file(people.ranger_ru)
    api.force_authenticate(people.manager_ru)
    answer = api.post(
        "/api/v1/observations/review/",
        {"ids": [str(own.pk), str(theirs.pk)], "action": "verify"},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["done"] == [str(theirs.pk)]
    assert [(r["id"], r["code"]) for r in answer.json()["refused"]] == [(str(own.pk), "four_eyes")]


# --- the pages --------------------------------------------------------------------------


def test_the_record_page_hides_verify_from_its_author_and_says_why(client, people, manager_two):
    record = file(people.manager_ru)

    client.force_login(people.manager_ru)
    own = client.get(f"/en/records/{record.pk}/").content.decode()
    assert 'value="verify"' not in own
    assert 'value="reject"' in own
    assert REFUSAL in own

    client.force_login(manager_two)
    other = client.get(f"/en/records/{record.pk}/").content.decode()
    assert 'value="verify"' in other
    assert REFUSAL not in other


def test_verifying_ones_own_record_from_its_page_is_refused(client, people):
    record = file(people.manager_ru)
    client.force_login(people.manager_ru)
    answer = client.post(f"/en/records/{record.pk}/review/", {"action": "verify"}, follow=True)
    assert REFUSAL in [str(m) for m in answer.context["messages"]]
    assert status_of(record) == RecordStatus.SUBMITTED


def test_the_review_queue_marks_the_own_records_and_refuses_them_in_bulk(client, people):
    own, theirs = file(people.manager_ru), file(people.ranger_ru)
    client.force_login(people.manager_ru)

    queue = client.get("/en/review/")
    assert queue.context["four_eyes"] == {own.pk}
    assert "Filed by you: another manager verifies it." in queue.content.decode()

    answer = client.post(
        "/en/review/", {"ids": [own.pk, theirs.pk], "action": "verify"}, follow=True
    )
    said = [str(m) for m in answer.context["messages"]]
    assert "1 record verified." in said
    assert f"1 record refused: {REFUSAL}" in said
    assert status_of(own) == RecordStatus.SUBMITTED
    assert status_of(theirs) == RecordStatus.VERIFIED


def test_the_admin_shows_and_edits_the_setting(client, people, khankaisky):
    client.force_login(people.admin)
    listing = client.get("/en/admin/observations/protectedarea/").content.decode()
    assert "four-eyes review" in listing.lower()
    url = f"/en/admin/observations/protectedarea/{khankaisky.pk}/change/"
    page = client.get(url)
    assert 'name="four_eyes"' in page.content.decode()

    form = page.context["adminform"].form
    data = {name: _posted(form[name].value()) for name in form.fields}
    data["four_eyes"] = "off"
    saved = client.post(url, data)

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert ProtectedArea.objects.get(pk=khankaisky.pk).four_eyes == "off"


def _posted(value):
    """A form field's current value as a browser would post it back."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [getattr(v, "pk", v) for v in value]
    return value
