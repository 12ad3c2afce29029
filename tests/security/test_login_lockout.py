"""Password guessing is throttled: too many failed sign-ins lock the account (wherever the
tries come from) and the address (whatever account it tries), on the login page and on
the API token endpoint alike, until the lock ends or a coordinator lifts it."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client, RequestFactory

from observations.access import access_for
from observations.accounts import logins
from observations.models import Membership, Role

pytestmark = pytest.mark.django_db

LIMIT = 5  # LOGIN_FAILURE_LIMIT's default
MINUTES = 15  # LOGIN_LOCKOUT_MINUTES' default
HERE = "203.0.113.7"
ELSEWHERE = "198.51.100.20"


def sign_in(client, username, password="wrong", *, lang="en", address=HERE, **extra):
    return client.post(
        f"/{lang}/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **extra,
    )


def token(api, username, password="wrong", *, address=HERE, lang="en"):
    return api.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=lang,
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


def fail(client, username, times=LIMIT, **kwargs):
    return [sign_in(client, username, **kwargs).status_code for _ in range(times)]


def client_for(user):
    other = Client()
    other.force_login(user)
    return other


def move_time(minutes):
    """As if the failed sign-ins happened ``minutes`` earlier than they did."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes))


# --- the login page --------------------------------------------------------------------


def test_the_settings_are_those_the_readme_gives(settings):
    assert settings.AXES_FAILURE_LIMIT == settings.LOGIN_FAILURE_LIMIT == LIMIT
    assert dt.timedelta(minutes=MINUTES) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["ip_address", "username"]
    assert settings.LOGIN_CLIENT_IP_HEADER == ""


@pytest.mark.parametrize(
    "lang, words",
    [
        ("ru", ["заблокированы на 15 минут", "Координатор"]),
        ("zh-hans", ["已被锁定 15 分钟", "协调员"]),
        ("en", ["locked for 15 minutes", "A coordinator can unlock it"]),
    ],
)
def test_after_the_limit_even_the_right_password_is_refused_with_a_page_in_the_language(
    client, people, lang, words
):
    assert fail(client, "ranger_ru", LIMIT - 1, lang=lang) == [200] * (LIMIT - 1)
    assert sign_in(client, "ranger_ru", lang=lang).status_code == 429  # the one that locks

    refused = sign_in(client, "ranger_ru", "demo", lang=lang)

    assert refused.status_code == 429
    page = refused.content.decode()
    for word in words:
        assert word in page
    assert 14 * 60 < int(refused["Retry-After"]) <= 15 * 60
    assert client.get(f"/{lang}/").status_code == 302  # not signed in


def test_below_the_limit_the_right_password_signs_in(client, people):
    fail(client, "ranger_ru", LIMIT - 1)
    assert signed_in(sign_in(client, "ranger_ru", "demo"))


def test_a_locked_address_stops_every_username_tried_from_it(client, people):
    for name in ["admin", "root", "manager", "ranger", "coordinator"]:
        sign_in(client, name)

    assert sign_in(client, "manager_ru", "demo").status_code == 429
    assert signed_in(sign_in(client, "manager_ru", "demo", address=ELSEWHERE))


def test_a_locked_account_is_locked_from_every_address(client, people):
    for n in range(LIMIT):
        sign_in(client, "manager_ru", address=f"192.0.2.{n + 1}")

    assert sign_in(client, "manager_ru", "demo", address=ELSEWHERE).status_code == 429
    assert signed_in(sign_in(client, "ranger_ru", "demo", address=ELSEWHERE))


def test_the_admin_login_is_locked_too(client, people):
    for _ in range(LIMIT):
        client.post("/en/admin/login/", {"username": "admin", "password": "wrong"})
    refused = client.post("/en/admin/login/", {"username": "admin", "password": "demo"})
    assert refused.status_code == 429


def test_the_lock_ends_by_itself(client, people):
    fail(client, "ranger_ru")
    move_time(MINUTES - 1)
    assert sign_in(client, "ranger_ru", "demo").status_code == 429
    move_time(2)
    assert signed_in(sign_in(client, "ranger_ru", "demo"))


