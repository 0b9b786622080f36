"""Settings for `make bench`: production settings plus a constant-JSON reference view."""

import os
import warnings

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-only-secret-key-never-used-in-production-0123456789"
)

from .settings import *  # noqa: F403
from .settings import ALLOWED_HOSTS, STORAGES, THROTTLE_RATES

# The reference views (`/bench/reference/`, `/bench/reference-auth/`) exist only here.
ROOT_URLCONF = "config.bench_urls"
# gunicorn serves plain HTTP on loopback; the test client (query counts) is "testserver".
SECURE_SSL_REDIRECT = False
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Benchmarks measure the work of a request, not the rate limits that refuse it.
THROTTLE_RATES.update({scope: "1000000/min" for scope in THROTTLE_RATES})
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The bench serves no static files; whitenoise's "no STATIC_ROOT" warning is noise here.
warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
