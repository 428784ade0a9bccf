from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jobs.http import FORM_TYPES, accepted, api_endpoint, request_photo
from jobs.uploads import MAX_UPLOAD_BYTES, uploaded_file_read
from jobs.visitors import visitor_token
from models.pattern_gan.repeats import LAYOUTS
from models.pattern_gan.sample import MAX_SCALE, MAX_SIZE, MIN_SCALE, VARIATION_LIMIT, served_categories
from patterns.fabric import fabric_job_create
from patterns.schemas import FabricRequest, PaletteRequest, PatternRequest
from patterns.services import palette_from_photo, pattern_job_create

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
        "min_scale": MIN_SCALE, "max_scale": MAX_SCALE, "variation_limit": VARIATION_LIMIT, "layouts": LAYOUTS,
    })


@require_safe
def fabric(request):
    visitor_token(request)
    return render(request, "patterns/fabric.html", {"max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)})


@api_endpoint(schema=PatternRequest, rate="RATE_LIMIT_PATTERNS", max_body=MAX_JSON_BYTES)
def api_patterns(request, payload: PatternRequest):
    return accepted(pattern_job_create(owner=visitor_token(request), request=payload))


@api_endpoint(schema=PaletteRequest, rate="RATE_LIMIT_PALETTE", max_body=MAX_UPLOAD_BYTES + 64 * 1024,
              content_types=FORM_TYPES)
def api_palette(request, payload: PaletteRequest):
    """Answered at once (no job): a thumbnail's k-means takes milliseconds."""
    rgb = uploaded_file_read(request_photo(request, required=True))
    return JsonResponse(palette_from_photo(rgb=rgb, colours=payload.colours, count=payload.colourways))


@api_endpoint(schema=FabricRequest, rate="RATE_LIMIT_FABRIC", max_body=MAX_UPLOAD_BYTES + 64 * 1024,
              content_types=FORM_TYPES)
def api_fabric(request, payload: FabricRequest):
    photo = request_photo(request, required=True)
    return accepted(fabric_job_create(owner=visitor_token(request), upload=photo))
