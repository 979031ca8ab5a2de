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


class QualityFiguresSerializer(serializers.Serializer):
    evaluations = serializers.IntegerField(help_text="Quality evaluations done in the period (all four methods).")
    evaluations_by_method = serializers.DictField(child=serializers.IntegerField())
    average_evaluation_score = serializers.FloatField(allow_null=True)
    graded = serializers.IntegerField(help_text="Cases given a quality grade in the period.")
    grades = serializers.DictField(child=serializers.IntegerField(), help_text="Cases by grade (优秀, 良好, 合格, 不合格).")
    average_grade_score = serializers.FloatField(allow_null=True)
    excellent_share_pct = serializers.FloatField(allow_null=True)
    unqualified = serializers.IntegerField()
    exemplary_cases = serializers.IntegerField(help_text="Exemplary cases named by panels sitting in the period.")
    tickets_opened = serializers.IntegerField(help_text="Supervision tickets opened in the period.")
    tickets_open = serializers.IntegerField(help_text="Of those, still open.")
    tickets_closed = serializers.IntegerField()
    tickets_closed_on_time_pct = serializers.FloatField(allow_null=True)
    tickets_escalated = serializers.IntegerField()
    tickets_by_reason = serializers.DictField(child=serializers.IntegerField())
    tickets_open_now = serializers.IntegerField(help_text="Supervision tickets open now, whenever opened.")


class CheckupFiguresSerializer(serializers.Serializer):
    visits = serializers.IntegerField(help_text="Enterprise check-up visits made in the period.")
    workers_interviewed = serializers.IntegerField()
    opinions = serializers.IntegerField()
    reports = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())


class OutreachFiguresSerializer(serializers.Serializer):
    activities = serializers.IntegerField(help_text="Outreach activities held (starting in the period).")
    attendance = serializers.IntegerField()
    planned = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    by_kind = serializers.DictField(child=serializers.IntegerField())
    attendance_by_kind = serializers.DictField(child=serializers.IntegerField())
    by_audience = serializers.DictField(child=serializers.IntegerField())


class QualityOverviewSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    region = serializers.CharField(allow_null=True)
    quality = QualityFiguresSerializer()
    checkups = CheckupFiguresSerializer()
    outreach = OutreachFiguresSerializer()


class TownshipQuerySerializer(PeriodQuerySerializer):
    region = serializers.CharField(help_text="A county-level region code within your data scope (required).")


class TownshipRowSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="The township's division code; null for the county's "
                                 "records whose applicant's township is not known.")
    name = serializers.CharField()
    applications = serializers.IntegerField()
    cases = serializers.IntegerField()
    people_aided = serializers.IntegerField()


class TownshipFiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    region = serializers.CharField()
    townships = TownshipRowSerializer(many=True)
