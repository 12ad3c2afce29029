"""Views of the datasets API: parse, ask observations.access through the services, render."""

from __future__ import annotations

from django.db.models import Max, Q
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from observations.access import access_for
from observations.api.pagination import Cursor
from observations.disclosure import for_user
from observations.errors import DomainError, NotAllowed, NotFound

from ...exports.api import ExportOutput
from ...models import Dataset, DatasetVersion
from .. import browse, compare, definition, download, publish, review
from ..permissions import visible_datasets
from .serializers import (
    CommentInput,
    CommentOutput,
    DatasetInput,
    DatasetOutput,
    DatasetRemarkOutput,
    DownloadInput,
    PublishInput,
    RemarkInput,
    ReviewerInput,
    ReviewerOutput,
    RowOutput,
    VersionOutput,
)

COMPARE_LIMIT, COMPARE_MAX = 100, 1000


def _visible(request, pk) -> Dataset:
    dataset = browse.visible_dataset(access_for(request.user), pk)
    if dataset is None:
        raise NotFound(_("No such dataset."), "unknown_dataset")
    return dataset


def _managed(request, pk) -> Dataset:
    dataset = _visible(request, pk)
    if not access_for(request.user).can_manage_dataset(dataset):
        raise NotAllowed(_("Only national coordinators manage shared datasets."), "forbidden")
    return dataset


def _input(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


class DatasetListView(APIView):
    @extend_schema(responses={200: DatasetOutput(many=True)})
    def get(self, request):
        access = access_for(request.user)
        published = Q(versions__status=DatasetVersion.Status.PUBLISHED)
        datasets = visible_datasets(access).annotate(
            latest_version=Max("versions__number", filter=published)
        )
        pages = Cursor(ordering=("-created_at", "-id"))
        page = pages.paginate_queryset(datasets, request, view=self)
        return pages.get_paginated_response(DatasetOutput(page, many=True).data)

    @extend_schema(request=DatasetInput, responses={201: DatasetOutput})
    def post(self, request):
        values = _input(DatasetInput, request)
        dataset = definition.dataset_create(
            access=access_for(request.user), user=request.user, values=values
        )
        return Response(DatasetOutput(dataset).data, status=status.HTTP_201_CREATED)


class DatasetDetailView(APIView):
    @extend_schema(responses={200: DatasetOutput})
    def get(self, request, pk):
        return Response(DatasetOutput(_visible(request, pk)).data)

    @extend_schema(request=DatasetInput, responses={200: DatasetOutput})
    def patch(self, request, pk):
        dataset = _managed(request, pk)
        values = _input(DatasetInput, request)
        dataset = definition.dataset_update(
            access=access_for(request.user), user=request.user, dataset=dataset, values=values
        )
        return Response(DatasetOutput(dataset).data)


class PublishView(APIView):
    @extend_schema(request=PublishInput, responses={201: VersionOutput, 202: VersionOutput})
    def post(self, request, pk):
        dataset = _managed(request, pk)
        data = _input(PublishInput, request)
        version = publish.version_publish(
            access=access_for(request.user),
            user=request.user,
            dataset=dataset,
            note=data.get("note", ""),
        )
        code = status.HTTP_201_CREATED if version.is_published else status.HTTP_202_ACCEPTED
        answer = VersionOutput(version).data
        return Response(answer, status=code, headers={"Location": answer["url"]})


class VersionListView(APIView):
    @extend_schema(responses={200: VersionOutput(many=True)})
    def get(self, request, pk):
        dataset = _visible(request, pk)
        return Response(VersionOutput(browse.versions_of(dataset), many=True).data)


class VersionDetailView(APIView):
    @extend_schema(responses={200: VersionOutput})
    def get(self, request, pk, number):
        version = browse.version_of(_visible(request, pk), number, published=False)
        return Response(VersionOutput(version).data)


def _version(request, pk, number) -> DatasetVersion:
    return browse.version_of(_visible(request, pk), number)


class RowsView(APIView):
    @extend_schema(responses={200: RowOutput(many=True)})
    def get(self, request, pk, number):
        version = _version(request, pk, number)
        filters = browse.clean_row_filters(request.query_params, version)
        rows = browse.rows_for_display(browse.rows_of(version, filters))
        pages = Cursor(ordering=("observed_at", "record_id"))
        page = pages.paginate_queryset(rows, request, view=self)
        flags = browse.flag_states(version.dataset, [r.record_id for r in page])
        data = RowOutput(page, many=True, context={"flags": flags}).data
        return pages.get_paginated_response(data)


class RowDetailView(APIView):
    @extend_schema(responses={200: RowOutput})
    def get(self, request, pk, number, record_id):
        version = _version(request, pk, number)
        row = review.row_of(version, record_id)
        flags = browse.flag_states(version.dataset, [row.record_id])
        remarks = browse.row_remarks(
            version.dataset, row.record_id, for_user(access_for(request.user))
        )
        return Response(
            {
                **RowOutput(row, context={"flags": flags}).data,
                "remarks": DatasetRemarkOutput(remarks, many=True).data,
            }
        )


class RowRemarksView(APIView):
    @extend_schema(request=RemarkInput, responses={201: DatasetRemarkOutput})
    def post(self, request, pk, number, record_id):
        version = _version(request, pk, number)
        data = _input(RemarkInput, request)
        remark = review.row_remark_create(
            access=access_for(request.user),
            user=request.user,
            version=version,
            record_id=record_id,
            **data,
        )
        return Response(DatasetRemarkOutput(remark).data, status=status.HTTP_201_CREATED)


class SummaryView(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="Summary tables.")})
    def get(self, request, pk, number):
        version = _version(request, pk, number)
        filters = browse.clean_row_filters(request.query_params, version)
        return Response(browse.summary(browse.rows_of(version, filters)))


