"""Staff screens of enterprise legal check-ups, at /checkups/."""

app_name = "checkup"

urlpatterns: list = []
