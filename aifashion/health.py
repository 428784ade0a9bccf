"""GET /healthz: is this instance able to serve? Database, broker and model weights."""
import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from models.garment_parser.model import parser_weights_path
from models.pattern_gan.model import pattern_weights_dir, pattern_weights_path
from models.pattern_gan.sample import served_categories
from models.weights_io import weights_config


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "in-process (no broker configured)"
    redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2).ping()
    return "ok"


def _models() -> str:
    # Reading each file's header proves it is present and intact without loading weights.
    categories = served_categories()
    if not categories:
        raise FileNotFoundError(f"no pattern generators in {pattern_weights_dir()}")
    for path in [parser_weights_path(), *(pattern_weights_path(c) for c in categories)]:
        weights_config(path)
    return f"ok ({len(categories)} pattern categories)"


@require_safe
def healthz(request):
    report, healthy = {}, True
    for name, check in (("database", _database), ("broker", _broker), ("models", _models)):
        try:
            report[name] = check()
        except Exception as error:  # noqa: BLE001 - any failure is what this endpoint reports
            report[name] = f"error: {error.__class__.__name__}: {error}"
            healthy = False
    return JsonResponse({"healthy": healthy, **report}, status=200 if healthy else 503)
