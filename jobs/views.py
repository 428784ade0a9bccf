from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.views.decorators.http import require_safe

from jobs.http import job_json
from jobs.runner import embedded_runner
from jobs.selectors import job_get_owned
from jobs.services import job_file_open
from jobs.visitors import visitor_token


@require_safe
def api_job(request, job_id):
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.JOBS_IN_BACKGROUND_THREAD:
        embedded_runner.wake()  # after a restart, polling visitors restart the sweeper of stranded jobs
    return JsonResponse(job_json(job_get_owned(job_id=job_id, owner=visitor_token(request))))


@require_safe
def api_job_file(request, job_id, name: str):
    job = job_get_owned(job_id=job_id, owner=visitor_token(request))
    if name not in job.results:
        raise Http404("no such file")
    download = request.GET.get("download") is not None
    return FileResponse(job_file_open(job=job, name=name), as_attachment=download,
                        filename=f"aifashion-{job.kind}-{str(job.id)[:8]}-{name}", content_type="image/png")
