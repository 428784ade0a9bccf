from django.shortcuts import render
from django.views.decorators.http import require_safe

from jobs.http import FORM_TYPES, accepted, api_endpoint, request_photo
from jobs.uploads import MAX_UPLOAD_BYTES
from jobs.visitors import visitor_token
from models.pattern_gan.repeats import LAYOUTS
from models.pattern_gan.sample import served_categories
from tryon.schemas import GARMENT_CHOICES, TryonRequest
from tryon.services import tryon_job_create
from tryon.stock import stock_names


@require_safe
def page(request):
    visitor_token(request)
    return render(request, "tryon/page.html", {
        "categories": served_categories(), "garments": GARMENT_CHOICES, "stock": stock_names(),
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "layouts": LAYOUTS,
    })


@api_endpoint(schema=TryonRequest, rate="RATE_LIMIT_TRYON", max_body=MAX_UPLOAD_BYTES + 64 * 1024, content_types=FORM_TYPES)
def api_tryon(request, payload: TryonRequest):
    photo = request_photo(request, required=False)
    return accepted(tryon_job_create(owner=visitor_token(request), request=payload, upload=photo))
