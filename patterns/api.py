"""Small helpers shared by the JSON API views."""
import json

from django.http import JsonResponse
from django.urls import reverse

from patterns.models import Job


def error_response(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def rate_limited() -> JsonResponse:
    response = error_response("too many jobs from your address; please wait a minute", status=429)
    response["Retry-After"] = "60"
    return response


def request_data(request):
    """Form fields, or a JSON object body."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise ValueError("the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise ValueError("the JSON body must be an object")
        return data
    return request.POST


def job_json(job: Job) -> dict:
    status_url = reverse("job-detail", args=[job.id])
    return {
        "id": str(job.id),
        "kind": job.kind,
        "status": job.status,
        "progress": job.progress,
        "error": job.error or None,
        "params": job.params,
        "status_url": status_url,
        "results": {name.rsplit(".", 1)[0]: reverse("job-file", args=[job.id, name]) for name in job.results},
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def accepted(job: Job) -> JsonResponse:
    body = job_json(job)
    response = JsonResponse(body, status=202)
    response["Location"] = body["status_url"]
    return response
