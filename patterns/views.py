from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe, require_POST
from django_ratelimit.decorators import ratelimit

from models.pattern_gan.sample import MAX_SCALE, MAX_SIZE, MIN_SCALE, VARIATION_LIMIT, served_categories
from patterns.api import accepted, error_response, job_json, rate_limited, request_data
from patterns.jobs import job_file_open
from patterns.selectors import job_get_owned
from patterns.services import PatternInputError, pattern_job_create
from patterns.visitors import visitor_token


@require_safe
def studio(request):
    visitor_token(request)  # the session exists before the page's scripts start jobs in parallel
    return render(request, "patterns/studio.html", {"categories": served_categories()})


@require_safe
def category(request, name: str):
    categories = served_categories()
    if name not in categories:
        raise Http404("no such pattern category")
    visitor_token(request)
    return render(request, "patterns/category.html", {
        "category": name, "categories": categories, "max_size": MAX_SIZE,
        "min_scale": MIN_SCALE, "max_scale": MAX_SCALE, "variation_limit": VARIATION_LIMIT,
    })


@require_POST
@ratelimit(key="ip", rate=lambda group, request: settings.RATE_LIMIT_PATTERNS, block=False)
def api_patterns(request):
    if getattr(request, "limited", False):
        return rate_limited()
    try:
        job = pattern_job_create(owner=visitor_token(request), data=request_data(request))
    except (PatternInputError, ValueError) as error:
        return error_response(str(error))
    return accepted(job)


@require_safe
def api_job(request, job_id):
    return JsonResponse(job_json(job_get_owned(job_id=job_id, owner=visitor_token(request))))


@require_safe
def api_job_file(request, job_id, name: str):
    job = job_get_owned(job_id=job_id, owner=visitor_token(request))
    if name not in job.results:
        raise Http404("no such file")
    download = request.GET.get("download") is not None
    return FileResponse(job_file_open(job=job, name=name), as_attachment=download,
                        filename=f"aifashion-{job.kind}-{str(job.id)[:8]}-{name}", content_type="image/png")
