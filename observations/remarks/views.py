"""Comments, flags and answers on a record's page (services in observations.remarks.services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..access import access_for
from ..errors import DomainError
from ..models import Remark
from ..records import services as record_services
from ..records.selectors import visible_record
from . import services


@login_required
@require_POST
def record_remark(request, pk):
    access = access_for(request.user)
    record = visible_record(access, pk)
    try:
        services.remark_create(
            access=access,
            user=request.user,
            observation=record,
            kind=request.POST.get("kind", "comment"),
            reason=request.POST.get("reason", ""),
            text=request.POST.get("text", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Your remark is saved."))
    return redirect("record-detail", pk=record.pk)


@login_required
@require_POST
def remark_answer(request, pk, remark_pk):
    access = access_for(request.user)
    record = visible_record(access, pk)
    flag = get_object_or_404(Remark, pk=remark_pk, subject_id=record.pk)
    try:
        services.flag_answer(
            access=access,
            user=request.user,
            flag=flag,
            text=request.POST.get("text", ""),
            closes=request.POST.get("closes") == "on",
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Your answer is saved."))
    return redirect("record-detail", pk=record.pk)


@login_required
@require_POST
def record_reopen(request, pk):
    access = access_for(request.user)
    record = visible_record(access, pk)
    try:
        record_services.record_reopen(
            access=access, user=request.user, record=record, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("The record is reopened for correction."))
    return redirect("record-detail", pk=record.pk)
