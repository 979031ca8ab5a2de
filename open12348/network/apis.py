"""Public directory API: anyone may read, rate-limited per client address."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from open12348.core.middleware import client_ip

from .choices import InstitutionKind, PractitionerKind, ServicePointKind
from .filters import (
    DirectoryFilterForm,
    InstitutionFilterForm,
    PractitionerFilterForm,
    RegionChildrenForm,
    ServicePointFilterForm,
)
from .selectors import (
    attach_region_display_names,
    directory_institutions,
    directory_practitioners,
    directory_service_points,
    region_children,
)
from .serializers import (
    DirectoryErrorSerializer,
    InstitutionDetailSerializer,
    InstitutionListSerializer,
    PractitionerDetailSerializer,
    PractitionerListSerializer,
    RegionSerializer,
    ServicePointSerializer,
)

TAG = "directory"


class PublicRateThrottle(ScopedRateThrottle):
    """Counts per client address as the project sees it: a client cannot dodge the limit by
    sending its own X-Forwarded-For (DRF's default would trust that header)."""

    def get_ident(self, request) -> str:
        return client_ip(request)


class PublicApi:
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "public"


def _invalid(form: DirectoryFilterForm | RegionChildrenForm) -> ValidationError:
    return ValidationError({name: [str(e["message"]) for e in errors]
                            for name, errors in form.errors.get_json_data().items()})


# --- documented query parameters ------------------------------------------------------------

Q_PARAM = OpenApiParameter(
    "q", OpenApiTypes.STR, description="Free text: name or address in Chinese, full pinyin (wangdezhou) "
    "or pinyin initials (wdz).",
)
REGION_PARAM = OpenApiParameter(
    "region", OpenApiTypes.STR, description="A division code (GB/T 2260), e.g. 410402. Records anywhere "
    "inside the region are included. An unknown code is a 400 error on `region`.",
)
SERVICE_PARAM = OpenApiParameter(
    "service", OpenApiTypes.STR, description="A service code, e.g. legal-aid. An unknown code is a 400 error.",
)
SPECIALTY_PARAM = OpenApiParameter(
    "specialty", OpenApiTypes.STR, description="A specialty code, e.g. labour. An unknown code is a 400 error.",
)
INSTITUTION_PARAM = OpenApiParameter(
    "institution", OpenApiTypes.INT, description="Only people working at this institution (its id).",
)


def _kind_param(choices) -> OpenApiParameter:
    return OpenApiParameter(
        "kind", OpenApiTypes.STR, enum=[code for code, _label in choices],
        description="The type of record. An unknown type is a 400 error on `kind`.",
    )


ERRORS = {400: DirectoryErrorSerializer, 429: DirectoryErrorSerializer}
DETAIL_ERRORS = {404: DirectoryErrorSerializer, 429: DirectoryErrorSerializer}


# --- lists and details ------------------------------------------------------------------------

class DirectoryListApi(PublicApi, generics.ListAPIView):
    filter_form_class: type[DirectoryFilterForm]
    selector: Callable[..., QuerySet]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        form = self.filter_form_class(self.request.query_params)
        if not form.is_valid():
            raise _invalid(form)
        return type(self).selector(**form.selector_kwargs())

    def list(self, request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        attach_region_display_names(regions=[obj.region for obj in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DirectoryDetailApi(PublicApi, generics.RetrieveAPIView):
    def get_object(self):
        obj = super().get_object()
        attach_region_display_names(regions=[obj.region])
        return obj


@extend_schema(
    tags=[TAG], summary="Search institutions",
    parameters=[Q_PARAM, REGION_PARAM, _kind_param(InstitutionKind.choices), SERVICE_PARAM],
    responses={200: InstitutionListSerializer(many=True), **ERRORS},
)
class InstitutionListApi(DirectoryListApi):
    filter_form_class = InstitutionFilterForm
    selector = directory_institutions
    serializer_class = InstitutionListSerializer


@extend_schema(tags=[TAG], summary="One institution", responses={200: InstitutionDetailSerializer, **DETAIL_ERRORS})
class InstitutionDetailApi(DirectoryDetailApi):
    serializer_class = InstitutionDetailSerializer

    def get_queryset(self) -> QuerySet:
        return directory_institutions().select_related("service_point")


@extend_schema(
    tags=[TAG], summary="Search legal professionals",
    parameters=[Q_PARAM, REGION_PARAM, _kind_param(PractitionerKind.choices), SPECIALTY_PARAM, INSTITUTION_PARAM],
    responses={200: PractitionerListSerializer(many=True), **ERRORS},
)
class PractitionerListApi(DirectoryListApi):
    filter_form_class = PractitionerFilterForm
    selector = directory_practitioners
    serializer_class = PractitionerListSerializer


@extend_schema(tags=[TAG], summary="One legal professional", responses={200: PractitionerDetailSerializer, **DETAIL_ERRORS})
class PractitionerDetailApi(DirectoryDetailApi):
    serializer_class = PractitionerDetailSerializer

    def get_queryset(self) -> QuerySet:
        return directory_practitioners().select_related("service_point")


@extend_schema(
    tags=[TAG], summary="Search service points",
    parameters=[Q_PARAM, REGION_PARAM, _kind_param(ServicePointKind.choices), SERVICE_PARAM],
    responses={200: ServicePointSerializer(many=True), **ERRORS},
)
class ServicePointListApi(DirectoryListApi):
    filter_form_class = ServicePointFilterForm
    selector = directory_service_points
    serializer_class = ServicePointSerializer


@extend_schema(tags=[TAG], summary="One service point", responses={200: ServicePointSerializer, **DETAIL_ERRORS})
class ServicePointDetailApi(DirectoryDetailApi):
    serializer_class = ServicePointSerializer

    def get_queryset(self) -> QuerySet:
        return directory_service_points()


# --- regions ------------------------------------------------------------------------------------

class RegionListApi(PublicApi, APIView):
    @extend_schema(
        tags=[TAG], summary="Children of a region",
        parameters=[OpenApiParameter(
            "parent", OpenApiTypes.STR,
            description="A division code; without it, the top-level regions. An unknown code is a 400 error.",
        )],
        responses={200: RegionSerializer(many=True), 400: DirectoryErrorSerializer, 429: DirectoryErrorSerializer},
    )
    def get(self, request) -> Response:
        form = RegionChildrenForm(request.query_params)
        if not form.is_valid():
            raise _invalid(form)
        children = list(region_children(parent=form.cleaned_data["parent"]))
        attach_region_display_names(regions=children)
        return Response(RegionSerializer(children, many=True).data)
