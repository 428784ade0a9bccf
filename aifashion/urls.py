from django.urls import include, path

from aifashion.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("jobs.urls")),
    path("", include("patterns.urls")),
    path("", include("tryon.urls")),
]
