"""Staff screens of remote video consultation, at /video/."""

app_name = "video"

urlpatterns: list = []
