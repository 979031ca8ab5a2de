"""The education API (under /api/v1/): published articles for anyone, and the outreach summary
(the dashboard's feed) for staff who record activities."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.accounts.permissions import HasCapability
from open12348.accounts.roles import Capability
from open12348.network.apis import PublicRateThrottle

from . import reports, selectors
from .choices import EducationAudience, EducationTopic
from .serializers import ActivitySummarySerializer, ArticleSerializer

TAG = "legal education"


@extend_schema(tags=[TAG], summary="Published legal education articles", parameters=[
    OpenApiParameter("topic", OpenApiTypes.STR, enum=list(EducationTopic.values)),
    OpenApiParameter("audience", OpenApiTypes.STR, enum=list(EducationAudience.values)),
    OpenApiParameter("county", OpenApiTypes.STR, description="County code, e.g. 410403"),
])
class ArticleListApi(generics.ListAPIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "public"
    serializer_class = ArticleSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        topic, audience = params.get("topic") or "", params.get("audience") or ""
        if topic and topic not in EducationTopic.values:
            raise ValidationError({"topic": [_("Choose a topic from the list.")]})
        if audience and audience not in EducationAudience.values:
            raise ValidationError({"audience": [_("Choose the audience from the list.")]})
        return selectors.live_articles(topic=topic, audience=audience,
                                       county=selectors.county_by_code(params.get("county") or ""))


def _date(value: str | None, default: dt.date, name: str) -> dt.date:
    if not value:
        return default
    try:
        if len(value) != len("YYYY-MM-DD"):  # fromisoformat also reads 20260101 and week dates
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError({name: [_("Give the date as YYYY-MM-DD.")]}) from exc


@extend_schema(tags=[TAG], summary="Outreach activities held in a period, by county, kind and audience", parameters=[
    OpenApiParameter("start", OpenApiTypes.DATE), OpenApiParameter("end", OpenApiTypes.DATE),
], responses={200: ActivitySummarySerializer})
class ActivitySummaryApi(APIView):
    permission_classes = [HasCapability]
    required_capability = Capability.EDUCATION_EDIT

    def get(self, request):
        today = timezone.localdate()
        start = _date(request.query_params.get("start"), today.replace(month=1, day=1), "start")
        end = _date(request.query_params.get("end"), today, "end")
        if start > end:
            raise ValidationError({"start": [_("The start of the period must not be after its end.")]})
        report = reports.activity_report(user=request.user, start=start, end=end)
        return Response(ActivitySummarySerializer(report).data)
