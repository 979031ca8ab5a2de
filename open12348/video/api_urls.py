"""The video API under /api/v1/."""

urlpatterns: list = []
