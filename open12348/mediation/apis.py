"""The mediation API (under /api/v1/): the dispute cases of the caller's region, for mediation staff."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated

from open12348.accounts.permissions import HasCapability
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record

from .access import access_dispute
from .choices import DisputeStatus, DisputeType
from .selectors import DisputeFilters, dispute_list
from .serializers import DisputeDetailSerializer, DisputeListSerializer

TAG = "mediation"


class MediationStaffApi:
    permission_classes = [IsAuthenticated, HasCapability]
    required_capability = Capability.MEDIATION_HANDLE


@extend_schema(tags=[TAG], summary="The dispute cases of the caller's region", parameters=[
    OpenApiParameter("status", OpenApiTypes.STR, enum=list(DisputeStatus.values)),
    OpenApiParameter("dispute_type", OpenApiTypes.STR, enum=list(DisputeType.values)),
], responses={200: DisputeListSerializer(many=True)})
class DisputeListApi(MediationStaffApi, generics.ListAPIView):
    serializer_class = DisputeListSerializer

    def get_queryset(self):
        status = self.request.query_params.get("status", "")
        dispute_type = self.request.query_params.get("dispute_type", "")
        if status and status not in DisputeStatus.values:
            raise ValidationError({"status": ["unknown status"]})
        if dispute_type and dispute_type not in DisputeType.values:
            raise ValidationError({"dispute_type": ["unknown dispute type"]})
        return dispute_list(user=self.request.user, filters=DisputeFilters(status=status, dispute_type=dispute_type))


@extend_schema(tags=[TAG], summary="One dispute case with its parties (masked), sessions and agreement",
               responses={200: DisputeDetailSerializer})
class DisputeDetailApi(MediationStaffApi, generics.RetrieveAPIView):
    serializer_class = DisputeDetailSerializer

    def get_object(self):
        case = access_dispute(user=self.request.user, id=self.kwargs["id"])
        audit_record(actor=self.request.user, action="mediation.case.view", obj=case, extra={"via": "api"})
        return case
