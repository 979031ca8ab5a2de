"""Legal education on the public portal, at /portal/learn/."""

app_name = "learn"

urlpatterns: list = []
