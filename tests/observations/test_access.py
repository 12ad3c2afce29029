"""Who may do what, role by role: every decision comes from observations.access.

The people: ranger_ru and manager_ru work at Khankaisky (RU), ranger_cn and
manager_cn across the lake at Xingkaihu (CN); outsider is a ranger of Bastak;
the coordinators oversee their countries; reviewer reads; admin does all.
This node is the Russian one unless a test says otherwise.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from observations.access import access_for
from observations.models import Observation, RecordStatus, Species

pytestmark = pytest.mark.django_db


@pytest.fixture
def crane(seeds):
    return Species.objects.get(scientific_name="Grus japonensis")


@pytest.fixture
def record(people, khankaisky, crane):
    """A factory of Khankaisky records filed by ranger_ru, in the given status."""

    def make(status=RecordStatus.DRAFT, author=None, pa=None, origin="RU"):
        return Observation.objects.create(
            protected_area=pa or khankaisky,
            species=crane,
            observed_at=timezone.now() - timedelta(days=1),
            latitude=44.9,
            longitude=132.4,
            count=3,
            evidence="sighting",
            status=status,
            rejection_reason="blurry photo" if status == RecordStatus.REJECTED else "",
            created_by=author or people.ranger_ru,
            origin_node=origin,
        )

    return make


def can(person, question, *args):
    attr = getattr(access_for(person), question)
    return attr(*args) if callable(attr) else attr


# --- filing records -----------------------------------------------------------


def test_a_ranger_records_in_their_own_pa_only(people, khankaisky, bastak, xingkaihu):
    assert can(people.ranger_ru, "can_record_in", khankaisky)
    assert not can(people.ranger_ru, "can_record_in", bastak)
    assert not can(people.outsider, "can_record_in", khankaisky)


def test_nobody_records_for_the_other_country_on_this_node(people, xingkaihu, settings):
    settings.NODE_CODE = "RU"
    assert not can(people.ranger_cn, "can_record_in", xingkaihu)
    assert not can(people.admin, "can_record_in", xingkaihu)
    settings.NODE_CODE = "CN"
    people.ranger_cn.__dict__.pop("_amur_access", None)
    assert can(people.ranger_cn, "can_record_in", xingkaihu)


def test_a_planned_pa_takes_no_records(people, seeds):
    from observations.models import ProtectedArea

    planned = ProtectedArea.objects.filter(status="planned").first()
    assert not can(people.admin, "can_record_in", planned)


@pytest.mark.parametrize("who", ["reviewer", "coordinator_ru", "nobody"])
def test_people_outside_a_pa_do_not_write_records(people, khankaisky, who):
    person = getattr(people, who)
    assert not can(person, "can_record_in", khankaisky)
    assert not can(person, "can_write")


def test_the_recordable_pas_of_a_ranger(people, khankaisky):
    assert list(access_for(people.ranger_ru).recordable_pas()) == [khankaisky]


# --- reading records ----------------------------------------------------------


def test_a_draft_is_seen_by_its_author_only(people, record):
    draft = record(RecordStatus.DRAFT)
    assert can(people.ranger_ru, "can_view_record", draft)
    for other in ["manager_ru", "outsider", "coordinator_ru", "reviewer", "ranger_cn", "nobody"]:
        assert not can(getattr(people, other), "can_view_record", draft), other
    assert can(people.admin, "can_view_record", draft)


def test_a_submitted_record_is_seen_inside_its_pa_and_by_the_coordinator(people, record):
    submitted = record(RecordStatus.SUBMITTED)
    for who in ["ranger_ru", "manager_ru", "coordinator_ru", "admin"]:
        assert can(getattr(people, who), "can_view_record", submitted), who
    for who in ["outsider", "coordinator_cn", "reviewer", "ranger_cn", "nobody"]:
        assert not can(getattr(people, who), "can_view_record", submitted), who


def test_a_verified_record_is_seen_by_every_user_of_the_node(people, record):
    verified = record(RecordStatus.VERIFIED)
    for who in ["ranger_ru", "outsider", "reviewer", "coordinator_cn", "nobody"]:
        assert can(getattr(people, who), "can_view_record", verified), who


def test_the_visible_list_matches_the_single_record_rule(people, record):
    records = [record(s) for s in RecordStatus.values]
    for who in ["ranger_ru", "manager_ru", "outsider", "coordinator_ru", "reviewer", "admin"]:
        person = getattr(people, who)
        listed = set(access_for(person).visible_observations().values_list("pk", flat=True))
        expected = {r.pk for r in records if can(person, "can_view_record", r)}
        assert listed == expected, who


def test_anonymous_sees_nothing(record):
    from django.contrib.auth.models import AnonymousUser

    record(RecordStatus.VERIFIED)
    assert not access_for(AnonymousUser()).visible_observations().exists()


# --- changing and reviewing ---------------------------------------------------


def test_the_author_and_the_manager_change_a_draft_or_rejected_record(people, record):
    for status in [RecordStatus.DRAFT, RecordStatus.REJECTED]:
        rec = record(status)
        assert can(people.ranger_ru, "can_edit_record", rec)
        assert can(people.manager_ru, "can_edit_record", rec)
        for who in ["outsider", "coordinator_ru", "reviewer", "ranger_cn"]:
            assert not can(getattr(people, who), "can_edit_record", rec), who


def test_submitted_and_verified_records_are_frozen(people, record):
    for status in [RecordStatus.SUBMITTED, RecordStatus.VERIFIED]:
        rec = record(status)
        assert not can(people.ranger_ru, "can_edit_record", rec)
        assert not can(people.manager_ru, "can_edit_record", rec)


def test_a_record_received_from_the_partner_is_read_only_even_for_an_admin(people, record):
    received = record(RecordStatus.DRAFT, origin="CN")
    assert not can(people.admin, "can_edit_record", received)


def test_only_the_pa_manager_reviews_a_submitted_record(people, record):
    submitted = record(RecordStatus.SUBMITTED)
    assert can(people.manager_ru, "can_review_record", submitted)
    assert can(people.admin, "can_review_record", submitted)
    for who in ["ranger_ru", "outsider", "coordinator_ru", "reviewer", "manager_cn"]:
        assert not can(getattr(people, who), "can_review_record", submitted), who
    assert not can(people.manager_ru, "can_review_record", record(RecordStatus.DRAFT))


# --- node-wide powers ---------------------------------------------------------


@pytest.mark.parametrize(
    "who,exports,sees_agreements,edits_agreements,proposes_to_cn",
    [
        ("ranger_ru", False, False, False, False),
        ("manager_ru", False, False, False, False),
        ("coordinator_ru", True, True, True, False),
        # The other country's coordinator, logged in on this (Russian) node: reads what we
        # share with China and may propose a change, never saves it.
        ("coordinator_cn", True, True, False, True),
        ("reviewer", False, False, False, False),
        ("admin", True, True, True, False),
        ("nobody", False, False, False, False),
    ],
)
def test_exports_and_agreements_are_for_coordinators(
    people, settings, who, exports, sees_agreements, edits_agreements, proposes_to_cn
):
    from exchange.models import Node

    settings.NODE_CODE = "RU"
    china = Node(code="CN", base_url="http://127.0.0.1:9", public_key="x")
    person = getattr(people, who)
    assert can(person, "can_export") is exports
    # Exports with exact places are for this node's own coordinators: the same people who
    # edit what the node shares.
    assert can(person, "can_export_internal") is edits_agreements
    assert can(person, "can_view_agreements") is sees_agreements
    assert can(person, "can_edit_agreements") is edits_agreements
    assert can(person, "can_propose_agreement_change", china) is proposes_to_cn


def test_roles_are_read_from_memberships(people):
    assert access_for(people.manager_ru).roles == {"pa_manager"}
    assert access_for(people.reviewer).roles == {"reviewer"}
    assert "admin" in access_for(people.admin).roles
