"""Staff screens of legal education and outreach, at /education/."""

app_name = "education"

urlpatterns: list = []
