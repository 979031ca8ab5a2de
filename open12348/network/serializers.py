"""Public directory representations. Only public fields: a practitioner's ID number and private
mobile (and their hashes) have no field here, so no view can leak them by accident."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .choices import InstitutionKind, PartnerBody, PractitionerKind, RegionLevel, ServicePointKind, Sex
from .models import Institution, Practitioner, Region, ServicePoint


class CodeLabelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


@extend_schema_field(CodeLabelSerializer)
class ChoiceObjectField(serializers.Field):
    """A choice as `{"code": "lawyer", "label": "律师"}`; the label is in the request's language."""

    def __init__(self, choices, **kwargs) -> None:
        self.labels = dict(choices)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        if not value:
            return None
        return {"code": value, "label": str(self.labels.get(value, value))}


class RegionSerializer(serializers.ModelSerializer):
    level = ChoiceObjectField(RegionLevel.choices)
    full_name = serializers.SerializerMethodField(help_text="Names from the city down, e.g. 平顶山市新华区.")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "full_name"]

    def get_full_name(self, region: Region) -> str:
        # Lists set `display_name` for a whole page in one query (attach_region_display_names).
        return getattr(region, "display_name", None) or region.full_name()


class VocabularySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class InstitutionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "name", "address", "phone"]


class ServicePointSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ServicePoint
        fields = ["id", "name", "address", "phone", "opening_hours"]


class InstitutionListSerializer(serializers.ModelSerializer):
    kind = ChoiceObjectField(InstitutionKind.choices)
    region = RegionSerializer()
    services = VocabularySerializer(many=True)

    class Meta:
        model = Institution
        fields = ["id", "name", "kind", "region", "address", "phone", "opening_hours", "services"]


class InstitutionDetailSerializer(InstitutionListSerializer):
    service_point = serializers.SerializerMethodField()

    class Meta(InstitutionListSerializer.Meta):
        fields = [*InstitutionListSerializer.Meta.fields, "description", "service_point"]

    @extend_schema_field(ServicePointSummarySerializer(allow_null=True))
    def get_service_point(self, institution: Institution):
        point = institution.service_point if institution.service_point_id else None
        return ServicePointSummarySerializer(point).data if point and point.is_public else None


class PractitionerListSerializer(serializers.ModelSerializer):
    kind = ChoiceObjectField(PractitionerKind.choices)
    sex = ChoiceObjectField(Sex.choices)
    region = RegionSerializer()
    institution = serializers.SerializerMethodField(
        help_text="Where the person works; its phone is the public number to call."
    )
    specialties = VocabularySerializer(many=True)
    years_of_practice = serializers.SerializerMethodField()

    class Meta:
        model = Practitioner
        fields = [
            "id", "name", "kind", "sex", "licence_no", "region", "institution", "specialties",
            "years_of_practice", "languages",
        ]

    @extend_schema_field(InstitutionSummarySerializer(allow_null=True))
    def get_institution(self, person: Practitioner):
        institution = person.institution if person.institution_id else None
        return InstitutionSummarySerializer(institution).data if institution and institution.is_public else None

    def get_years_of_practice(self, person: Practitioner) -> int | None:
        return person.years_of_practice()


class PractitionerDetailSerializer(PractitionerListSerializer):
    service_point = serializers.SerializerMethodField()

    class Meta(PractitionerListSerializer.Meta):
        fields = [*PractitionerListSerializer.Meta.fields, "practice_since", "duty_hours", "profile", "service_point"]

    @extend_schema_field(ServicePointSummarySerializer(allow_null=True))
    def get_service_point(self, person: Practitioner):
        point = person.service_point if person.service_point_id else None
        return ServicePointSummarySerializer(point).data if point and point.is_public else None


class ServicePointSerializer(serializers.ModelSerializer):
    kind = ChoiceObjectField(ServicePointKind.choices)
    partner_body = ChoiceObjectField(PartnerBody.choices, allow_null=True)
    region = RegionSerializer()
    institution = serializers.SerializerMethodField(help_text="The institution that runs this point.")
    services = VocabularySerializer(many=True)

    class Meta:
        model = ServicePoint
        fields = [
            "id", "name", "kind", "partner_body", "region", "address", "phone", "opening_hours", "services",
            "institution",
        ]

    @extend_schema_field(InstitutionSummarySerializer(allow_null=True))
    def get_institution(self, point: ServicePoint):
        institution = point.institution if point.institution_id else None
        return InstitutionSummarySerializer(institution).data if institution and institution.is_public else None


class DirectoryErrorSerializer(serializers.Serializer):
    """The project's error shape (open12348.api.errors): `fields` maps a parameter to its messages."""

    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
