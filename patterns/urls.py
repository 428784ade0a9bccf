from django.urls import path

from patterns import views

urlpatterns = [
    path("", views.studio, name="studio"),
    path("patterns/<str:name>/", views.category, name="category"),
    path("api/patterns", views.api_patterns, name="api-patterns"),
    path("api/jobs/<uuid:job_id>", views.api_job, name="job-detail"),
    path("api/jobs/<uuid:job_id>/files/<str:name>", views.api_job_file, name="job-file"),
]
