"""The public portal 掌上12348, mounted at /portal/. Part B's application pages come from urls_apply."""

from django.urls import include, path

from . import views, views_ask, views_help, views_identity, views_rate

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("elder/", views.elder_mode_switch, name="elder_mode"),
    path("privacy/", views.privacy, name="privacy"),
    # Proving a phone, consent, the optional account.
    path("verify/", views_identity.verify, name="verify"),
    path("verify/code/", views_identity.verify_code, name="verify_code"),
    path("sign-out/", views_identity.sign_out, name="sign_out"),
    path("consent/", views_identity.consent, name="consent"),
    path("mine/", views_identity.mine, name="mine"),
    path("mine/consents/", views_identity.consents, name="consents"),
    path("mine/account/open/", views_identity.account_open, name="account_open"),
    path("mine/account/close/", views_identity.account_close, name="account_close"),
    # Finding help: the public directory for phones.
    path("help/", views_help.help_home, name="help"),
    path("help/people/", views_help.people, name="help_people"),
    path("help/people/<int:pk>/", views_help.person, name="help_person"),
    path("help/institutions/", views_help.institutions, name="help_institutions"),
    path("help/institutions/<int:pk>/", views_help.institution, name="help_institution"),
    path("help/points/", views_help.points, name="help_points"),
    path("help/points/<int:pk>/", views_help.point, name="help_point"),
    # Asking a lawyer, and the public Q&A library.
    path("ask/", views_ask.ask, name="ask"),
    path("ask/find/", views_ask.find, name="question_find"),
    path("ask/q/<str:code>/", views_ask.question, name="question"),
    path("ask/q/<str:code>/version/", views_ask.question_version, name="question_version"),
    path("ask/q/<str:code>/more/", views_ask.question_follow_up, name="question_follow_up"),
    path("ask/q/<str:code>/close/", views_ask.question_close, name="question_close"),
    path("ask/q/<str:code>/withdraw/", views_ask.question_withdraw, name="question_withdraw"),
    path("ask/q/<str:code>/files/<int:attachment_id>/", views_ask.attachment, name="question_attachment"),
    path("qa/", views_ask.library, name="library"),
    path("qa/<int:pk>/", views_ask.library_entry, name="library_entry"),
    # Rating a consultation, a case or an application.
    path("rate/", views_rate.rate, name="rate"),
    path("", include("open12348.portal.urls_apply")),
]
