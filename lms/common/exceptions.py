"""Domain exceptions and the one handler that maps every error to the JSON contract."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    """The request clashes with the current state (already enrolled, course full, ...)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class PaymentRequired(exceptions.APIException):
    """The resource needs a payment first."""

    status_code = status.HTTP_402_PAYMENT_REQUIRED
    default_detail = "Payment required."
    default_code = "payment_required"


class ServiceUnavailable(exceptions.APIException):
    """A feature's outside service is not configured or not reachable."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Service temporarily unavailable."
    default_code = "service_unavailable"


def api_exception_handler(exc, context):
    """DRF's handler, extended to Django's own exceptions so services can raise them."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, IntegrityError):
        logger.warning("Integrity error answered as 409: %s", exc)
        exc = Conflict()
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait) + (exc.wait % 1 > 0))
    return response


def json_error_response(status_code: int, detail: str) -> Response:
    """A JSON error body for the places DRF's handler does not reach."""
    return Response({"detail": detail}, status=status_code)
