"""Pages of joint census campaigns (/census/): the list, the set-up form, a campaign's page
(who has submitted and who is missing, in Russian and Chinese side by side; the counts; the
double-count flags and the joint total), a PA's count form, and the coordinators' and
managers' buttons. Their URL list is observations.census.urls.

Thin: the forms parse, observations.census.services decide and write, the selectors read,
observations.access answers who may do what. A campaign is read by everyone logged in; a
count or a flag outside the user's reach answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from observations.access import access_for
from observations.errors import DomainError
from observations.models import CensusCampaign, CensusCount, DoubleCountFlag, ParticipationState

from . import selectors
from .forms import CampaignForm, CountForm
from .services import campaigns, counts, reconciliation


def _add_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _campaign(pk) -> CensusCampaign:
    return get_object_or_404(selectors.campaigns_with_counts(), pk=pk)


@login_required
def campaign_list(request):
    access = access_for(request.user)
    items = list(selectors.campaigns_with_counts())
    for campaign in items:
        rows = selectors.campaign_participation(campaign=campaign)
        campaign.missing_count = sum(r["state"] == ParticipationState.MISSING for r in rows)
        campaign.submitted_count = len(rows) - campaign.missing_count
    return render(
        request,
        "observations/census_list.html",
        {"campaigns": items, "can_manage": access.can_manage_campaigns},
    )


@login_required
def campaign_create(request):
    access = access_for(request.user)
    if not access.can_manage_campaigns:
        raise Http404
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["protected_areas"] = list(values["protected_areas"])
        try:
            campaign, _created = campaigns.campaign_create(
                access=access, user=request.user, values=values
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, gettext("Campaign set up."))
            return redirect("census-detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "observations/census_form.html", {"form": form}, status=status)


@login_required
def campaign_detail(request, pk):
    access = access_for(request.user)
    campaign = _campaign(pk)
    rows = selectors.campaign_participation(campaign=campaign)
    for row in rows:
        label = ParticipationState(row["state"]).label
        both = selectors.in_languages(label, ("ru", "zh"))
        row["label"], row["label_ru"], row["label_zh"] = label, both["ru"], both["zh"]
        count = row["count"]
        if count is not None:
            count.can_confirm = access.can_confirm_count_now(count)
            count.can_edit = access.can_edit_count(count)
    summary = selectors.reconciliation(campaign=campaign)
    can_submit = selectors.pas_to_submit(access, rows)
    return render(
        request,
        "observations/census_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "summary": summary,
            "can_submit": can_submit,
            "can_manage": access.can_edit_campaign(campaign),
            "decisions": DoubleCountFlag.Decision.RESOLVED,
            # Who has submitted is read on both banks: Russian and Chinese side by side.
            "heading": selectors.in_languages(_("Who has submitted"), ("ru", "zh")),
            "pa_header": selectors.in_languages(_("Protected area"), ("ru", "zh")),
            "state_header": selectors.in_languages(_("State"), ("ru", "zh")),
        },
    )


@login_required
def count_submit(request, pk):
    access = access_for(request.user)
    campaign = _campaign(pk)
    rows = selectors.campaign_participation(campaign=campaign)
    pas = selectors.pas_to_submit(access, rows)
    if not pas:
        raise Http404
    form = CountForm(
        request.POST or None, pas=pas, records=selectors.candidate_records(access, campaign, pas)
    )
    if request.method == "POST" and form.is_valid():
        try:
            counts.count_submit(
                access=access, user=request.user, campaign=campaign, values=form.values()
            )
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, gettext("Count submitted: the PA manager will confirm it."))
            return redirect("census-detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "observations/census_count_form.html",
        {"campaign": campaign, "form": form, "count": None},
        status=status,
    )


def _count(access, pk) -> CensusCount:
    count = get_object_or_404(
        CensusCount.objects.select_related("protected_area", "campaign__species"), pk=pk
    )
    if not (access.can_submit_count_for(count.protected_area) or access.can_confirm_count(count)):
        raise Http404
    return count


@login_required
def count_edit(request, pk):
    access = access_for(request.user)
    count = _count(access, pk)
    campaign = count.campaign
    pa = count.protected_area
    initial = {name: getattr(count, name) for name in counts.COUNT_FIELDS}
    initial["counted_at"] = count.counted_at.astimezone(pa.tz).replace(tzinfo=None)
    initial["protected_area"] = pa.code
    initial["observations"] = list(count.observations.values_list("pk", flat=True))
    form = CountForm(
        request.POST or None,
        initial=initial,
        pas=[pa],
        records=selectors.candidate_records(access, campaign, [pa]),
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values.pop("protected_area", None)
        try:
            counts.count_update(access=access, user=request.user, count=count, values=values)
        except DomainError as exc:
            _add_error(form, exc)
        else:
            messages.success(request, gettext("Count corrected."))
            return redirect("census-detail", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "observations/census_count_form.html",
        {"campaign": campaign, "form": form, "count": count},
        status=status,
    )


@login_required
@require_POST
def count_confirm(request, pk):
    access = access_for(request.user)
    count = _count(access, pk)
    try:
        counts.count_confirm(access=access, user=request.user, count=count)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Count confirmed."))
    return redirect("census-detail", pk=count.campaign_id)


@login_required
@require_POST
def flag_resolve(request, pk):
    access = access_for(request.user)
    flag = get_object_or_404(DoubleCountFlag.objects.select_related("campaign"), pk=pk)
    try:
        reconciliation.flag_resolve(
            access=access,
            user=request.user,
            flag=flag,
            decision=request.POST.get("decision", ""),
            note=request.POST.get("note", ""),
            duplicate_count=request.POST.get("duplicate_count") or None,
        )
    except (DomainError, ValueError) as exc:
        message = exc.message if isinstance(exc, DomainError) else gettext("Give a whole number.")
        messages.error(request, str(message))
    else:
        messages.success(request, gettext("Decision saved."))
    return redirect(reverse("census-detail", args=[flag.campaign_id]) + "#flags")


@login_required
@require_POST
def campaign_reconcile(request, pk):
    access = access_for(request.user)
    campaign = get_object_or_404(CensusCampaign, pk=pk)
    try:
        reconciliation.campaign_reconcile(access=access, campaign=campaign)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Double counts checked again."))
    return redirect("census-detail", pk=campaign.pk)
