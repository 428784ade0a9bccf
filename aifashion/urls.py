from django.urls import include, path

urlpatterns = [
    path("", include("patterns.urls")),
    path("", include("tryon.urls")),
]
