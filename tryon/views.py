from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe, require_POST
from django_ratelimit.decorators import ratelimit

from models.pattern_gan.sample import served_categories

from patterns.api import accepted, error_response, rate_limited
from patterns.services import PatternInputError
from patterns.visitors import visitor_token
from tryon.photos import PhotoError
from tryon.services import GARMENT_CHOICES, TryonInputError, tryon_job_create
from tryon.stock import stock_names
from tryon.uploads import MAX_UPLOAD_BYTES


@require_safe
def page(request):
    visitor_token(request)
    return render(request, "tryon/page.html", {
        "categories": served_categories(), "garments": GARMENT_CHOICES, "stock": stock_names(),
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    })


@require_POST
@ratelimit(key="ip", rate=lambda group, request: settings.RATE_LIMIT_TRYON, block=False)
def api_tryon(request):
    if getattr(request, "limited", False):
        return rate_limited()
    # Refuse oversized bodies before Django reads them.
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + 64 * 1024:
        return error_response(f"the upload is over the {MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit", status=413)
    if not request.content_type.startswith("multipart/form-data") and request.content_type != "application/x-www-form-urlencoded":
        return error_response("send the try-on request as multipart/form-data", status=415)
    try:
        job = tryon_job_create(owner=visitor_token(request), data=request.POST, upload=request.FILES.get("photo"))
    except (TryonInputError, PatternInputError, PhotoError) as error:
        return error_response(str(error))
    return accepted(job)
