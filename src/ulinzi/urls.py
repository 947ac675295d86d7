"""URL map: pages at the root, the API under /api/, Django admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

from ulinzi.api.urls import api

urlpatterns = [
    path("", include("ulinzi.web.urls")),
    path("force/", include("ulinzi.forces.urls")),
    path("protection/", include("ulinzi.protection.urls")),
    path("claims/", include("ulinzi.claims.urls")),
    path("insights/", include("ulinzi.insights.urls")),
    path("dashboard/", include("ulinzi.dashboard.urls")),
    path("reports/", include("ulinzi.reports.urls")),
    path("intake/", include("ulinzi.intake.urls")),
    path("patrols/", include("ulinzi.patrols.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
