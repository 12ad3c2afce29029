"""The rules that moved into observations.access from the pages: own jobs, the review
queue, deleting drafts and the flag inbox, asked of Access role by role."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from observations.access import ANONYMOUS, access_for
from observations.models import ImportJob, Observation, RecordStatus, Remark, Species
from observations.remarks.services import open_flags, remark_create

pytestmark = pytest.mark.django_db


def _job(user):
    return ImportJob.objects.create(
        user=user, file=ContentFile(b"x", name="a.csv"), filename="a.csv"
    )


def test_a_job_is_followed_by_its_owner_and_the_admins_only(people):
    mine, theirs = _job(people.ranger_ru), _job(people.manager_ru)
    ranger, admin = access_for(people.ranger_ru), access_for(people.admin)
    assert list(ranger.visible_jobs(ImportJob)) == [mine]
    assert ranger.can_view_job(mine) and not ranger.can_view_job(theirs)
    assert set(admin.visible_jobs(ImportJob)) == {mine, theirs}
    assert admin.can_view_job(theirs)
    assert list(admin.own_jobs(ImportJob)) == []  # an admin's list holds their own jobs
    assert not ANONYMOUS.visible_jobs(ImportJob).exists()
    assert not ANONYMOUS.can_view_job(mine)


def _record(people, khankaisky, status):
    return Observation.objects.create(
        protected_area=khankaisky,
        species=Species.objects.get(scientific_name="Grus japonensis"),
        observed_at=timezone.now() - timedelta(days=1),
        latitude=44.9,
        longitude=132.4,
        count=1,
        evidence="sighting",
        status=status,
        rejection_reason="blurry photo" if status == RecordStatus.REJECTED else "",
        created_by=people.ranger_ru,
        origin_node="RU",
    )


def test_the_review_queue_is_the_managers_and_lists_what_they_may_review(people, khankaisky):
    waiting = _record(people, khankaisky, RecordStatus.SUBMITTED)
    manager = access_for(people.manager_ru)
    assert manager.has_review_queue and access_for(people.admin).has_review_queue
    assert not access_for(people.ranger_ru).has_review_queue
    assert list(manager.reviewable_observations()) == [waiting]
    assert not access_for(people.manager_cn).reviewable_observations().exists()


def test_only_drafts_are_deleted_by_whoever_may_edit_them(people, khankaisky):
    draft = _record(people, khankaisky, RecordStatus.DRAFT)
    rejected = _record(people, khankaisky, RecordStatus.REJECTED)
    ranger = access_for(people.ranger_ru)
    assert ranger.can_delete_record(draft)
    assert ranger.can_edit_record(rejected) and not ranger.can_delete_record(rejected)
    assert not access_for(people.outsider).can_delete_record(draft)


def test_the_flag_inbox_holds_the_flags_its_owner_may_answer(people, khankaisky):
    record = _record(people, khankaisky, RecordStatus.VERIFIED)
    flag = remark_create(
        access=access_for(people.reviewer),
        user=people.reviewer,
        observation=record,
        kind=Remark.Kind.FLAG,
        reason=Remark.Reason.values[0],
        text="wrong species?",
    )
    manager, other = access_for(people.manager_ru), access_for(people.manager_cn)
    assert list(manager.inbox_flags(open_flags())) == [flag]
    assert manager.can_answer_flags_on(record)
    assert not other.inbox_flags(open_flags()).exists()
    assert not other.can_answer_flags_on(record)
    assert list(access_for(people.reviewer).visible_remarks()) == [flag]
    assert not ANONYMOUS.visible_remarks().exists()
