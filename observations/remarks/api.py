"""Comments, flags and answers through the API (services in observations.remarks.services)."""

from django.shortcuts import get_object_or_404
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..access import access_for
from ..disclosure import for_user
from ..disclosure.policy import remark_text
from ..models import Remark
from . import services


class RemarkOutput(serializers.ModelSerializer):
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Remark
        fields = [
            "id",
            "origin_node",
            "subject_id",
            "parent",
            "kind",
            "reason",
            "text",
            "closes",
            "author_code",
            "author_role",
            "created_at",
            "is_open",
            "dataset_uuid",
            "dataset_title",
            "dataset_version",
        ]

    def to_representation(self, remark):
        """The text as the disclosure policy shows it to this reader, beside the record."""
        data = super().to_representation(remark)
        access = self.context.get("access")
        if access is not None:
            record = self.context.get("record", remark.observation)
            data["text"] = remark_text(for_user(access), remark.text, record).value
        return data

    def get_is_open(self, remark) -> bool | None:
        if remark.kind != Remark.Kind.FLAG:
            return None
        return not any(a.closes for a in remark.answers.all())


class RemarkInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[Remark.Kind.COMMENT, Remark.Kind.FLAG])
    reason = serializers.ChoiceField(
        choices=Remark.Reason.choices, required=False, allow_blank=True
    )
    text = serializers.CharField(max_length=5000)


class AnswerInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    closes = serializers.BooleanField(default=True)


class RemarksMixin:
    """``GET/POST /api/v1/observations/{id}/remarks/`` on the observation endpoint."""

    @action(detail=True, methods=["get", "post"])
    def remarks(self, request, pk=None):
        observation = self.get_object()
        if request.method == "POST":
            body = RemarkInput(data=request.data)
            body.is_valid(raise_exception=True)
            remark = services.remark_create(
                access=access_for(request.user),
                user=request.user,
                observation=observation,
                **body.validated_data,
            )
            context = {"access": access_for(request.user), "record": observation}
            return Response(
                RemarkOutput(remark, context=context).data, status=status.HTTP_201_CREATED
            )
        remarks = Remark.objects.filter(subject_id=observation.pk).prefetch_related("answers")
        context = {"access": access_for(request.user), "record": observation}
        return Response(RemarkOutput(remarks, many=True, context=context).data)


class RemarkViewSet(viewsets.GenericViewSet):
    """``POST /api/v1/remarks/{id}/answer/``: the PA manager answers a flag."""

    serializer_class = RemarkOutput

    def get_queryset(self):
        return (
            access_for(self.request.user)
            .visible_remarks()
            .select_related("observation__species", "observation__protected_area")
        )

    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        flag = get_object_or_404(self.get_queryset(), pk=pk)
        body = AnswerInput(data=request.data)
        body.is_valid(raise_exception=True)
        answer = services.flag_answer(
            access=access_for(request.user), user=request.user, flag=flag, **body.validated_data
        )
        context = {"access": access_for(request.user), "record": flag.observation}
        return Response(RemarkOutput(answer, context=context).data, status=status.HTTP_201_CREATED)
