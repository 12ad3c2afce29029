"""Viewsets of the census API: ``/api/v1/census/`` (URL list: observations.census.api_urls).

- ``GET/POST campaigns/``: everyone logged in reads campaigns; coordinators create them
  (``protected_areas``: PA codes; an empty list answers 400 ``campaign_without_pas``).
- ``GET campaigns/{id}/``: the campaign with its ``participants``: every PA, its state
  (``missing``, ``submitted``, ``confirmed``) labelled in English, Russian and Chinese.
- ``GET/POST campaigns/{id}/counts/``: the PAs' counts; a PA's ranger or manager submits
  its count (``window_not_open`` / ``window_closed`` outside the submission window).
- ``GET/PATCH counts/{id}/``, ``POST counts/{id}/confirm/``: correct a count until its PA
  manager confirms it.
- ``GET campaigns/{id}/reconciliation/``: per-country totals, the raw sum, the duplicates
  taken off and the reconciled total, with the double-count flags;
  ``POST campaigns/{id}/reconcile/`` recomputes the flags (after the partner's counts
  arrive) and answers the same.
- ``POST flags/{id}/resolve/``: ``{"decision": "same"|"different", "note", "duplicate_count"}``.

Thin: parse, call observations.census.services (reads: the selectors), render.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from observations.access import access_for

from .. import selectors
from ..services.campaigns import campaign_create
from ..services.counts import count_confirm, count_submit, count_update
from ..services.reconciliation import campaign_reconcile, flag_resolve
from .serializers import (
    CampaignInput,
    CampaignOutput,
    CountInput,
    CountOutput,
    FlagOutput,
    ReconciliationOutput,
    ResolveInput,
)


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Joint census campaigns (every logged-in user reads them; coordinators set them up)."""

    serializer_class = CampaignOutput
    pagination_class = None  # a few campaigns a year

    def get_queryset(self):
        return selectors.campaigns_with_states()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object(), status.HTTP_200_OK)

    def _detail(self, campaign, code):
        context = {**self.get_serializer_context(), "detail": True}
        return Response(CampaignOutput(campaign, context=context).data, status=code)

    @extend_schema(request=CampaignInput, responses={201: CampaignOutput, 200: CampaignOutput})
    def create(self, request, *args, **kwargs):
        body = CampaignInput(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        campaign, created = campaign_create(
            access=access_for(request.user),
            user=request.user,
            values=values,
            campaign_id=values.pop("id", None),
        )
        campaign = self.get_queryset().get(pk=campaign.pk)
        return self._detail(campaign, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=CountInput, responses={200: CountOutput(many=True), 201: CountOutput})
    @action(detail=True, methods=["get", "post"])
    def counts(self, request, pk=None):
        campaign = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            counts = selectors.counts_with_records().filter(campaign=campaign)
            return Response(CountOutput(counts, many=True, context=context).data)
        body = CountInput(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        count, created = count_submit(
            access=context["access"],
            user=request.user,
            campaign=campaign,
            values=values,
            count_id=values.pop("id", None),
        )
        count = selectors.counts_with_records().get(pk=count.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CountOutput(count, context=context).data, status=code)

    @extend_schema(responses=ReconciliationOutput)
    @action(detail=True, methods=["get"])
    def reconciliation(self, request, pk=None):
        campaign = self.get_object()
        summary = selectors.reconciliation(campaign=campaign)
        return Response(ReconciliationOutput((campaign, summary)).data)

    @extend_schema(request=None, responses=ReconciliationOutput)
    @action(detail=True, methods=["post"])
    def reconcile(self, request, pk=None):
        """Recompute the double-count flags (coordinators of the campaign's node)."""
        campaign = self.get_object()
        campaign_reconcile(access=access_for(request.user), campaign=campaign)
        summary = selectors.reconciliation(campaign=campaign)
        return Response(ReconciliationOutput((campaign, summary)).data)


class CountViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One PA's count: read it, correct it (PATCH) until confirmed, confirm it."""

    serializer_class = CountOutput

    def get_queryset(self):
        return selectors.counts_with_records()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _render(self, count):
        count = self.get_queryset().get(pk=count.pk)
        return Response(CountOutput(count, context=self.get_serializer_context()).data)

    @extend_schema(request=CountInput, responses=CountOutput)
    def partial_update(self, request, *args, **kwargs):
        count = self.get_object()
        body = CountInput(data=request.data, partial_update=True)
        body.is_valid(raise_exception=True)
        count_update(
            access=access_for(request.user),
            user=request.user,
            count=count,
            values=dict(body.validated_data),
        )
        return self._render(count)

    @extend_schema(request=None, responses=CountOutput)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        count = count_confirm(
            access=access_for(request.user), user=request.user, count=self.get_object()
        )
        return self._render(count)


class FlagViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A candidate double count and the coordinator's decision."""

    serializer_class = FlagOutput

    def get_queryset(self):
        return selectors.flags_with_sides()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=ResolveInput, responses=FlagOutput)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        body = ResolveInput(data=request.data)
        body.is_valid(raise_exception=True)
        flag = flag_resolve(
            access=access_for(request.user),
            user=request.user,
            flag=self.get_object(),
            **body.validated_data,
        )
        return Response(FlagOutput(self.get_queryset().get(pk=flag.pk)).data)
