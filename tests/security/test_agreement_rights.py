"""Who changes what a node shares: only the node's own coordinators.

An agreement says what THIS node (the Russian one here) sends to a partner. The
partner's coordinator may hold an account on this node (coordinator_cn: a
coordinator whose country is CN); they read the terms and may propose a change,
which a Russian coordinator accepts (a new version, as any change) or declines
with a note. They never save the terms themselves: not on the page, not through
the service, not through the management command when it names them.

And a term of its own: what free text (notes, remarks, station names) crosses to
the partner, ``free_text``: withheld by default, or shared after a redaction pass.
"""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from exchange.models import AgreementProposal, FreeText, Node
from exchange.partners.agreements import agreement_propose, agreement_save, proposal_accept
from exchange.partners.terms import agreement_terms
from exchange.signing import (
    HEADER_SIGNATURE,
    generate_private_key,
    private_key_to_text,
    public_key_text,
    sign_request,
    verify_response,
)
from observations.access import access_for
from observations.errors import NotAllowed
from observations.models import Species

pytestmark = pytest.mark.django_db

PAGE = "/en/exchange/CN/agreement/"
PROPOSE = "/en/exchange/CN/agreement/propose/"
TIGER = "Panthera tigris altaica"
CRANE = "Grus japonensis"


@pytest.fixture(autouse=True)
def russian_node(settings):
    settings.NODE_CODE = "RU"


@pytest.fixture
def cn_key():
    return generate_private_key()


@pytest.fixture
def partner(seeds, cn_key):
    return Node.objects.create(
        code="CN", base_url="http://127.0.0.1:9", public_key=public_key_text(cn_key)
    )


@pytest.fixture
def agreement(people, partner):
    """What the Russian node shares with China now: cranes and tigers, tigers by PA only."""
    return agreement_save(
        partner=partner,
        user=people.coordinator_ru,
        species=list(Species.objects.filter(scientific_name__in=[TIGER, CRANE])),
        protected_areas=[],
        statuses=["verified"],
        embargo_days=30,
        precision={TIGER: "pa"},
        media_level="thumbnails",
        licence="CC-BY-4.0",
    )


def form_data(**changes):
    """The agreement form as a browser posts it: the fixture's terms, and ``changes``."""
    tiger = Species.objects.get(scientific_name=TIGER)
    crane = Species.objects.get(scientific_name=CRANE)
    data = {
        "species": [tiger.pk, crane.pk],
        "statuses": ["verified"],
        "embargo_days": "30",
        "media_level": "thumbnails",
        "licence": "CC-BY-4.0",
        "free_text": "withhold",
        "active": "on",
        **{f"precision_{sp.pk}": sp.sensitivity for sp in Species.objects.all()},
        f"precision_{tiger.pk}": "pa",
    }
    data.update(changes)
    return data


def forms_posting_to(page: str) -> list[str]:
    """The action of every form on the page (a form without one posts to the page)."""
    actions = []
    for tag in re.findall(r"<form\b[^>]*>", page):
        found = re.search(r'action="([^"]*)"', tag)
        actions.append(found.group(1) if found else "")
    return actions


