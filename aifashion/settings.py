"""Settings come from the environment; the defaults run the site on one machine with
SQLite and Celery tasks executed in-process (no broker needed)."""
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from aifashion.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# PRODUCTION=true turns on everything a public deployment needs (and requires SECRET_KEY).
PRODUCTION = env_bool("PRODUCTION", False)
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when PRODUCTION=true")
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"
# Loopback names stay allowed so that container health checks (curl 127.0.0.1) pass.
ALLOWED_HOSTS = sorted(set(env_list("ALLOWED_HOSTS", []) + ["localhost", "127.0.0.1", "[::1]"]))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Visitor identity lives in a signed cookie: sessions need neither the database nor Redis,
# so a brief outage of either cannot break them.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 24 * 3600  # jobs live 24 hours; so does the visitor's claim on them
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # TLS ends at the load balancer (nginx or an AWS ALB), which sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "csp",
    "django.contrib.staticfiles",
    "jobs",
    "patterns",
    "tryon",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jobs.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "aifashion.middleware.ServiceUnavailableMiddleware",
]

ROOT_URLCONF = "aifashion.urls"
WSGI_APPLICATION = "aifashion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Transactions take the write lock when they begin, so that two web processes cannot
    # both pass the per-visitor job cap (PostgreSQL locks the visitor's row instead).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve static files straight from static/ when collectstatic has not run (tests, first start).
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# Uploads and results: local disk by default; S3-compatible object storage (shared by
# several web and worker instances) when S3_BUCKET is set. Files are never public: they are
# streamed through the owner-checking view.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_str("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "location": env_str("S3_PREFIX", "aifashion"),
            "default_acl": "private",
            "file_overwrite": True,
        },
    }

# Celery: without a broker, tasks run eagerly in the calling process.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# A job whose worker died unacknowledged is redelivered after this many seconds; longer
# than any job runs, so a live job is never run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600)}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker is down: the request answers 503 instead of hanging.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "gpu"
# Without a broker, jobs run on a background thread of the web process (not inside requests).
JOBS_IN_BACKGROUND_THREAD = env_bool("JOBS_IN_BACKGROUND_THREAD", True)
# Fair queue: unfinished (queued or running) jobs one visitor may have; more answer 429.
JOBS_PER_VISITOR = env_int("JOBS_PER_VISITOR", 4)
JOBS_RETRY_AFTER_SECONDS = env_int("JOBS_RETRY_AFTER_SECONDS", 2)
# Nothing stranded: a job silent (not enqueued, started or progressing) for this long is
# re-enqueued, and failed with a message after JOBS_MAX_ATTEMPTS; the sweeper runs every
# JOBS_SWEEP_SECONDS (celery beat, or the embedded runner between jobs). Worst case from an
# interruption to a final answer: JOBS_MAX_ATTEMPTS x (stale + sweep) = 7.5 minutes.
JOBS_STALE_SECONDS = env_int("JOBS_STALE_SECONDS", 120)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 3)
JOBS_SWEEP_SECONDS = env_int("JOBS_SWEEP_SECONDS", 30)
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {"task": "jobs.tasks.jobs_sweep_run", "schedule": float(JOBS_SWEEP_SECONDS)},
    "jobs-cleanup": {"task": "jobs.tasks.jobs_cleanup_run", "schedule": 3600.0},
}
# Any request under /api/ larger than this answers 413 (a photo upload is at most 10 MB).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_BYTES", 11 * 1024 * 1024)

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Job creation per client IP; rate-limited requests get 429.
RATE_LIMIT_PATTERNS = env_str("RATE_LIMIT_PATTERNS", "240/m")
RATE_LIMIT_TRYON = env_str("RATE_LIMIT_TRYON", "30/m")
RATE_LIMIT_PALETTE = env_str("RATE_LIMIT_PALETTE", "60/m")
RATE_LIMIT_FABRIC = env_str("RATE_LIMIT_FABRIC", "20/m")
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY", "REMOTE_ADDR")
RATELIMIT_FAIL_OPEN = True  # a cache outage must not lock everyone out

# Model inference: threads per worker process (the CPU fallback).
MODEL_THREADS = env_int("MODEL_THREADS", 2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "aifashion.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
