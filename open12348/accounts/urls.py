from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.second_step, name="second_step"),
    path("login/enrol/", views.enrol, name="enrol"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
]
