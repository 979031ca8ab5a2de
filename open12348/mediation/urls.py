"""Staff screens of people's mediation, at /mediation/."""

app_name = "mediation"

urlpatterns: list = []
