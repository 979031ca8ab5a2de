"""Shapes of the consultation API. Phones never leave the API in full; question texts only to staff."""

from __future__ import annotations

from rest_framework import serializers

from open12348.core.masking import mask_phone

from .choices import FollowUpOutcome
from .services import REPLY_MAX


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class QuestionListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    tracking_code = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    answer_due = serializers.DateField()
    wants_public = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()


class ReplySerializer(serializers.Serializer):
    author_kind = serializers.CharField()
    author = serializers.CharField(allow_null=True)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class QuestionDetailSerializer(QuestionListSerializer):
    phone_masked = serializers.SerializerMethodField()
    text = serializers.CharField()
    declined_reason = serializers.CharField()
    replies = ReplySerializer(many=True, source="thread")

    def get_phone_masked(self, obj) -> str:
        return mask_phone(obj.phone)


class AnswerSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=REPLY_MAX)
    version = serializers.IntegerField(required=False, help_text="The version you read; a stale one is a 409.")


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REPLY_MAX)
    version = serializers.IntegerField(required=False)


class LibraryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    question_text = serializers.CharField()
    answer_text = serializers.CharField()
    published_at = serializers.DateTimeField()


class FollowUpSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    due = serializers.DateField()
    region = serializers.CharField(source="region.code")
    subject_kind = serializers.CharField(source="rating.subject_kind")
    subject_ref = serializers.CharField()
    level = serializers.IntegerField(source="rating.level")
    level_label = serializers.CharField(source="rating.get_level_display")
    comment = serializers.CharField(source="rating.comment")
    phone_masked = serializers.SerializerMethodField()
    outcome = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_phone_masked(self, obj) -> str:
        return mask_phone(obj.rating.phone)


class FollowUpCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=FollowUpOutcome.choices)
    note = serializers.CharField(max_length=2000)
