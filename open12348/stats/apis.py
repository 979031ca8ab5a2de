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

from .forms import PeriodForm
from .selectors import AREAS
from .serializers import OverviewSerializer, PeriodQuerySerializer


class OverviewApi(APIView):
    permission_classes = [IsAuthenticated, HasCapability]
    required_capability = Capability.DASHBOARD_VIEW

    @extend_schema(parameters=[PeriodQuerySerializer], responses=OverviewSerializer,
                   summary="The headline figures of a period (legal aid and hotline), within your data scope")
    def get(self, request: Request) -> Response:
        query = PeriodQuerySerializer(data=request.query_params)
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
        period = form.cleaned_data["period"]
        return Response(OverviewSerializer({
            "start": period.start, "end": period.end, "region": region.code if region is not None else None,
            **{area: figures(user=request.user, period=period, region=region) for area, figures in AREAS.items()},
        }).data)
