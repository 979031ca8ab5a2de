from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from open12348.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("open12348.ops.urls")),  # /metrics (token or allow-list) and /readyz
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("open12348.api.urls")),
    path("accounts/", include("open12348.accounts.urls")),
    path("directory/", include("open12348.network.urls")),
    path("legal-aid/cases/", include("open12348.legalaid.urls_cases")),
    path("legal-aid/", include("open12348.legalaid.urls")),
    path("notifications/", include("open12348.notifications.urls")),
    path("quality/", include("open12348.quality.urls")),
    path("hotline/", include("open12348.hotline.urls")),
    path("consult/", include("open12348.consult.urls")),
    path("portal/learn/", include("open12348.education.urls_public")),
    path("portal/", include("open12348.portal.urls")),
    path("front-desk/", include("open12348.frontdesk.urls")),
    path("mediation/", include("open12348.mediation.urls")),
    path("checkups/", include("open12348.checkup.urls")),
    path("video/", include("open12348.video.urls")),
    path("education/", include("open12348.education.urls")),
    path("dashboard/", include("open12348.stats.urls")),
    path("console/audit/", include("open12348.audit.urls")),
    path("admin/", admin.site.urls),
    path("", include("open12348.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
