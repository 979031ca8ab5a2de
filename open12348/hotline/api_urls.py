"""The hotline API, included at /api/v1/. Paths have no trailing slash."""

from django.urls import path

from . import apis

app_name = "hotline_api"

urlpatterns = [
    path("hotline/telephony/events", apis.TelephonyEventsApi.as_view(), name="telephony_events"),
    path("hotline/work-orders", apis.WorkOrderListApi.as_view(), name="work_orders"),
    path("hotline/work-orders/<int:pk>", apis.WorkOrderDetailApi.as_view(), name="work_order"),
    path("hotline/work-orders/<int:pk>/reveal-phone", apis.RevealPhoneApi.as_view(), name="reveal_phone"),
    path("hotline/callbacks", apis.CallbackListApi.as_view(), name="callbacks"),
    path("hotline/callbacks/<int:pk>/attempts", apis.CallbackAttemptApi.as_view(), name="callback_attempts"),
    path("hotline/knowledge", apis.KnowledgeSearchApi.as_view(), name="knowledge"),
    path("hotline/on-duty", apis.OnDutyApi.as_view(), name="on_duty"),
    path("hotline/board", apis.BoardApi.as_view(), name="board"),
]
