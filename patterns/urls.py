from django.urls import path

from patterns import views

urlpatterns = [
    path("", views.studio, name="studio"),
    path("patterns/<str:name>/", views.category, name="category"),
    path("api/patterns", views.api_patterns, name="api-patterns"),
    path("api/palette", views.api_palette, name="api-palette"),
    path("fabric/", views.fabric, name="fabric"),
    path("api/fabric", views.api_fabric, name="api-fabric"),
]
