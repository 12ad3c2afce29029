"""Pages of the exchange for coordinators: partners' sync state, agreements, the sent log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from observations.access import access_for

from .agreements import agreement_save
from .forms import AgreementForm
from .models import Agreement, Node, SentPage, SyncState
from .tasks import sync_partner
from .terms import agreement_terms, terms_shown


def _coordinator(request):
    if not access_for(request.user).can_manage_agreements:
        raise Http404
    return request.user


@login_required
def overview(request):
    _coordinator(request)
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
            }
        )
    return render(request, "exchange/overview.html", {"partners": partners})


@login_required
@require_POST
def sync_now(request, code):
    _coordinator(request)
    node = get_object_or_404(Node, code=code, active=True)
    sync_partner.delay(node.code)
    messages.success(request, _("Sync with %(code)s started.") % {"code": node.code})
    return redirect("exchange-overview")


@login_required
def agreement_edit(request, code):
    user = _coordinator(request)
    node = get_object_or_404(Node, code=code)
    agreement = Agreement.objects.filter(partner=node).first()
    initial = {}
    if agreement:
        initial = {
            "species": agreement.species.all(),
            "protected_areas": agreement.protected_areas.all(),
            "statuses": agreement.statuses,
            "embargo_days": agreement.embargo_days,
            "media_level": agreement.media_level,
            "licence": agreement.licence,
            "share_personal_data": agreement.share_personal_data,
            "active": agreement.active,
        }
    form = AgreementForm(request.POST or None, initial=initial)
    if agreement:
        by_name = {sp.scientific_name: sp.pk for sp in form.species_list}
        for name, value in (agreement.precision or {}).items():
            if name in by_name:
                form.fields[f"precision_{by_name[name]}"].initial = value
    if request.method == "POST" and form.is_valid():
        saved = agreement_save(
            partner=node,
            user=user,
            species=list(form.cleaned_data["species"]),
            protected_areas=list(form.cleaned_data["protected_areas"]),
            statuses=form.cleaned_data["statuses"],
            embargo_days=form.cleaned_data["embargo_days"],
            precision=form.precision(),
            media_level=form.cleaned_data["media_level"],
            licence=form.cleaned_data["licence"],
            share_personal_data=form.cleaned_data["share_personal_data"],
            active=form.cleaned_data["active"],
        )
        messages.success(
            request,
            _("Agreement with %(code)s saved (version %(version)s); it applies from now on.")
            % {"code": node.code, "version": saved.version},
        )
        return redirect("exchange-overview")
    return render(
        request,
        "exchange/agreement_form.html",
        {"node": node, "form": form, "agreement": agreement},
    )


@login_required
def sent_log(request, code):
    _coordinator(request)
    node = get_object_or_404(Node, code=code)
    pages = SentPage.objects.filter(partner=node).order_by("-sent_at")[:200]
    return render(request, "exchange/sent_log.html", {"node": node, "pages": pages})
