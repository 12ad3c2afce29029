"""Pages of joint census campaigns (/census/): the list, the set-up form, a campaign's page
(who has submitted and who is missing, in Russian and Chinese side by side; the counts; the
double-count flags and the joint total), a PA's count form, and the coordinators' and
managers' buttons.

Thin: the forms parse, observations.services.census and census_reconciliation decide and
write, observations.access answers who may do what. A campaign is read by everyone logged
in; a count or a flag outside the user's reach answers 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from ..access import access_for
from ..errors import DomainError
from ..models import (
    CensusCampaign,
    CensusCount,
    CensusMethod,
    DoubleCountFlag,
    Observation,
    ProtectedArea,
    RecordStatus,
    Species,
)
from ..services import census as services
from ..services import census_reconciliation as reconcile
from ..services.census import CONFIRMED, MISSING, SUBMITTED

STATE_LABELS = {
    MISSING: _("missing"),
    SUBMITTED: _("submitted"),
    CONFIRMED: _("confirmed"),
}
CANDIDATE_RECORDS = 300  # supporting records offered on the count form


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class CampaignForm(forms.Form):
    name_en = forms.CharField(label=_("name (English)"), max_length=200)
    name_ru = forms.CharField(label=_("name (Russian)"), max_length=200, required=False)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=200, required=False)
    species = forms.ModelChoiceField(
        label=_("species"), queryset=Species.objects.filter(monitored=True)
    )
    method = forms.ChoiceField(label=_("method"), choices=CensusMethod.choices)
    unit = forms.ChoiceField(
        label=_("unit"),
        required=False,
        choices=[("", _("the species' own unit")), *Species.Unit.choices],
    )
    starts_on = forms.DateField(label=_("count starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("count ends on"), widget=DateInput)
    daily_start = forms.TimeField(
        label=_("daily start (local time)"),
        required=False,
        widget=TimeInput,
        help_text=_("For a synchronised count: the hours, in each PA's own time."),
    )
    daily_end = forms.TimeField(label=_("daily end (local time)"), required=False, widget=TimeInput)
    submission_deadline = forms.DateField(
        label=_("submissions close after"),
        required=False,
        widget=DateInput,
        help_text=_("Two weeks after the count unless you say otherwise."),
    )
    protected_areas = forms.ModelMultipleChoiceField(
        label=_("participating protected areas"),
        required=False,  # the service says clearly that a campaign needs PAs
        queryset=ProtectedArea.objects.filter(status=ProtectedArea.Status.EXISTING).order_by(
            "country", "code"
        ),
        widget=forms.CheckboxSelectMultiple,
    )
    duplicate_distance_km = forms.IntegerField(
        label=_("double-count distance (km)"), initial=30, min_value=0, max_value=500
    )
    duplicate_window_hours = forms.IntegerField(
        label=_("double-count time window (hours)"), initial=48, min_value=0, max_value=1440
    )
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CountForm(forms.Form):
    protected_area = forms.ChoiceField(label=_("protected area"))
    counted_at = forms.DateTimeField(
        label=_("counted at (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    total = forms.IntegerField(label=_("total"), min_value=0)
    count_min = forms.IntegerField(label=_("minimum"), min_value=0, required=False)
    count_max = forms.IntegerField(label=_("maximum"), min_value=0, required=False)
    routes = forms.IntegerField(label=_("routes"), min_value=0, required=False)
    effort_km = forms.DecimalField(label=_("route length (km)"), min_value=0, required=False)
    points = forms.IntegerField(label=_("count points"), min_value=0, required=False)
    effort_hours = forms.DecimalField(label=_("effort (hours)"), min_value=0, required=False)
    trap_nights = forms.DecimalField(label=_("effort (trap-nights)"), min_value=0, required=False)
    counted_area_km2 = forms.DecimalField(
        label=_("counted area (km²)"), min_value=0, required=False
    )
    observers = forms.IntegerField(label=_("observers"), min_value=0, required=False)
    weather = forms.CharField(label=_("weather"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    observations = forms.ModelMultipleChoiceField(
        label=_("supporting records"),
        queryset=Observation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, pas, records, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protected_area"].choices = [(pa.code, pa.name) for pa in pas]
        self.fields["observations"].queryset = records
        self.fields["observations"].label_from_instance = _record_label

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        # The time typed is the PA's local time: the service attaches the PA's zone.
        data["counted_at"] = data["counted_at"].replace(tzinfo=None)
        data["observations"] = [str(o.pk) for o in data.get("observations") or []]
        return data


def _record_label(record) -> str:
    local = record.observed_at.astimezone(record.protected_area.tz)
    return f"{local:%Y-%m-%d %H:%M} · {record.protected_area.code} · × {record.count}"


def _add_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _campaigns():
    return CensusCampaign.objects.select_related("species").prefetch_related(
        "protected_areas",
        Prefetch(
            "counts",
            queryset=CensusCount.objects.select_related("protected_area").order_by(
                "protected_area__country", "protected_area__code"
            ),
        ),
    )


def _campaign(pk) -> CensusCampaign:
    return get_object_or_404(_campaigns(), pk=pk)


def _in_ru_and_zh(text) -> dict:
    labels = {}
    for key, language in (("ru", "ru"), ("zh", "zh-hans")):
        with translation.override(language):
            labels[key] = str(text)
    return labels


@login_required
def campaign_list(request):
    access = access_for(request.user)
    campaigns = list(_campaigns())
    for campaign in campaigns:
        rows = services.campaign_participation(campaign=campaign)
        campaign.missing_count = sum(r["state"] == MISSING for r in rows)
        campaign.submitted_count = len(rows) - campaign.missing_count
    return render(
        request,
        "observations/census_list.html",
        {"campaigns": campaigns, "can_manage": access.can_manage_campaigns},
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
            campaign, _created = services.campaign_create(
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
    rows = services.campaign_participation(campaign=campaign)
    labels = {state: _in_ru_and_zh(text) for state, text in STATE_LABELS.items()}
    for row in rows:
        row["label"] = STATE_LABELS[row["state"]]
        row["label_ru"], row["label_zh"] = labels[row["state"]]["ru"], labels[row["state"]]["zh"]
        count = row["count"]
        if count is not None:
            count.can_confirm = count.status == SUBMITTED and access.can_confirm_count(count)
            count.can_edit = (
                count.is_local
                and count.status == SUBMITTED
                and access.can_submit_count_for(row["protected_area"])
            )
    summary = reconcile.reconciliation(campaign=campaign)
    can_submit = [
        r["protected_area"]
        for r in rows
        if r["count"] is None and access.can_submit_count_for(r["protected_area"])
    ]
    return render(
        request,
        "observations/census_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "summary": summary,
            "can_submit": can_submit,
            "can_manage": access.can_edit_campaign(campaign),
            "decisions": [DoubleCountFlag.Decision.SAME, DoubleCountFlag.Decision.DIFFERENT],
            # Who has submitted is read on both banks: Russian and Chinese side by side.
            "heading": _in_ru_and_zh(_("Who has submitted")),
            "pa_header": _in_ru_and_zh(_("Protected area")),
            "state_header": _in_ru_and_zh(_("State")),
        },
    )


def _candidate_records(access, campaign, pas):
    if not pas:
        return Observation.objects.none()
    opens = min(campaign.opens_at(pa) for pa in pas)
    ends = max(campaign.count_ends_at(pa) for pa in pas)
    ids = (
        access.visible_observations()
        .filter(
            species=campaign.species,
            protected_area__in=pas,
            status__in=[RecordStatus.SUBMITTED, RecordStatus.VERIFIED],
            observed_at__gte=opens,
            observed_at__lt=ends,
        )
        .order_by("observed_at")
        .values("pk")[:CANDIDATE_RECORDS]
    )
    return (
        Observation.objects.filter(pk__in=ids)
        .select_related("protected_area")
        .order_by("observed_at")
    )


@login_required
def count_submit(request, pk):
    access = access_for(request.user)
    campaign = _campaign(pk)
    rows = services.campaign_participation(campaign=campaign)
    pas = [
        r["protected_area"]
        for r in rows
        if r["count"] is None and access.can_submit_count_for(r["protected_area"])
    ]
    if not pas:
        raise Http404
    form = CountForm(
        request.POST or None, pas=pas, records=_candidate_records(access, campaign, pas)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.count_submit(
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
    initial = {name: getattr(count, name) for name in services.COUNT_FIELDS}
    initial["counted_at"] = count.counted_at.astimezone(pa.tz).replace(tzinfo=None)
    initial["protected_area"] = pa.code
    initial["observations"] = list(count.observations.values_list("pk", flat=True))
    form = CountForm(
        request.POST or None,
        initial=initial,
        pas=[pa],
        records=_candidate_records(access, campaign, [pa]),
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values.pop("protected_area", None)
        try:
            services.count_update(access=access, user=request.user, count=count, values=values)
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
        services.count_confirm(access=access, user=request.user, count=count)
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
        reconcile.flag_resolve(
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
        reconcile.campaign_reconcile(access=access, campaign=campaign)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Double counts checked again."))
    return redirect("census-detail", pk=campaign.pk)


urlpatterns = [
    path("", campaign_list, name="census-list"),
    path("new/", campaign_create, name="census-create"),
    path("<uuid:pk>/", campaign_detail, name="census-detail"),
    path("<uuid:pk>/submit/", count_submit, name="census-count-submit"),
    path("<uuid:pk>/reconcile/", campaign_reconcile, name="census-reconcile"),
    path("counts/<uuid:pk>/edit/", count_edit, name="census-count-edit"),
    path("counts/<uuid:pk>/confirm/", count_confirm, name="census-count-confirm"),
    path("flags/<uuid:pk>/resolve/", flag_resolve, name="census-flag-resolve"),
]
