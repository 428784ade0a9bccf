"""Outages of the database or the job queue answer 503 with a message, never 500."""
import logging

import kombu.exceptions
import redis.exceptions
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

log = logging.getLogger("aifashion.availability")


class ServiceUnavailable(Exception):
    """A dependency (database, queue) is down; the request may be retried."""


TRANSIENT = (ServiceUnavailable, OperationalError, InterfaceError, kombu.exceptions.OperationalError,
             redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, ConnectionError)


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TRANSIENT) and not (
                isinstance(exception, DatabaseError) and "connect" in str(exception).lower()):
            return None
        log.warning("service unavailable: %s", exception, extra={"path": request.path, "status_code": 503})
        message = "the service is briefly unavailable; please retry in a few seconds"
        if request.path.startswith("/api/") or request.path == "/healthz":
            response = JsonResponse({"error": message}, status=503)
        else:
            response = HttpResponse(message, status=503, content_type="text/plain")
        response["Retry-After"] = "5"
        return response
