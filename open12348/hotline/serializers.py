"""API shapes of the hotline. Phones are masked; the full number only through the audited reveal."""

from __future__ import annotations

from rest_framework import serializers

from open12348.core.masking import mask_phone

from .choices import AttemptOutcome, Category, Topic
from .models import Article, CallbackTask, CallEvent, WorkOrder


class EventResultSerializer(serializers.Serializer):
    call_id = serializers.CharField()
    event_id = serializers.CharField()
    result = serializers.ChoiceField(choices=["created", "duplicate", "rejected"])
    work_order = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField(child=serializers.CharField())


class EventBatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicates = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = EventResultSerializer(many=True)


class TelephonyEventSerializer(serializers.Serializer):
    """The documented shape of one event (the view checks it with events.parse_event, which is faster)."""

    call_id = serializers.CharField(max_length=100)
    event_id = serializers.CharField(max_length=100)
    type = serializers.ChoiceField(choices=["ringing", "answered", "ended", "voice_message", "message", "rated"])
    at = serializers.DateTimeField(help_text="ISO 8601; without an offset, local time (Asia/Shanghai)")
    caller = serializers.CharField(required=False, allow_blank=True, help_text="the caller's number")
    seat = serializers.CharField(required=False, allow_blank=True, help_text="the seat number, as configured on the hotline")
    agent = serializers.CharField(required=False, allow_blank=True, help_text="the agent id: the staff member's username")
    recording_url = serializers.URLField(required=False)
    channel = serializers.ChoiceField(choices=["sms", "web"], required=False, help_text="for a message")
    text = serializers.CharField(required=False, allow_blank=True, help_text="for a message")
    rating = serializers.CharField(required=False, help_text="satisfied, fair, dissatisfied, or the IVR key 1/2/3")
    rating_channel = serializers.ChoiceField(choices=["ivr", "sms"], required=False)


class TelephonyEventBatchSerializer(serializers.Serializer):
    events = TelephonyEventSerializer(many=True)


class WorkOrderListSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    caller = serializers.SerializerMethodField()
    answered_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = WorkOrder
        fields = ("id", "number", "channel", "status", "caller", "rang_at", "answered_at", "ended_at", "wait_seconds",
                  "talk_seconds", "seat_code", "answered_by", "category", "topic", "resolved", "satisfaction",
                  "referral", "version")

    def get_caller(self, order: WorkOrder) -> str:
        return mask_phone(order.caller_phone)


class CallEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CallEvent
        fields = ("event_id", "kind", "occurred_at", "seat_code", "agent_code", "recording_url", "rating",
                  "received_at")


class WorkOrderDetailSerializer(WorkOrderListSerializer):
    events = CallEventSerializer(many=True, read_only=True)

    class Meta(WorkOrderListSerializer.Meta):
        fields = (*WorkOrderListSerializer.Meta.fields, "call_id", "source", "caller_name", "in_service_hours",
                  "recording_url", "message_text", "rated_at", "rating_channel", "question", "answer",
                  "follow_up_needed", "referral_to", "referred_at", "application", "events")


class WorkOrderRecordSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    caller_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
    topic = serializers.ChoiceField(choices=Topic.choices, required=False, allow_blank=True)
    question = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    answer = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    resolved = serializers.BooleanField(required=False, allow_null=True)
    follow_up_needed = serializers.BooleanField(required=False)


class CallbackSerializer(serializers.ModelSerializer):
    work_order = serializers.IntegerField(source="work_order_id")
    number = serializers.CharField(source="work_order.number")
    assigned_to = serializers.StringRelatedField()

    class Meta:
        model = CallbackTask
        fields = ("id", "work_order", "number", "kind", "status", "due_on", "assigned_to", "attempts_made",
                  "max_attempts", "first_attempt_at", "closed_at", "close_reason")


class AttemptInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=AttemptOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    answer = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class ArticleHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="article.pk")
    question = serializers.CharField(source="article.question")
    answer = serializers.CharField(source="article.answer")
    legal_basis = serializers.CharField(source="article.legal_basis")
    topic = serializers.CharField(source="article.topic")
    last_reviewed = serializers.DateField(source="article.last_reviewed")
    score = serializers.FloatField()


class ArticleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ("id", "question", "answer", "legal_basis", "topic", "last_reviewed", "source")
