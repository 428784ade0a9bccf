from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jobs.http import accepted, job_api
from jobs.visitors import visitor_token
from models.pattern_gan.sample import MAX_SCALE, MAX_SIZE, MIN_SCALE, VARIATION_LIMIT, served_categories
from patterns.schemas import PatternRequest
from patterns.services import pattern_job_create

MAX_JSON_BYTES = 64 * 1024


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


@job_api(schema=PatternRequest, rate="RATE_LIMIT_PATTERNS", max_body=MAX_JSON_BYTES)
def api_patterns(request, payload: PatternRequest):
    return accepted(pattern_job_create(owner=visitor_token(request), request=payload))