def propose(client, people, **changes):
    client.force_login(people.coordinator_cn)
    response = client.post(
        PROPOSE, {**form_data(**changes), "message": "Please share cranes sooner."}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return AgreementProposal.objects.latest("pk")


# --- the partner's coordinator reads, never saves ------------------------------------------


def test_the_partners_coordinator_gets_the_terms_read_only(client, people, agreement):
    client.force_login(people.coordinator_cn)
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Amur tiger: protected area only" in page  # the terms, by name
    assert "withheld for species whose places are generalised" in page  # the free-text term
    assert "Save the agreement" not in page
    # No form on the page saves the terms: the only one of the exchange proposes a change.
    exchange_forms = [a for a in forms_posting_to(page) if "/exchange/" in a or a == ""]
    assert exchange_forms == [PROPOSE]


def test_the_partners_coordinator_cannot_save_the_terms(client, people, agreement):
    before = agreement_terms(agreement)
    client.force_login(people.coordinator_cn)
    response = client.post(PAGE, form_data(embargo_days="0", media_level="full"))
    assert response.status_code in (403, 404)
    agreement.refresh_from_db()
    assert agreement.version == 1 and agreement_terms(agreement) == before
    assert agreement.versions.count() == 1


def test_the_service_refuses_the_partners_coordinator_too(people, agreement):
    """Defence in depth: whoever calls agreement_save with that user is refused."""
    arguments = {
        "partner": agreement.partner,
        "species": [],
        "protected_areas": [],
        "statuses": ["verified", "submitted"],
        "embargo_days": 0,
        "precision": {},
        "media_level": "full",
        "licence": "CC0-1.0",
    }
    with pytest.raises(NotAllowed):
        agreement_save(access=access_for(people.coordinator_cn), user=None, **arguments)
    with pytest.raises(NotAllowed):
        agreement_save(user=people.coordinator_cn, **arguments)  # the Access comes from the user
    agreement.refresh_from_db()
    assert agreement.version == 1 and agreement.media_level == "thumbnails"


def test_the_command_checks_the_user_it_names_and_the_operator_needs_none(people, agreement):
    with pytest.raises(CommandError, match="own coordinators"):
        call_command("exchange_agreement", "CN", "--media", "full", "--user", "coordinator_cn")
    agreement.refresh_from_db()
    assert agreement.version == 1
    call_command("exchange_agreement", "CN", "--free-text", "redact", "--user", "coordinator_ru")
    call_command("exchange_agreement", "CN", "--free-text", "withhold")  # the operator
    agreement.refresh_from_db()
    assert agreement.version == 3 and agreement.free_text == FreeText.WITHHOLD
    assert agreement.versions.get(version=2).terms["free_text"] == "redact"


def test_on_the_chinese_node_the_roles_swap(people, settings):
    settings.NODE_CODE = "CN"
    assert access_for(people.coordinator_cn).can_edit_agreements
    assert not access_for(people.coordinator_ru).can_edit_agreements
    assert access_for(people.coordinator_ru).can_view_agreements


# --- this node's coordinator saves ------------------------------------------------------


def test_the_nodes_own_coordinator_saves_and_the_version_goes_up(client, people, agreement):
    client.force_login(people.coordinator_ru)
    assert "Save the agreement" in client.get(PAGE).content.decode()
    response = client.post(PAGE, form_data(embargo_days="7", free_text="redact"))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.version == 2 and agreement.embargo_days == 7
    assert agreement.free_text == FreeText.REDACT
    assert agreement.updated_by == people.coordinator_ru


# --- proposals ----------------------------------------------------------------------------


def test_the_partners_coordinator_proposes_and_nothing_changes_yet(client, people, agreement):
    before = agreement_terms(agreement)
    proposal = propose(client, people, embargo_days="0", free_text="redact")
    agreement.refresh_from_db()
    assert agreement.version == 1 and agreement_terms(agreement) == before
    assert proposal.status == AgreementProposal.Status.PROPOSED
    assert proposal.proposed_by == people.coordinator_cn and proposal.base_version == 1
    assert proposal.message == "Please share cranes sooner."
    # The proposal is in the shape of the agreement's terms.
    assert proposal.terms == {**before, "embargo_days": 0, "free_text": "redact"}
    page = client.get(PAGE).content.decode()
    assert "Please share cranes sooner." in page and "/accept/" not in page


def test_the_local_coordinator_sees_open_proposals_and_accepts_one(client, people, agreement):
    proposal = propose(client, people, embargo_days="0", free_text="redact")
    client.force_login(people.coordinator_ru)
    overview = client.get("/en/exchange/").content.decode()
    assert "1 proposed change from CN waits for a decision" in overview
    assert f"#proposal-{proposal.pk}" in overview
    page = client.get(PAGE).content.decode()
    assert "Please share cranes sooner." in page
    assert f"/en/exchange/CN/agreement/proposals/{proposal.pk}/accept/" in page
    accept = f"/en/exchange/CN/agreement/proposals/{proposal.pk}/accept/"
    assert client.post(accept, {"note": "Agreed at the Khanka workshop."}).status_code == 302
    agreement.refresh_from_db()
    proposal.refresh_from_db()
    assert agreement.version == 2
    assert agreement_terms(agreement) == proposal.terms
    assert agreement.embargo_days == 0 and agreement.free_text == FreeText.REDACT
    assert agreement.versions.get(version=2).created_by == people.coordinator_ru
    assert proposal.status == AgreementProposal.Status.ACCEPTED
    assert proposal.decided_by == people.coordinator_ru and proposal.decided_at is not None
    assert proposal.decision_note == "Agreed at the Khanka workshop."
    assert "waits for a decision" not in client.get("/en/exchange/").content.decode()
    # Decided once: accepting again changes nothing.
    client.post(accept, {"note": ""})
    agreement.refresh_from_db()
    assert agreement.version == 2


def test_the_local_coordinator_declines_with_a_note(client, people, agreement):
    before = agreement_terms(agreement)
    proposal = propose(client, people, media_level="full")
    client.force_login(people.coordinator_ru)
    decline = f"/en/exchange/CN/agreement/proposals/{proposal.pk}/decline/"
    client.post(decline, {"note": ""})  # a decline says why
    proposal.refresh_from_db()
    assert proposal.status == AgreementProposal.Status.PROPOSED
    note = "Full images show the cordon; thumbnails only."
    assert client.post(decline, {"note": note}).status_code == 302
    proposal.refresh_from_db()
    agreement.refresh_from_db()
    assert proposal.status == AgreementProposal.Status.DECLINED
    assert proposal.decision_note == note and proposal.decided_by == people.coordinator_ru
    assert agreement.version == 1 and agreement_terms(agreement) == before
    client.force_login(people.coordinator_cn)
    assert note in client.get(PAGE).content.decode()  # the proposer reads the answer


def test_only_the_local_coordinators_decide_and_only_the_partners_propose(
    client, people, agreement
):
    proposal = propose(client, people, embargo_days="0")
    for action in ("accept", "decline"):  # the proposer cannot decide their own proposal
        url = f"/en/exchange/CN/agreement/proposals/{proposal.pk}/{action}/"
        assert client.post(url, {"note": "self-service"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == AgreementProposal.Status.PROPOSED
    with pytest.raises(NotAllowed):
        proposal_accept(
            access=access_for(people.coordinator_cn), user=None, proposal_id=proposal.pk
        )
    client.force_login(people.coordinator_ru)  # the local coordinator edits, not proposes
    assert client.post(PROPOSE, form_data()).status_code == 403
    with pytest.raises(NotAllowed):
        agreement_propose(
            access=access_for(people.coordinator_ru),
            user=people.coordinator_ru,
            partner=agreement.partner,
            terms=agreement_terms(agreement),
        )
    assert AgreementProposal.objects.count() == 1


def test_a_bad_proposal_comes_back_with_what_is_wrong(client, people, agreement):
    client.force_login(people.coordinator_cn)
    response = client.post(PROPOSE, {**form_data(embargo_days="-3"), "message": "sooner"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page and "Propose these terms" in page
    assert not AgreementProposal.objects.exists()


def test_a_proposal_names_only_what_this_node_knows(people, agreement):
    from observations.errors import DomainError

    terms = {**agreement_terms(agreement), "protected_areas": ["CN-XINGKAIHU"]}
    with pytest.raises(DomainError) as refused:
        agreement_propose(
            access=access_for(people.coordinator_cn),
            user=people.coordinator_cn,
            partner=agreement.partner,
            terms=terms,
        )
    assert refused.value.code == "unknown_protected_area"
    with pytest.raises(DomainError):
        agreement_propose(
            access=access_for(people.coordinator_cn),
            user=people.coordinator_cn,
            partner=agreement.partner,
            terms={**agreement_terms(agreement), "free_text": "everything"},
        )
    assert not AgreementProposal.objects.exists()


@pytest.mark.parametrize("who", ["ranger_ru", "ranger_cn", "manager_ru", "reviewer", "nobody"])
def test_anyone_else_gets_404_on_every_agreement_page(client, people, agreement, who):
    proposal = AgreementProposal.objects.create(
        partner=agreement.partner, terms=agreement_terms(agreement), proposed_by=None
    )
    client.force_login(getattr(people, who))
    assert client.get("/en/exchange/").status_code == 404
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, form_data()).status_code == 404
    assert client.post(PROPOSE, form_data()).status_code == 404
    for action in ("accept", "decline"):
        url = f"/en/exchange/CN/agreement/proposals/{proposal.pk}/{action}/"
        assert client.post(url, {"note": "x"}).status_code == 404
    proposal.refresh_from_db()
    agreement.refresh_from_db()
    assert proposal.status == "proposed" and agreement.version == 1
    assert AgreementProposal.objects.count() == 1


# --- the free-text term -----------------------------------------------------------------


def test_free_text_is_withheld_unless_the_agreement_says_redact(people, agreement):
    assert agreement.free_text == FreeText.WITHHOLD
    assert agreement_terms(agreement)["free_text"] == "withhold"


def test_the_free_text_term_is_shown_on_the_overview(client, people, agreement):
    client.force_login(people.coordinator_ru)
    client.post(PAGE, form_data(free_text="redact"))
    page = client.get("/en/exchange/").content.decode()
    assert "shared after a redaction pass of coordinates and people&#x27;s names" in page


def test_the_free_text_term_is_served_to_the_partner_signed(client, agreement, cn_key, settings):
    call_command("exchange_agreement", "CN", "--free-text", "redact")
    ru_key = generate_private_key()
    path = "/api/v1/exchange/agreement/"
    settings.NODE_CODE, settings.EXCHANGE_PRIVATE_KEY = "CN", private_key_to_text(cn_key)
    headers = sign_request("GET", path)  # the Chinese node asks...
    settings.NODE_CODE, settings.EXCHANGE_PRIVATE_KEY = "RU", private_key_to_text(ru_key)
    response = client.get(path, headers=headers)  # ...and this, the Russian node, answers
    assert response.status_code == 200
    verify_response(
        public_key=public_key_text(ru_key),
        nonce=headers["X-Amur-Nonce"],
        body=response.content,
        signature=response[HEADER_SIGNATURE],
    )
    served = json.loads(response.content)["agreement"]
    assert served["version"] == 2 and served["free_text"] == "redact"
