"""Shapes of the mediation API. ID numbers and phones leave the API masked only."""

from __future__ import annotations

from rest_framework import serializers


class PartySerializer(serializers.Serializer):
    side = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField(source="id_number_masked")
    phone = serializers.CharField(source="phone_masked")
    consent = serializers.CharField()


class DisputeListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    dispute_type = serializers.CharField()
    dispute_type_label = serializers.CharField(source="get_dispute_type_display")
    source = serializers.CharField()
    committee = serializers.IntegerField(source="committee_id")
    committee_name = serializers.CharField(source="committee.name")
    region = serializers.CharField(source="region.code")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    received_on = serializers.DateField()
    guideline_due = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    parties = PartySerializer(many=True)


class AgreementSerializer(serializers.Serializer):
    made_on = serializers.DateField()
    content = serializers.CharField()
    performance_manner = serializers.CharField()
    performance_due = serializers.DateField()
    effective_on = serializers.DateField(allow_null=True)
    confirmation_due = serializers.DateField(allow_null=True)
    confirmation_applied_on = serializers.DateField(allow_null=True)
    confirmation_result = serializers.CharField()
    performance = serializers.CharField()


class SessionSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    place = serializers.CharField()
    notes = serializers.CharField()


class DisputeDetailSerializer(DisputeListSerializer):
    facts = serializers.CharField()
    mediators = serializers.SerializerMethodField()
    sessions = SessionSerializer(many=True)
    agreement = serializers.SerializerMethodField()
    referral = serializers.CharField()
    legal_aid_application = serializers.CharField(source="legal_aid_application.number", allow_null=True,
                                                  default=None)

    def get_mediators(self, obj) -> list[str]:
        return [m.name for m in obj.mediators.all()]

    def get_agreement(self, obj) -> dict | None:
        agreement = getattr(obj, "agreement", None) if hasattr(obj, "agreement") else None
        return AgreementSerializer(agreement).data if agreement else None
