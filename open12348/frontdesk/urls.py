"""Staff screens of front desk, at /front-desk/."""

app_name = "frontdesk"

urlpatterns: list = []
