"""The project's URLs with the notification centre mounted, whether or not config/urls.py has it yet."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

_mounted = any(getattr(p, "namespace", None) == "notifications" for p in project_urlpatterns)
urlpatterns = list(project_urlpatterns)
if not _mounted:
    urlpatterns.insert(0, path("notifications/", include("open12348.notifications.urls")))
