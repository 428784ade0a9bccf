from django.urls import path

from tryon import views

urlpatterns = [
    path("tryon/", views.page, name="tryon"),
    path("api/tryon", views.api_tryon, name="api-tryon"),
]