def test_tries_during_a_lock_do_not_make_it_longer(client, people):
    fail(client, "ranger_ru")
    move_time(10)
    assert sign_in(client, "ranger_ru").status_code == 429
    move_time(MINUTES - 10 + 1)  # 16 minutes after the lock, 6 after the last try
    assert signed_in(sign_in(client, "ranger_ru", "demo"))


def test_a_right_password_forgives_the_accounts_own_mistakes(client, people):
    fail(client, "ranger_ru", LIMIT - 1)
    assert signed_in(sign_in(client, "ranger_ru", "demo"))
    client.logout()
    assert fail(client, "ranger_ru", LIMIT - 1) == [200] * (LIMIT - 1)
    assert signed_in(sign_in(client, "ranger_ru", "demo"))


def test_signing_in_to_ones_own_account_does_not_forgive_guesses_at_another(client, people):
    fail(client, "manager_ru", LIMIT - 1)
    assert signed_in(sign_in(client, "ranger_ru", "demo"))
    client.logout()
    assert sign_in(client, "manager_ru").status_code == 429


# --- the client's address ----------------------------------------------------------------


def test_a_forwarded_for_header_is_not_trusted_by_default(client, people):
    for n in range(LIMIT):
        sign_in(client, f"guess{n}", HTTP_X_FORWARDED_FOR=f"192.0.2.{n + 1}")
    assert sign_in(client, "ranger_ru", "demo", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == (
        429
    )


def test_behind_a_proxy_the_configured_header_is_the_address(client, people, settings):
    settings.LOGIN_CLIENT_IP_HEADER = "X-Real-IP"
    proxy = "10.0.0.2"
    for n in range(LIMIT):
        sign_in(client, f"guess{n}", address=proxy, HTTP_X_REAL_IP="192.0.2.1")
    assert (
        sign_in(client, "ranger_ru", "demo", address=proxy, HTTP_X_REAL_IP="192.0.2.1").status_code
        == 429
    )
    assert signed_in(
        sign_in(client, "ranger_ru", "demo", address=proxy, HTTP_X_REAL_IP="192.0.2.2")
    )


def test_the_client_address_rules(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert logins.client_address(request) == "10.0.0.2"
    settings.LOGIN_CLIENT_IP_HEADER = "X-Forwarded-For"
    forwarded = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.8"
    )
    assert logins.client_address(forwarded) == "192.0.2.8"  # the entry the proxy added
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>")
    assert logins.client_address(garbage) == "10.0.0.2"


# --- the API token endpoint --------------------------------------------------------------


def test_the_token_endpoint_locks_with_a_json_answer_in_the_callers_language(api, people):
    assert [token(api, "ranger_ru").status_code for _ in range(LIMIT - 1)] == [400] * (LIMIT - 1)
    assert token(api, "ranger_ru").status_code == 429

    refused = token(api, "ranger_ru", "demo", lang="ru")

    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "locked_out"
    assert "заблокированы на 15 минут" in body["detail"]
    assert 14 * 60 < int(refused["Retry-After"]) <= 15 * 60
    assert "token" not in body


def test_the_page_and_the_api_count_together(api, client, people):
    for _ in range(LIMIT):
        token(api, "ranger_ru")
    assert sign_in(client, "ranger_ru", "demo").status_code == 429


def test_a_token_forgives_the_accounts_own_mistakes(api, people):
    for _ in range(LIMIT - 1):
        token(api, "ranger_ru")
    assert token(api, "ranger_ru", "demo").status_code == 200
    assert [token(api, "ranger_ru").status_code for _ in range(LIMIT - 1)] == [400] * (LIMIT - 1)


# --- coordinators lift locks -------------------------------------------------------------


def test_a_coordinator_unlocks_an_account_and_its_user_signs_in(client, people):
    fail(client, "ranger_ru")
    helper = client_for(people.coordinator_ru)

    page = helper.get("/en/accounts/locks/")
    assert page.status_code == 200
    assert "ranger_ru" in page.content.decode()

    done = helper.post(
        "/en/accounts/locks/unlock/", {"kind": "account", "value": "ranger_ru"}, follow=True
    )
    assert "ranger_ru can sign in again" in done.content.decode()
    assert "ranger_ru" not in helper.get("/en/accounts/locks/").content.decode()
    assert signed_in(sign_in(client, "ranger_ru", "demo"))


def test_a_coordinator_of_another_country_neither_sees_nor_lifts_the_lock(client, people):
    fail(client, "ranger_ru")
    other = client_for(people.coordinator_cn)

    assert "ranger_ru" not in other.get("/en/accounts/locks/").content.decode()
    answer = other.post(
        "/en/accounts/locks/unlock/", {"kind": "account", "value": "ranger_ru"}, follow=True
    )
    assert "This lock does not exist or has ended." in answer.content.decode()
    assert sign_in(client, "ranger_ru", "demo").status_code == 429


def test_a_user_of_no_country_is_unlocked_by_any_coordinator(client, people):
    fail(client, "reviewer")
    other = client_for(people.coordinator_cn)
    other.post("/en/accounts/locks/unlock/", {"kind": "account", "value": "reviewer"})
    assert signed_in(sign_in(client, "reviewer", "demo"))


def test_an_admin_unlocks_an_address(client, people):
    for n in range(LIMIT):
        sign_in(client, f"guess{n}")
    admin = client_for(people.admin)
    page = admin.get("/en/accounts/locks/").content.decode()
    assert HERE in page and "guess0" in page

    admin.post("/en/accounts/locks/unlock/", {"kind": "address", "value": HERE})

    assert signed_in(sign_in(client, "ranger_ru", "demo"))


def test_an_address_lock_is_lifted_only_by_whoever_may_unlock_every_name_tried(client, people):
    sign_in(client, "ranger_cn")
    for n in range(LIMIT - 1):
        sign_in(client, f"guess{n}")
    assert HERE not in client_for(people.coordinator_ru).get("/en/accounts/locks/").content.decode()
    assert HERE in client_for(people.coordinator_cn).get("/en/accounts/locks/").content.decode()


@pytest.mark.parametrize("who", ["ranger_ru", "manager_ru", "reviewer", "nobody"])
def test_everyone_else_gets_404(client, people, who):
    fail(client, "ranger_ru")
    someone = client_for(getattr(people, who))
    assert someone.get("/en/accounts/locks/").status_code == 404
    unlock = someone.post("/en/accounts/locks/unlock/", {"kind": "account", "value": "ranger_ru"})
    assert unlock.status_code == 404
    assert sign_in(client, "ranger_ru", "demo").status_code == 429


def test_the_menu_links_the_page_for_coordinators_only(people):
    assert "/en/accounts/locks/" in client_for(people.coordinator_ru).get("/en/").content.decode()
    assert "/en/accounts/locks/" not in client_for(people.manager_ru).get("/en/").content.decode()


def test_who_may_unlock_whom(people):
    ru, cn, admin = (
        access_for(p) for p in (people.coordinator_ru, people.coordinator_cn, people.admin)
    )
    ranger = access_for(people.ranger_ru)
    assert ru.can_unlock_accounts and admin.can_unlock_accounts and not ranger.can_unlock_accounts
    assert ru.can_unlock_user(frozenset({"RU"})) and not ru.can_unlock_user(frozenset({"CN"}))
    assert ru.can_unlock_user(frozenset()) and cn.can_unlock_user(frozenset())
    assert admin.can_unlock_user(frozenset({"CN", "RU"}))
    assert not ranger.can_unlock_user(frozenset())


def test_a_user_with_a_pa_of_each_country_is_unlocked_by_an_admin_only(client, people, xingkaihu):
    Membership.objects.create(user=people.ranger_ru, role=Role.RANGER, protected_area=xingkaihu)
    fail(client, "ranger_ru")
    assert (
        "ranger_ru"
        not in client_for(people.coordinator_ru).get("/en/accounts/locks/").content.decode()
    )
    assert "ranger_ru" in client_for(people.admin).get("/en/accounts/locks/").content.decode()


def test_test_clients_still_sign_in_without_a_request(client, people):
    """``Client.login`` authenticates without a request: nothing to count, nothing raised."""
    assert client.login(username="ranger_ru", password="demo")
    for _ in range(LIMIT):
        assert not client.login(username="ranger_ru", password="wrong")
    assert not AccessAttempt.objects.exists()
