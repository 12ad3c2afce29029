"""The demo fills a node with synthetic records, clearly marked, once."""

import pytest
from django.core.management import call_command

from observations.models import Observation, SurveyEvent

pytestmark = pytest.mark.django_db


def test_demo_data_is_made_once_and_marked_synthetic(seeds, capsys):
    call_command("load_demo_data", years=1)
    count = Observation.objects.count()
    assert count > 50
    assert not Observation.objects.exclude(source="demo").exists()
    assert not Observation.objects.exclude(notes__contains="synthetic").exists()
    call_command("load_demo_data", years=1)
    assert Observation.objects.count() == count
    assert "nothing added" in capsys.readouterr().out


def test_demo_records_belong_to_this_nodes_own_country(seeds, settings):
    call_command("load_demo_data", years=1)
    assert set(Observation.objects.values_list("protected_area__country", flat=True)) == {"RU"}
    assert set(SurveyEvent.objects.values_list("origin_node", flat=True)) == {"RU"}


def test_demo_users_log_in_with_the_demo_password(client, seeds, settings):
    settings.DEMO_PASSWORD = "s3cret-demo"
    call_command("load_demo_data", years=1)
    for name in [
        "ranger_ru",
        "ranger_cn",
        "manager_ru",
        "manager_cn",
        "coordinator_ru",
        "coordinator_cn",
        "reviewer",
        "admin",
    ]:
        assert client.login(username=name, password="s3cret-demo"), name


def test_demo_records_have_a_history(seeds):
    call_command("load_demo_data", years=1)
    obs = Observation.objects.first()
    assert obs.history.count() == 1
