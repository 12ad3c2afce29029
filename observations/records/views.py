"""Record pages: the form (new and edit), "my records", the record page, the review queue.

Writes go through observations.records.services, permission questions to
observations.access. A record a user may not see answers 404 (never 403); one
they may see but not change says why on its page.
"""

import uuid
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from ..access import access_for
from ..disclosure import for_user
from ..errors import DomainError
from ..models import Observation, RecordStatus, Remark, Species
from ..remarks.selectors import remarks_for
from ..validation import RecordInvalid, clean_observation
from . import selectors, services
from .forms import ObservationForm, ReviewForm
from .history import record_history

PAGE_SIZE = 50
QUEUE_SIZE = 100


def _not_editable_message(record) -> str:
    if record.status not in RecordStatus.EDITABLE:
        return gettext("Only draft or rejected records can be changed.")
    return gettext("You may not change this record.")


def _form_page(request, form, *, record=None):
    return render(
        request,
        "observations/record_form.html",
        {
            "form": form,
            "record": record,
            "map_tiles_url": settings.MAP_TILES_URL,
            "known_individuals": form.known_individuals(),
        },
    )


def _save(request, access, form) -> tuple[Observation, bool]:
    if form.instance is None:
        return services.observation_create(
            access=access,
            user=request.user,
            values=form.values(),
            record_id=form.cleaned_data.get("id"),
        )
    record = services.observation_update(
        access=access, user=request.user, observation=form.instance, values=form.values()
    )
    return record, False


def _save_and_maybe_submit(request, access, form) -> Observation | None:
    """Parse with the form, write through the services (one transaction with the submit),
    or put what was wrong on the form and answer None."""
    wants_submit = request.POST.get("action") == "submit"
    if not form.is_valid():
        # Some input could not even be read: report the service's findings on the rest too,
        # so that the ranger fixes everything in one go.
        try:
            clean_observation(form.values(), access=access)
        except (RecordInvalid, DomainError) as exc:
            form.show_problems(exc)
        return None
    try:
        with transaction.atomic():
            try:
                record, created = _save(request, access, form)
            except (RecordInvalid, DomainError) as exc:
                form.show_problems(exc)
                return None
            if wants_submit and record.status in RecordStatus.EDITABLE:
                services.record_submit(access=access, user=request.user, record=record)
    except DomainError as exc:
        form.add_error(None, str(exc.message))
        return None
    if form.instance is None and not created:
        messages.info(request, gettext("This record had already been saved."))
    elif record.status == RecordStatus.SUBMITTED and wants_submit:
        messages.success(request, gettext("Record submitted for review."))
    elif record.status == RecordStatus.DRAFT:
        messages.success(
            request, gettext("Saved as a draft. Submit it for review when it is complete.")
        )
    else:
        messages.success(request, gettext("Changes saved."))
    return record


@login_required
def record_create(request):
    """The record form: one observation, filed as a draft or submitted at once."""
    access = access_for(request.user)
    if not access.can_write:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = ObservationForm(data, access=access, user=request.user)
    if data is not None:
        record = _save_and_maybe_submit(request, access, form)
        if record is not None:
            return redirect("record-detail", pk=record.pk)
    return _form_page(request, form)


@login_required
def record_edit(request, pk):
    """Fix a draft or a rejected record (and submit it again)."""
    access = access_for(request.user)
    record = selectors.visible_record(access, pk)
    if not access.can_edit_record(record):
        messages.error(request, _not_editable_message(record))
        return redirect("record-detail", pk=record.pk)
    data = request.POST if request.method == "POST" else None
    form = ObservationForm(data, access=access, user=request.user, instance=record)
    if data is not None:
        saved = _save_and_maybe_submit(request, access, form)
        if saved is not None:
            return redirect("record-detail", pk=saved.pk)
    return _form_page(request, form, record=record)


