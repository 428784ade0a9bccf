from django.urls import path

from jobs import views

urlpatterns = [
    path("api/jobs/<uuid:job_id>", views.api_job, name="job-detail"),
    path("api/jobs/<uuid:job_id>/files/<str:name>", views.api_job_file, name="job-file"),
]
