"""Every app's API under /api/v1/. Apps expose `urlpatterns` in their apis_urls module."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"

urlpatterns = [
    path("v1/", include("open12348.network.api_urls")),
    path("v1/", include("open12348.core.api_urls")),
    path("v1/", include("open12348.legalaid.api_urls")),
    path("v1/", include("open12348.legalaid.api_urls_cases")),
    path("v1/", include("open12348.quality.api_urls")),
    path("v1/", include("open12348.hotline.api_urls")),
    path("v1/", include("open12348.consult.api_urls")),
    path("v1/", include("open12348.portal.api_urls")),
    path("v1/", include("open12348.frontdesk.api_urls")),
    path("v1/", include("open12348.mediation.api_urls")),
    path("v1/", include("open12348.checkup.api_urls")),
    path("v1/", include("open12348.video.api_urls")),
    path("v1/", include("open12348.education.api_urls")),
    path("v1/", include("open12348.stats.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's script comes from ?script (no inline script); its page keeps one <style> element.
    path("docs/", csp_update({"style-src": [UNSAFE_INLINE]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
         name="docs"),
]