@login_required
def my_records(request):
    """The user's own records, newest first, with their status; keyset pages."""
    access = access_for(request.user)
    mine = access.visible_observations().filter(created_by_id=request.user.pk)
    counts = dict(
        mine.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    status = request.GET.get("status", "")
    if status in RecordStatus.values:
        mine = mine.filter(status=status)
    else:
        status = ""
    after = _parse_cursor(request.GET.get("after", ""))
    if after is not None:
        created, last_id = after
        mine = mine.filter(Q(created_at__lt=created) | Q(created_at=created, id__lt=last_id))
    rows = list(
        mine.select_related("species", "protected_area").order_by("-created_at", "-id")[
            : PAGE_SIZE + 1
        ]
    )
    next_url = None
    if len(rows) > PAGE_SIZE:
        rows = rows[:PAGE_SIZE]
        query = {"after": f"{rows[-1].created_at.isoformat()}~{rows[-1].pk}"}
        if status:
            query["status"] = status
        next_url = f"?{urlencode(query)}"
    tabs = [("", gettext("All"), sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in RecordStatus.choices
    ]
    return render(
        request,
        "observations/my_records.html",
        {"records": rows, "status": status, "tabs": tabs, "next_url": next_url},
    )


def _parse_cursor(value: str):
    created, _sep, last_id = value.rpartition("~")
    try:
        when = parse_datetime(created)
        return (when, uuid.UUID(last_id)) if when is not None else None
    except ValueError:
        return None


@login_required
def record_detail(request, pk):
    """One record: all its fields, what may be done with it, its remarks and its history."""
    access = access_for(request.user)
    record = selectors.visible_record(access, pk)
    audience = for_user(access)
    place = audience.record_place(record)
    notes = audience.text(record.notes, place.precision)
    can_edit = access.can_edit_record(record)
    return render(
        request,
        "observations/record_detail.html",
        {
            "record": record,
            "place": place,
            "shown_generalised": place.generalised and record.latitude is not None,
            "notes": notes,
            "precision_label": Species.Sensitivity(place.precision).label,
            "unit_label": dict(Species.Unit.choices).get(record.unit, record.unit),
            "history": record_history(record, audience=audience),
            "can_edit": can_edit,
            "can_submit": can_edit and access.can_submit_record(record),
            "can_delete": access.can_delete_record(record),
            "can_review": access.can_review_record(record),
            "can_verify": access.can_verify_record(record),
            "can_reopen": access.can_reopen_record(record),
            "remarks": remarks_for(record, audience),
            "can_remark": access.can_remark_on(record),
            "can_answer": access.can_answer_flags_on(record),
            "flag_reasons": Remark.Reason.choices,
        },
    )


@login_required
@require_POST
def record_submit(request, pk):
    access = access_for(request.user)
    record = selectors.visible_record(access, pk)
    try:
        services.record_submit(access=access, user=request.user, record=record)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Record submitted for review."))
    return redirect("record-detail", pk=record.pk)


@login_required
def record_delete(request, pk):
    """Delete a draft: a confirmation page, then a POST."""
    access = access_for(request.user)
    record = selectors.visible_record(access, pk)
    if not access.can_delete_record(record):
        messages.error(request, gettext("Only drafts can be deleted."))
        return redirect("record-detail", pk=record.pk)
    if request.method == "POST":
        try:
            services.record_delete(access=access, record=record)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("record-detail", pk=record.pk)
        messages.success(request, gettext("Draft deleted."))
        return redirect("my-records")
    return render(request, "observations/record_delete.html", {"record": record})


@login_required
@require_POST
def record_review(request, pk):
    """Verify or reject one record from its page (the PA manager)."""
    access = access_for(request.user)
    record = selectors.visible_record(access, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose verify or reject."))
        return redirect("record-detail", pk=record.pk)
    try:
        if form.cleaned_data["action"] == "verify":
            services.record_verify(access=access, user=request.user, record=record)
            messages.success(request, gettext("Record verified."))
        else:
            services.record_reject(
                access=access, user=request.user, record=record, reason=form.cleaned_data["reason"]
            )
            messages.success(request, gettext("Record rejected; its ranger will see why."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("record-detail", pk=record.pk)


@login_required
def review_queue(request):
    """The PA manager's queue: submitted records, verified or rejected in bulk (PRG)."""
    access = access_for(request.user)
    if not access.has_review_queue:
        raise Http404
    if request.method == "POST":
        _review_many(request, access)
        return redirect("review-queue")
    queue = selectors.review_queue(access)
    records = list(
        queue.select_related("species", "protected_area", "created_by").order_by(
            "observed_at", "id"
        )[:QUEUE_SIZE]
    )
    total = len(records) if len(records) < QUEUE_SIZE else queue.count()
    audience = for_user(access)
    for record in records:  # what the page shows of each, as the disclosure policy says
        record.shown_place = audience.record_place(record)
        record.shown_notes = audience.text(record.notes, record.shown_place.precision)
    # Records this user filed and may not verify (four eyes): marked, refused if picked.
    own = {record.pk for record in records if not access.can_verify_record(record)}
    return render(
        request,
        "observations/review_queue.html",
        {"records": records, "total": total, "four_eyes": own},
    )


def _review_many(request, access) -> None:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return
    ids = form.cleaned_data["ids"]
    if not ids:
        messages.warning(request, gettext("Select at least one record."))
        return
    action = form.cleaned_data["action"]
    result = services.observations_review(
        access=access,
        user=request.user,
        ids=ids,
        action=action,
        reason=form.cleaned_data["reason"],
    )
    done = len(result["done"])
    if done:
        text = (
            ngettext("%(count)d record verified.", "%(count)d records verified.", done)
            if action == "verify"
            else ngettext("%(count)d record rejected.", "%(count)d records rejected.", done)
        )
        messages.success(request, text % {"count": done})
    refusals = Counter(
        item.get("detail") or gettext("not found, or not yours to review")
        for item in result["refused"]
    )
    for reason, count in refusals.items():
        text = ngettext(
            "%(count)d record refused: %(reason)s", "%(count)d records refused: %(reason)s", count
        )
        messages.error(request, text % {"count": count, "reason": reason})
