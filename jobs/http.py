"""HTTP plumbing shared by the JSON API of both apps: one decorator per job-creating
endpoint (method, rate limit, body size, schema), the 202 body and JSON errors."""
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from jobs.errors import UserInputError, VisitorJobLimit
from jobs.models import Job
from jobs.schemas import ApiRequest, form_fields, json_fields, request_validate

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
# An oversized body is read and dropped up to this size so the client receives the 413
# (answering mid-upload closes the connection under it); larger ones are cut off.
DRAIN_LIMIT = 64 * 1024 * 1024


def error_response(message: str, status: int = 400, retry_after: int | None = None) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def too_large(limit: int) -> JsonResponse:
    size = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return error_response(f"the request is over the {size} limit", 413)


def api_endpoint(*, schema: type[ApiRequest], rate: str, max_body: int, content_types=("application/json", *FORM_TYPES)):
    """Wrap view(request, payload) -> response: POST only; rate-limited per client IP by the
    setting named `rate`; bodies over max_body bytes answer 413; the body (JSON object or
    form) is validated by `schema`. Input errors answer 400, the per-visitor job cap 429,
    each as {"error": "..."}."""
    def decorate(view):
        @require_POST
        @ratelimit(key="ip", rate=lambda group, request: getattr(settings, rate), block=False)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if getattr(request, "limited", False):
                return error_response("too many requests from your address; please wait a minute", 429, retry_after=60)
            if request_content_length(request) > max_body:
                request_drain(request)
                return too_large(max_body)
            if request.content_type not in content_types:
                return error_response(f"send the request as {' or '.join(content_types)}", 415)
            try:
                fields = (json_fields(request.body) if request.content_type == "application/json"
                          else form_fields(request.POST, schema))
                return view(request, request_validate(schema, fields), *args, **kwargs)
            except UserInputError as error:
                return error_response(str(error))
            except VisitorJobLimit as error:
                return error_response(str(error), 429, retry_after=settings.JOBS_RETRY_AFTER_SECONDS)
            except RequestDataTooBig:
                return too_large(max_body)
            except (SuspiciousOperation, MultiPartParserError):
                return error_response("the form data is malformed or has too many fields")
        return wrapper
    return decorate


def request_photo(request, *, required: bool):
    """The one uploaded file of a form, sent as `photo` (None if absent and not required)."""
    unknown = sorted(set(request.FILES) - {"photo"})
    if unknown:
        raise UserInputError(f"unknown file field {unknown[0]!r}; send the photo as 'photo'")
    photos = request.FILES.getlist("photo")
    if len(photos) > 1:
        raise UserInputError("send one photo")
    if required and not photos:
        raise UserInputError("send a photo (JPEG, PNG or WebP) as the form's 'photo' file")
    return photos[0] if photos else None


def request_content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def request_drain(request) -> None:
    remaining = min(request_content_length(request), DRAIN_LIMIT)
    while remaining > 0 and (chunk := request.read(min(remaining, 1024 * 1024))):
        remaining -= len(chunk)


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