class MapView(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="GeoJSON FeatureCollection.")})
    def get(self, request, pk, number):
        version = _version(request, pk, number)
        filters = browse.clean_row_filters(request.query_params, version)
        points = browse.map_points(browse.rows_of(version, filters))
        return Response(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "Point",
                            "coordinates": [p["longitude"], p["latitude"]],
                        },
                        "properties": {
                            "records": p["records"],
                            "individuals": p["individuals"],
                            "location_precision": p["location_precision"],
                        },
                    }
                    for p in points
                ],
            }
        )


class DownloadView(APIView):
    @extend_schema(request=DownloadInput, responses={202: ExportOutput})
    def post(self, request, pk, number):
        version = _version(request, pk, number)
        data = _input(DownloadInput, request)
        job = download.version_download(
            access=access_for(request.user),
            user=request.user,
            version=version,
            format=data["format"],
            language=data.get("language") or translation.get_language() or "en",
        )
        job.refresh_from_db()
        answer = ExportOutput(job).data
        return Response(
            answer, status=status.HTTP_202_ACCEPTED, headers={"Location": answer["url"]}
        )


def _pair(request, pk) -> tuple[DatasetVersion, DatasetVersion]:
    dataset = _visible(request, pk)
    params = request.query_params
    return compare.pair(access_for(request.user), dataset, params.get("from"), params.get("to"))


def _limit(request) -> int:
    raw = str(request.query_params.get("limit") or COMPARE_LIMIT)
    if not raw.isdigit() or not 0 < int(raw) <= COMPARE_MAX:
        raise DomainError(
            _("limit: give a number from 1 to %(max)s.") % {"max": COMPARE_MAX},
            "bad_limit",
            field="limit",
        )
    return int(raw)


def _change(change: compare.Change) -> dict:
    before, after = RowOutput(change.before).data, RowOutput(change.after).data
    return {
        "record_id": str(change.after.record_id),
        "fields": change.fields,
        "before": {name: before[name] for name in change.fields},
        "after": {name: after[name] for name in change.fields},
    }


class CompareView(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="Added, removed, changed.")})
    def get(self, request, pk):
        older, newer = _pair(request, pk)
        limit = _limit(request)
        changed_rows = browse.rows_for_display(compare.changed(older, newer))[:limit]
        changed = compare.changes(older, newer, changed_rows)
        return Response(
            {
                "from": older.number,
                "to": newer.number,
                "counts": compare.counts(older, newer),
                "added": RowOutput(
                    browse.rows_for_display(compare.added(older, newer))[:limit], many=True
                ).data,
                "removed": RowOutput(
                    browse.rows_for_display(compare.removed(older, newer))[:limit], many=True
                ).data,
                "changed": [_change(c) for c in changed],
                "download": reverse("api-dataset-compare-csv", args=[older.dataset_id])
                + f"?from={older.number}&to={newer.number}",
            }
        )


class CompareCsvView(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="CSV of the differences.")})
    def get(self, request, pk):
        older, newer = _pair(request, pk)
        answer = StreamingHttpResponse(
            compare.csv_lines(older, newer), content_type="text/csv; charset=utf-8"
        )
        name = f"dataset-v{older.number}-v{newer.number}-changes.csv"
        answer["Content-Disposition"] = f'attachment; filename="{name}"'
        return answer


class FlagsView(APIView):
    @extend_schema(responses={200: DatasetRemarkOutput(many=True)})
    def get(self, request, pk):
        dataset = _visible(request, pk)
        state = str(request.query_params.get("state") or "").strip()
        flags = browse.dataset_flags(dataset, state, for_user(access_for(request.user)))
        return Response(
            {
                "counts": browse.flag_counts(dataset),
                "flags": DatasetRemarkOutput(flags, many=True).data,
            }
        )


class CommentsView(APIView):
    @extend_schema(responses={200: CommentOutput(many=True)})
    def get(self, request, pk):
        dataset = _visible(request, pk)
        return Response(CommentOutput(browse.dataset_comments(dataset), many=True).data)

    @extend_schema(request=CommentInput, responses={201: CommentOutput})
    def post(self, request, pk):
        dataset = _visible(request, pk)
        data = _input(CommentInput, request)
        version = browse.version_of(dataset, data["version"]) if data.get("version") else None
        comment = review.dataset_comment_create(
            access=access_for(request.user),
            user=request.user,
            dataset=dataset,
            text=data["text"],
            version=version,
        )
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)


class ReviewersView(APIView):
    @extend_schema(responses={200: ReviewerOutput(many=True)})
    def get(self, request, pk):
        dataset = _managed(request, pk)
        reviewers = dataset.reviewers.select_related("user").order_by("invited_at")
        return Response(ReviewerOutput(reviewers, many=True).data)

    @extend_schema(request=ReviewerInput, responses={201: ReviewerOutput})
    def post(self, request, pk):
        dataset = _managed(request, pk)
        data = _input(ReviewerInput, request)
        reviewer = definition.reviewer_invite(
            access=access_for(request.user),
            user=request.user,
            dataset=dataset,
            username=data["username"],
        )
        return Response(ReviewerOutput(reviewer).data, status=status.HTTP_201_CREATED)


class ReviewerDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk, user_id):
        dataset = _managed(request, pk)
        definition.reviewer_remove(
            access=access_for(request.user), dataset=dataset, user_id=user_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
