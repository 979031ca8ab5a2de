"""The education API under /api/v1/."""

urlpatterns: list = []
