"""Under /api/ every error answers {"error": "..."} with its status, including the ones
Django itself writes as HTML pages (unknown URL 404, 405, CSRF 403, 400, 413, 500)."""
from django.conf import settings
from django.http import Http404

from jobs.http import error_response, request_content_length, request_drain, too_large

API_PREFIX = "/api/"
MESSAGES = {
    400: "the request could not be read (malformed, or form fields over the size limit)",
    403: "the CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header",
    404: "not found",
    413: "the request is too large",
    500: "internal error; please try again",
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request_content_length(request) > settings.API_MAX_BODY_BYTES:
            request_drain(request)  # read before answering, so the client gets the 413 rather than a reset
            return too_large(settings.API_MAX_BODY_BYTES)
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 405:
            message = f"{request.method} is not allowed here; use {response.get('Allow', 'another method')}"
        else:
            message = MESSAGES.get(response.status_code, response.reason_phrase.lower())
        converted = error_response(message, response.status_code)
        for header in ("Allow", "Retry-After"):
            if header in response:
                converted[header] = response[header]
        return converted

    def process_exception(self, request, exception):
        if request.path.startswith(API_PREFIX) and isinstance(exception, Http404):
            return error_response(str(exception) or "not found", 404)
        return None
