"""The hotline's console pages at /hotline/, and the public rating page of the SMS link."""

from django.urls import path

from . import views_board, views_callbacks, views_knowledge, views_orders, views_public, views_roster

app_name = "hotline"

urlpatterns = [
    path("", views_orders.orders, name="orders"),
    path("orders/new/", views_orders.order_create, name="order_create"),
    path("orders/<int:pk>/", views_orders.order, name="order"),
    path("orders/<int:pk>/reveal/", views_orders.order_reveal, name="order_reveal"),
    path("orders/<int:pk>/refer/", views_orders.order_refer, name="order_refer"),
    path("orders/<int:pk>/expert/", views_orders.order_expert, name="order_expert"),
    path("orders/<int:pk>/legal-aid/", views_orders.order_legal_aid, name="order_legal_aid"),
    path("callbacks/", views_callbacks.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/", views_callbacks.callback, name="callback"),
    path("callbacks/<int:pk>/claim/", views_callbacks.callback_claim, name="callback_claim"),
    path("callbacks/<int:pk>/give-up/", views_callbacks.callback_give_up, name="callback_give_up"),
    path("callbacks/<int:pk>/reveal/", views_callbacks.callback_reveal, name="callback_reveal"),
    path("roster/", views_roster.roster, name="roster"),
    path("roster/export/", views_roster.roster_export, name="roster_export"),
    path("roster/generate/", views_roster.roster_generate, name="roster_generate"),
    path("roster/leave/", views_roster.roster_leave, name="roster_leave"),
    path("roster/swap/", views_roster.roster_swap, name="roster_swap"),
    path("roster/assign/", views_roster.roster_assign, name="roster_assign"),
    path("knowledge/", views_knowledge.knowledge, name="knowledge"),
    path("knowledge/new/", views_knowledge.article_edit, name="article_create"),
    path("knowledge/<int:pk>/", views_knowledge.article, name="article"),
    path("knowledge/<int:pk>/edit/", views_knowledge.article_edit, name="article_edit"),
    path("knowledge/<int:pk>/publish/", views_knowledge.article_publish, name="article_publish"),
    path("board/", views_board.board, name="board"),
    path("quality/", views_board.samples, name="samples"),
    path("quality/<int:pk>/", views_board.sample, name="sample"),
    path("quality/reviews/<int:pk>/", views_board.review, name="review"),
    path("standards/", views_board.standards, name="standards"),
    path("rate/<str:token>/", views_public.rate, name="rate"),
]
