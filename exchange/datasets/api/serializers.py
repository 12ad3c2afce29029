"""Serializers of the datasets API: input checked here, decisions in the services."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse
from rest_framework import serializers

from observations.models import Remark, localized

from ...models import Dataset, DatasetComment, DatasetReviewer, DatasetRow, DatasetVersion
from ..checksum import FIELDS
from ..citation import citation_for


class DatasetInput(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    description_en = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    description_ru = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    description_zh = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    licence = serializers.CharField(required=False, allow_blank=True, max_length=40)
    precision = serializers.CharField(required=False, allow_blank=True, max_length=10)
    query = serializers.JSONField(required=False)
    include_received = serializers.BooleanField(required=False)
    excluded_records = serializers.JSONField(required=False)


class DatasetOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    description = serializers.CharField(read_only=True)
    latest_version = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        fields = [
            "id",
            "url",
            "page",
            "title",
            "description",
            "description_en",
            "description_ru",
            "description_zh",
            "licence",
            "precision",
            "query",
            "include_received",
            "excluded_records",
            "latest_version",
            "created_at",
            "updated_at",
        ]

    def get_url(self, dataset) -> str:
        return reverse("api-dataset", args=[dataset.pk])

    def get_page(self, dataset) -> str:
        return reverse("dataset-detail", args=[dataset.pk])

    def get_latest_version(self, dataset) -> int | None:
        latest = getattr(dataset, "latest_version", None)
        if latest is None and not hasattr(dataset, "latest_version"):
            latest = (
                dataset.versions.filter(status=DatasetVersion.Status.PUBLISHED)
                .aggregate(m=Max("number"))
                .get("m")
            )
        return latest


class VersionOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()
    description = serializers.CharField(read_only=True)
    citation_localized = serializers.SerializerMethodField()

    class Meta:
        model = DatasetVersion
        fields = [
            "id",
            "number",
            "url",
            "rows",
            "status",
            "note",
            "title",
            "description",
            "description_en",
            "description_ru",
            "description_zh",
            "licence",
            "precision",
            "query",
            "include_received",
            "excluded_records",
            "contributors",
            "publisher",
            "row_count",
            "checksum",
            "citation",
            "citation_localized",
            "error",
            "created_at",
            "published_at",
        ]

    def get_url(self, version) -> str:
        return reverse("api-dataset-version", args=[version.dataset_id, version.number])

    def get_rows(self, version) -> str:
        return reverse("api-dataset-rows", args=[version.dataset_id, version.number])

    def get_citation_localized(self, version) -> str:
        return citation_for(version)


NAMED = {"protected_area_code": ("protected_area",), "scientific_name": ("species",)}


class RowOutput(serializers.ModelSerializer):
    protected_area = serializers.SerializerMethodField()
    species = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()

    class Meta:
        model = DatasetRow
        # The version's columns (the checksum's, in its order), each code followed by the
        # name it stands for in the reader's language; then the reviewers' flags.
        fields = [
            *(name for column in FIELDS for name in (column, *NAMED.get(column, ()))),
            "flags",
        ]

    def get_protected_area(self, row) -> str:
        return localized(row.protected_area)

    def get_species(self, row) -> str:
        return localized(row.species)

    def get_flags(self, row) -> str | None:
        return self.context.get("flags", {}).get(row.record_id)


class AnswerOutput(serializers.ModelSerializer):
    class Meta:
        model = Remark
        fields = ["id", "origin_node", "text", "closes", "author_code", "author_role", "created_at"]


class DatasetRemarkOutput(serializers.ModelSerializer):
    is_open = serializers.SerializerMethodField()
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Remark
        fields = [
            "id",
            "origin_node",
            "subject_id",
            "kind",
            "reason",
            "text",
            "author_code",
            "author_role",
            "dataset_version",
            "created_at",
            "is_open",
            "answers",
        ]

    def get_is_open(self, remark) -> bool | None:
        if remark.kind != Remark.Kind.FLAG:
            return None
        answers = getattr(remark, "answer_list", None)
        if answers is None:
            answers = list(remark.answers.all())
        return not any(a.closes for a in answers)

    def get_answers(self, remark) -> list[dict]:
        answers = getattr(remark, "answer_list", None)
        if answers is None:
            answers = list(remark.answers.all())
        return AnswerOutput(answers, many=True).data


class RemarkInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[Remark.Kind.COMMENT, Remark.Kind.FLAG])
    reason = serializers.ChoiceField(
        choices=Remark.Reason.choices, required=False, allow_blank=True
    )
    text = serializers.CharField(max_length=5000, allow_blank=True)


class CommentInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000, allow_blank=True)
    version = serializers.IntegerField(required=False, min_value=1)


class CommentOutput(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()

    class Meta:
        model = DatasetComment
        fields = ["id", "version", "text", "author", "author_role", "created_at"]

    def get_author(self, comment) -> str:
        return comment.author.get_username() if comment.author else comment.author_code

    def get_version(self, comment) -> int | None:
        return comment.version.number if comment.version else None


class ReviewerInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)


class ReviewerOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = DatasetReviewer
        fields = ["user_id", "username", "invited_at"]


class PublishInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class DownloadInput(serializers.Serializer):
    format = serializers.CharField(max_length=20)
    language = serializers.ChoiceField(
        choices=["en", "ru", "zh-hans"], required=False, allow_blank=True
    )
