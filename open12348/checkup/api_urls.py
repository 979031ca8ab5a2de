"""The checkup API under /api/v1/."""

urlpatterns: list = []
