"""Read-only shapes of the education API."""

from __future__ import annotations

from rest_framework import serializers

from .choices import EducationTopic, NextStepKind
from .models import ArticleRevision
from .nextsteps import next_step_url


class ArticleSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="article_id", read_only=True)
    topic = serializers.ChoiceField(choices=EducationTopic.choices)
    audiences = serializers.ListField(child=serializers.CharField(), read_only=True)
    next_step = serializers.ChoiceField(choices=NextStepKind.choices)
    next_step_url = serializers.SerializerMethodField()
    region = serializers.CharField(source="region.name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = ArticleRevision
        fields = ["id", "title", "summary", "body", "topic", "audiences", "legal_basis", "next_step",
                  "next_step_url", "region", "last_checked", "published_at", "url"]

    def get_next_step_url(self, obj) -> str:
        return next_step_url(obj.next_step)

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("learn:article", args=[obj.article_id])


class SummaryRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    held = serializers.IntegerField()
    attendance = serializers.IntegerField()
    follow_ups = serializers.IntegerField()


class ActivitySummarySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    planned = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    total = SummaryRowSerializer()
    by_county = SummaryRowSerializer(many=True)
    by_kind = SummaryRowSerializer(many=True)
    by_audience = SummaryRowSerializer(many=True)
