"""The dashboard's figures over the API (/api/v1/stats/...), for the provincial platform."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from open12348.accounts.permissions import HasCapability
from open12348.accounts.roles import Capability
from open12348.network.models import Region

from .forms import PeriodForm
from .selectors import AREAS, Period, by_township, checkup_figures, outreach_figures, quality_figures
from .serializers import (
    OverviewSerializer,
    PeriodQuerySerializer,
    QualityOverviewSerializer,
    TownshipFiguresSerializer,
    TownshipQuerySerializer,
)


def _period_and_region(request: Request, query_serializer: type = PeriodQuerySerializer) -> tuple[Period, object]:
    query = query_serializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = dict(query.validated_data)
    form = PeriodForm(data={"start": data.get("start"), "end": data.get("end")}, user=request.user)
    region = None
    if data.get("region"):
        region = form.fields["region"].queryset.filter(code=data["region"]).first()
        if region is None:
            raise ValidationError({"region": [_("No county with this code within your area.")]})
    if not form.is_valid():
        raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    return form.cleaned_data["period"], region


class DashboardApi(APIView):
    permission_classes = [IsAuthenticated, HasCapability]
    required_capability = Capability.DASHBOARD_VIEW


class OverviewApi(DashboardApi):
    @extend_schema(parameters=[PeriodQuerySerializer], responses=OverviewSerializer,
                   summary="The headline figures of a period (legal aid and hotline), within your data scope")
    def get(self, request: Request) -> Response:
        period, region = _period_and_region(request)
        return Response(OverviewSerializer({
            "start": period.start, "end": period.end, "region": region.code if region is not None else None,
            **{area: figures(user=request.user, period=period, region=region) for area, figures in AREAS.items()},
        }).data)


class QualityApi(DashboardApi):
    @extend_schema(parameters=[PeriodQuerySerializer], responses=QualityOverviewSerializer,
                   summary="Case quality, enterprise check-ups and legal education outreach of a period, within "
                   "your data scope")
    def get(self, request: Request) -> Response:
        period, region = _period_and_region(request)
        return Response(QualityOverviewSerializer({
            "start": period.start, "end": period.end, "region": region.code if region is not None else None,
            "quality": quality_figures(user=request.user, period=period, region=region),
            "checkups": checkup_figures(user=request.user, period=period, region=region),
            "outreach": outreach_figures(user=request.user, period=period, region=region),
        }).data)


class TownshipsApi(DashboardApi):
    @extend_schema(parameters=[TownshipQuerySerializer], responses=TownshipFiguresSerializer,
                   summary="Legal aid applications and cases of a county by the applicant's township")
    def get(self, request: Request) -> Response:
        period, county = _period_and_region(request, TownshipQuerySerializer)
        figures = {metric: by_township(user=request.user, metric=metric, period=period, county=county)
                   for metric in ("aid.applied", "aid.case")}
        people = by_township(user=request.user, metric="aid.case", period=period, county=county, measure="people")
        rows = [{"code": township.code, "name": township.name,
                 "applications": figures["aid.applied"][0].get(township.pk, 0),
                 "cases": figures["aid.case"][0].get(township.pk, 0), "people_aided": people[0].get(township.pk, 0)}
                for township in Region.objects.filter(parent=county, level="township").order_by("code")]
        rows.append({"code": None, "name": county.name, "applications": figures["aid.applied"][1],
                     "cases": figures["aid.case"][1], "people_aided": people[1]})
        return Response(TownshipFiguresSerializer({"start": period.start, "end": period.end, "region": county.code,
                                                   "townships": rows}).data)
