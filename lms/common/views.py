"""Health checks and the JSON answers for paths and errors outside DRF's views."""

import contextlib
import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.renderers import JSONRenderer

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """The process is alive."""
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Readiness: database unreachable")
        # Drop the broken connection so the next probe (and request) opens a fresh one.
        with contextlib.suppress(Exception):
            connection.close()
        return False


def _cache_ok() -> bool:
    try:
        cache.set("readyz-probe", "1", timeout=5)
        ok = cache.get("readyz-probe") == "1"
    except Exception:
        logger.exception("Readiness: cache unreachable")
        return False
    if not ok:
        logger.warning("Readiness: cache unreachable; serving degraded (throttles off)")
    return ok


@never_cache
def readyz(request):
    """Ready while the database answers (else 503). A cache outage is reported as
    `degraded` with 200: the API serves without it, so a load balancer keeps routing here."""
    database, cache_ok = _database_ok(), _cache_ok()
    status = "ok" if database and cache_ok else ("degraded" if database else "unavailable")
    body = {
        "status": status,
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache_ok else "unavailable",
    }
    return JsonResponse(body, status=200 if database else 503)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/ answer JSON, in debug mode too."""
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def not_found(request, exception=None):
    return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)


def server_error(request):
    return JsonResponse({"detail": "Internal server error.", "code": "server_error"}, status=500)


def bad_request(request, exception=None):
    return JsonResponse({"detail": "Bad request.", "code": "bad_request"}, status=400)


def permission_denied(request, exception=None):
    return JsonResponse(
        {
            "detail": "You do not have permission to perform this action.",
            "code": "permission_denied",
        },
        status=403,
    )


class _JSONErrors:
    """Errors in JSON, whatever the view's own renderer (HTML pages, the YAML schema)."""

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def options(self, request, *args, **kwargs):
        # DRF's metadata answer would be rendered through the page template and fail.
        return self.http_method_not_allowed(request, *args, **kwargs)


STATIC_NOT_COLLECTED = (
    "The API docs need the collected static files, and there are none: run "
    "`python manage.py collectstatic` (debug is off, so Django does not serve them itself). "
    "The schema itself is at /api/v1/schema/."
)


class _NeedsCollectedStatic:
    """With debug off and no `collectstatic`, a docs page answers 503 saying so, not a 500."""

    def dispatch(self, request, *args, **kwargs):
        try:
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        except ValueError as exc:  # the manifest storage has no entry: nothing was collected
            if "manifest" not in str(exc):
                raise
            logger.error("Docs page without collected static files: %s", exc)
            return JsonResponse(
                {"detail": STATIC_NOT_COLLECTED, "code": "static_files_missing"}, status=503
            )
        return response


class SchemaView(_JSONErrors, SpectacularAPIView):
    """The OpenAPI document."""


class SwaggerView(_NeedsCollectedStatic, _JSONErrors, SpectacularSwaggerView):
    """Swagger UI over the OpenAPI document."""


class RedocView(_NeedsCollectedStatic, _JSONErrors, SpectacularRedocView):
    """ReDoc over the OpenAPI document."""
