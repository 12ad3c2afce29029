"""Pages of a dataset's definition: list, form, the dataset's page, publishing, comments and
reviewers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from observations.access import access_for
from observations.disclosure import for_user
from observations.errors import DomainError

from ...exports.labels import filters_shown
from ...models import DatasetVersion
from .. import browse, definition, publish, review
from ..forms import DatasetForm
from ..permissions import visible_datasets
from .common import _dataset, answers_errors

# --- the dataset's definition ------------------------------------------------------------


def _form_page(request, form, dataset=None, status=200):
    return render(
        request, "exchange/dataset_form.html", {"form": form, "dataset": dataset}, status=status
    )


@login_required
def dataset_list(request):
    access = access_for(request.user)
    published = Q(versions__status=DatasetVersion.Status.PUBLISHED)
    datasets = (
        visible_datasets(access)
        .annotate(latest_version=Max("versions__number", filter=published))
        .order_by("-created_at")
    )
    return render(request, "exchange/dataset_list.html", {"datasets": datasets})


@login_required
def dataset_create(request):
    access = access_for(request.user)
    if not access.can_manage_datasets:
        raise Http404
    form = DatasetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = definition.dataset_create(
                access=access, user=request.user, values=form.values()
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, gettext("The dataset is saved: publish its first version."))
            return redirect("dataset-detail", pk=dataset.pk)
    return _form_page(request, form, status=400 if request.method == "POST" else 200)


@login_required
def dataset_edit(request, pk):
    access = access_for(request.user)
    dataset = _dataset(request, pk)
    if not access.can_manage_dataset(dataset):
        raise Http404
    form = DatasetForm(request.POST or None, initial=DatasetForm.initial_of(dataset))
    if request.method == "POST" and form.is_valid():
        try:
            definition.dataset_update(
                access=access, user=request.user, dataset=dataset, values=form.values()
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, gettext("Saved: the next version follows the new query."))
            return redirect("dataset-detail", pk=dataset.pk)
    return _form_page(request, form, dataset, status=400 if request.method == "POST" else 200)


@login_required
@answers_errors
def dataset_detail(request, pk):
    access = access_for(request.user)
    dataset = _dataset(request, pk)
    versions = browse.versions_of(dataset)
    published = [v for v in versions if v.is_published]
    state = request.GET.get("flags", "")
    flags = browse.dataset_flags(
        dataset, state if state in ("open", "closed") else "", for_user(access)
    )
    can_manage = access.can_manage_dataset(dataset)
    reviewers = (
        list(dataset.reviewers.select_related("user").order_by("invited_at")) if can_manage else []
    )
    return render(
        request,
        "exchange/dataset_detail.html",
        {
            "dataset": dataset,
            "versions": versions,
            "published": published,
            "latest": published[0] if published else None,
            "flags": flags,
            "flag_counts": browse.flag_counts(dataset),
            "flag_state": state,
            "comments": browse.dataset_comments(dataset),
            "can_manage": can_manage,
            "reviewers": reviewers,
            # A dataset's query is the exports' filters: shown by name, in the reader's language.
            "query_items": filters_shown(dataset.query or {}),
        },
    )


@login_required
@require_POST
def dataset_publish(request, pk):
    dataset = _dataset(request, pk)
    try:
        version = publish.version_publish(
            access=access_for(request.user),
            user=request.user,
            dataset=dataset,
            note=request.POST.get("note", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("dataset-detail", pk=dataset.pk)
    if version.is_published:
        messages.success(
            request,
            gettext("Version %(number)s is published: %(rows)s records.")
            % {"number": version.number, "rows": version.row_count},
        )
        return redirect("dataset-version", pk=dataset.pk, number=version.number)
    messages.success(
        request,
        gettext("Version %(number)s is being built by a worker; this page shows when it is done.")
        % {"number": version.number},
    )
    return redirect("dataset-detail", pk=dataset.pk)


@login_required
@require_POST
def dataset_comment(request, pk):
    dataset = _dataset(request, pk)
    try:
        review.dataset_comment_create(
            access=access_for(request.user),
            user=request.user,
            dataset=dataset,
            text=request.POST.get("text", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Your comment is saved."))
    return redirect(reverse("dataset-detail", args=[dataset.pk]) + "#comments")


@login_required
@require_POST
def reviewer_invite(request, pk):
    dataset = _dataset(request, pk)
    try:
        reviewer = definition.reviewer_invite(
            access=access_for(request.user),
            user=request.user,
            dataset=dataset,
            username=request.POST.get("username", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            gettext("%(name)s reviews this dataset.") % {"name": reviewer.user.get_username()},
        )
    return redirect(reverse("dataset-detail", args=[dataset.pk]) + "#reviewers")


@login_required
@require_POST
def reviewer_remove(request, pk, user_id):
    dataset = _dataset(request, pk)
    try:
        definition.reviewer_remove(
            access=access_for(request.user), dataset=dataset, user_id=user_id
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("The reviewer is removed."))
    return redirect(reverse("dataset-detail", args=[dataset.pk]) + "#reviewers")
