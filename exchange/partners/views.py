"""Pages of the exchange for coordinators: partners' sync state, agreements, the sent log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observations.access import Access, access_for
from observations.errors import DomainError

from ..models import Agreement, AgreementProposal, Node, SentPage, SyncState
from .agreements import agreement_propose, agreement_save, proposal_accept, proposal_decline
from .forms import AgreementForm, AgreementProposalForm, ProposalDecisionForm
from .tasks import sync_partner
from .terms import agreement_terms, terms_changed, terms_shown


def _viewer(request) -> Access:
    """Coordinators (of any country) and admins; anyone else gets 404."""
    access = access_for(request.user)
    if not access.can_view_agreements:
        raise Http404
    return access


@login_required
def overview(request):
    access = _viewer(request)
    open_proposals = AgreementProposal.objects.filter(status=AgreementProposal.Status.PROPOSED)
    partners = []
    for node in Node.objects.order_by("code"):
        state, _ = SyncState.objects.get_or_create(partner=node)
        agreement = Agreement.objects.filter(partner=node).first()
        partners.append(
            {
                "node": node,
                "state": state,
                "agreement": agreement,
                "terms": terms_shown(agreement_terms(agreement)) if agreement else None,
                "partner_terms": (
                    terms_shown(state.partner_agreement) if state.partner_agreement else None
                ),
                "proposals": list(
                    open_proposals.filter(partner=node).select_related("proposed_by")
                ),
                "can_propose": access.can_propose_agreement_change(node),
            }
        )
    return render(request, "exchange/overview.html", {"partners": partners})


@login_required
@require_POST
def sync_now(request, code):
    _viewer(request)
    node = get_object_or_404(Node, code=code, active=True)
    sync_partner.delay(node.code)
    messages.success(request, _("Sync with %(code)s started.") % {"code": node.code})
    return redirect("exchange-overview")


def _form_initial(form: AgreementForm, terms: dict | None) -> None:
    """Start the form from ``terms`` (what is agreed now)."""
    form.initial = AgreementForm.initial_from(terms)
    form.set_precision_initial((terms or {}).get("precision"))


def _agreement_page(request, access, node, *, form=None, proposal_form=None):
    """The agreement with ``node``: the form for this node's own coordinators, the terms
    read-only for the partner's (with a form to propose a change), and the proposals."""
    agreement = Agreement.objects.filter(partner=node).first()
    current = agreement_terms(agreement) if agreement else None
    if proposal_form is None and access.can_propose_agreement_change(node):
        proposal_form = AgreementProposalForm()
        _form_initial(proposal_form, current)
    proposals = [
        {
            "proposal": proposal,
            "terms": terms_shown(proposal.terms),
            "changed": terms_changed(current, proposal.terms),
            "can_decide": access.can_decide_agreement_proposal(proposal),
        }
        for proposal in AgreementProposal.objects.filter(partner=node).select_related(
            "proposed_by", "decided_by"
        )[:50]
    ]
    return render(
        request,
        "exchange/agreement_form.html",
        {
            "node": node,
            "agreement": agreement,
            "terms": terms_shown(current) if current else None,
            "form": form,
            "proposal_form": proposal_form,
            "proposals": proposals,
            "decision_form": ProposalDecisionForm(),
        },
    )


@login_required
def agreement_edit(request, code):
    """This node's own coordinators change the terms; anyone else who may see the Exchange
    reads them (a POST from them is refused, 403)."""
    access = _viewer(request)
    node = get_object_or_404(Node, code=code)
    if not access.can_edit_agreements:
        if request.method == "POST":
            raise PermissionDenied
        return _agreement_page(request, access, node)
    agreement = Agreement.objects.filter(partner=node).first()
    form = AgreementForm(request.POST or None)
    _form_initial(form, agreement_terms(agreement) if agreement else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = agreement_save(
                access=access, partner=node, user=request.user, **form.arguments()
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request,
                _("Agreement with %(code)s saved (version %(version)s); it applies from now on.")
                % {"code": node.code, "version": saved.version},
            )
            return redirect("exchange-overview")
    return _agreement_page(request, access, node, form=form)


@login_required
@require_POST
def agreement_propose_view(request, code):
    """The partner's coordinator proposes new terms; nothing changes until accepted."""
    access = _viewer(request)
    node = get_object_or_404(Node, code=code)
    if not access.can_propose_agreement_change(node):
        raise PermissionDenied
    form = AgreementProposalForm(request.POST)
    if form.is_valid():
        try:
            agreement_propose(
                access=access,
                user=request.user,
                partner=node,
                terms=form.terms(),
                message=form.cleaned_data["message"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request, _("Your proposal waits for a decision by this node's coordinators.")
            )
            return redirect("exchange-agreement-edit", code=node.code)
    return _agreement_page(request, access, node, proposal_form=form)


def _decision(request, code, pk, decide, done_message):
    access = _viewer(request)
    proposal = get_object_or_404(AgreementProposal, pk=pk, partner__code=code)
    if not access.can_edit_agreements:
        raise PermissionDenied
    form = ProposalDecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        decide(access=access, user=request.user, proposal_id=proposal.pk, note=note)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done_message)
    return redirect("exchange-agreement-edit", code=code)


@login_required
@require_POST
def proposal_accept_view(request, code, pk):
    """Accept a proposed change: saved as a new version of the agreement."""
    return _decision(
        request, code, pk, proposal_accept, _("The proposed terms are now the agreement.")
    )


@login_required
@require_POST
def proposal_decline_view(request, code, pk):
    """Decline a proposed change with a note; the agreement stays as it is."""
    return _decision(
        request, code, pk, proposal_decline, _("The proposal was declined; nothing changed.")
    )


@login_required
def sent_log(request, code):
    _viewer(request)
    node = get_object_or_404(Node, code=code)
    pages = SentPage.objects.filter(partner=node).order_by("-sent_at")[:200]
    return render(request, "exchange/sent_log.html", {"node": node, "pages": pages})
