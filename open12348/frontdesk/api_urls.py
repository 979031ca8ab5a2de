"""The frontdesk API under /api/v1/."""

urlpatterns: list = []
