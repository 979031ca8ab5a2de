from __future__ import annotations

from rest_framework import serializers


class PeriodQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day (default: 1 January of this year).")
    end = serializers.DateField(required=False, help_text="Last day, inclusive (default: today).")
    region = serializers.CharField(required=False, help_text="A county-level region code within your data scope.")


class LegalAidFiguresSerializer(serializers.Serializer):
    applications = serializers.IntegerField()
    applications_by_channel = serializers.DictField(child=serializers.IntegerField())
    granted = serializers.IntegerField()
    refused = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    pending = serializers.IntegerField()
    notified = serializers.IntegerField(help_text="Notifications (Art. 25): no decision needed, a lawyer is due.")
    green_channel = serializers.IntegerField()
    decided = serializers.IntegerField()
    decided_on_time = serializers.IntegerField()
    decided_on_time_pct = serializers.FloatField(allow_null=True)
    average_days_to_decide = serializers.FloatField(allow_null=True)
    cases = serializers.IntegerField()
    cases_by_category = serializers.DictField(child=serializers.IntegerField())
    criminal_cases = serializers.IntegerField()
    criminal_share_pct = serializers.FloatField(allow_null=True)
    assigned_on_time_pct = serializers.FloatField(allow_null=True)
    people_aided = serializers.IntegerField()
    cases_closed = serializers.IntegerField()
    amount_recovered = serializers.DecimalField(max_digits=18, decimal_places=2)
    migrant_worker_cases = serializers.IntegerField()
    migrant_workers_aided = serializers.IntegerField()
    migrant_worker_amount_recovered = serializers.DecimalField(max_digits=18, decimal_places=2)
    groups = serializers.DictField(child=serializers.IntegerField())


class HotlineFiguresSerializer(serializers.Serializer):
    calls = serializers.IntegerField()
    answered = serializers.IntegerField()
    answer_rate_pct = serializers.FloatField(allow_null=True)
    average_seconds_to_answer = serializers.FloatField(allow_null=True)
    messages = serializers.IntegerField()
    callbacks_due = serializers.IntegerField()
    callbacks_done = serializers.IntegerField()
    callbacks_on_time = serializers.IntegerField()
    callbacks_overdue = serializers.IntegerField()
    callback_rate_pct = serializers.FloatField(allow_null=True)
    rated = serializers.IntegerField()
    satisfaction_pct = serializers.FloatField(allow_null=True)


class MediationFiguresSerializer(serializers.Serializer):
    disputes = serializers.IntegerField()
    agreed = serializers.IntegerField()
    failed = serializers.IntegerField()
    open = serializers.IntegerField()
    success_rate_pct = serializers.FloatField(allow_null=True)
    closed_within_a_month_pct = serializers.FloatField(allow_null=True)
    average_days_to_close = serializers.FloatField(allow_null=True)
    by_type = serializers.DictField(child=serializers.IntegerField())


class VideoFiguresSerializer(serializers.Serializer):
    sessions = serializers.IntegerField()
    served = serializers.IntegerField()
    average_minutes_waited = serializers.FloatField(allow_null=True)
    average_minutes_talked = serializers.FloatField(allow_null=True)
    points_served = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    region = serializers.CharField(allow_null=True)
    legal_aid = LegalAidFiguresSerializer()
    hotline = HotlineFiguresSerializer()
    mediation = MediationFiguresSerializer()
    video = VideoFiguresSerializer()
