"""The check-up API (read-only): visits of the user's region, with the check-list and the counts the
figures use. Named workers are not in the API: only their number and how many went to legal aid."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.accounts.permissions import HasCapability
from open12348.accounts.roles import Capability
from open12348.api.pagination import PageNumberPagination
from open12348.core.serializers import ApiErrorSerializer

from . import selectors
from .choices import CheckupVisitStatus
from .models import Finding

TAG = "enterprise check-ups"


class FindingOut(serializers.Serializer):
    kind = serializers.CharField()
    found = serializers.BooleanField()
    workers_affected = serializers.IntegerField()
    note = serializers.CharField()


class VisitOut(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = serializers.IntegerField(source="campaign_id")
    campaign_name = serializers.CharField(source="campaign.name")
    enterprise = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    sector = serializers.CharField(source="enterprise.sector")
    size = serializers.CharField(source="enterprise.size")
    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    status = serializers.CharField()
    planned_on = serializers.DateField()
    visited_on = serializers.DateField(allow_null=True)
    workers_interviewed = serializers.IntegerField()
    opinion_issued = serializers.SerializerMethodField()
    report_number = serializers.CharField()
    report_issued_on = serializers.DateField(allow_null=True)
    follow_up_due = serializers.DateField(allow_null=True)
    followed_up_on = serializers.DateField(allow_null=True)
    follow_up_result = serializers.CharField()
    workers_named = serializers.IntegerField()
    applications = serializers.IntegerField()
    findings = FindingOut(many=True, source="findings_list")

    def get_opinion_issued(self, visit) -> bool:
        return bool(visit.opinion)


def _visits(user):
    return (selectors.visits_for(user).select_related("campaign", "enterprise", "region")
            .annotate(workers_named=Count("workers", distinct=True),
                      applications=Count("workers", filter=Q(workers__application__isnull=False), distinct=True))
            .prefetch_related(Prefetch("findings", queryset=Finding.objects.order_by("id"), to_attr="findings_list")))


class CheckupApi(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, HasCapability]
    required_capability = Capability.CHECKUP_RECORD


class VisitFilterSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, required=False)
    status = serializers.ChoiceField(choices=CheckupVisitStatus.choices, required=False)


class VisitListApi(CheckupApi):
    pagination_class = PageNumberPagination  # what get() pages with; the document shows the page's envelope
    @extend_schema(tags=[TAG], summary="Check-up visits of my region", responses={200: VisitOut(many=True)},
                   parameters=[VisitFilterSerializer])
    def get(self, request):
        visits = _visits(request.user)
        filters = VisitFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        if filters.validated_data.get("campaign"):
            visits = visits.filter(campaign_id=filters.validated_data["campaign"])
        if filters.validated_data.get("status"):
            visits = visits.filter(status=filters.validated_data["status"])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(visits.order_by("-planned_on", "-id"), request, view=self)
        return paginator.get_paginated_response(VisitOut(page, many=True).data)


class VisitDetailApi(CheckupApi):
    @extend_schema(tags=[TAG], summary="One check-up visit", responses={200: VisitOut, 404: ApiErrorSerializer})
    def get(self, request, id: int):  # noqa: A002
        visit = _visits(request.user).filter(pk=id).first()
        if visit is None:
            raise Http404
        return Response(VisitOut(visit).data)
