"""Domain exceptions services raise, and the one handler that maps every error to JSON."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule refused the request; `status` is the HTTP answer the API gives."""

    status = status.HTTP_400_BAD_REQUEST
    default_detail = "The request was refused."
    code = "invalid"

    def __init__(self, detail: str | dict | None = None, *, code: str | None = None):
        self.detail = detail if detail is not None else self.default_detail
        if code is not None:
            self.code = code
        super().__init__(self.detail)

    def __str__(self) -> str:
        if isinstance(self.detail, dict):
            return str(self.detail.get("detail", self.default_detail))
        return str(self.detail)


class Conflict(DomainError):
    """The request clashes with the current state (already enrolled, course full, ...)."""

    status = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    code = "conflict"


class PaymentRequired(DomainError):
    """The resource needs a payment first."""

    status = status.HTTP_402_PAYMENT_REQUIRED
    default_detail = "Payment required."
    code = "payment_required"


class NotAvailable(DomainError):
    """The caller may not do this now (a lesson not yet released, a window closed, ...)."""

    status = status.HTTP_403_FORBIDDEN
    default_detail = "This is not available to you now."
    code = "not_available"


class ServiceUnavailable(DomainError):
    """A feature's outside service is not configured or not reachable."""

    status = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Service temporarily unavailable."
    code = "service_unavailable"


def as_api_exception(exc: DomainError) -> exceptions.APIException:
    """The DRF exception that answers `exc` with its status and body (`code` included)."""
    detail = exc.detail
    if isinstance(detail, dict) and "code" not in detail:
        detail = {**detail, "code": exc.code}
    api_exc = exceptions.APIException(detail, exc.code)
    api_exc.status_code = exc.status
    if isinstance(detail, dict):
        # A body the service built keeps its JSON types (ids, dates, null); DRF's own
        # `APIException` would turn every value into a string.
        api_exc.detail = detail
    return api_exc


DATABASE_UNAVAILABLE = "The database is not reachable right now; try again shortly."


def api_exception_handler(exc, context):
    """DRF's handler, extended to domain and Django exceptions so services stay HTTP-free."""
    if isinstance(exc, DomainError):
        exc = as_api_exception(exc)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, IntegrityError):
        logger.warning("Integrity error answered as 409: %s", exc)
        exc = as_api_exception(Conflict())
    elif isinstance(exc, OperationalError | InterfaceError):
        # The database dropped us or is restarting (or a lock wait ran out): worth a retry.
        logger.error("Database unavailable, answered 503: %s", exc)
        exc = as_api_exception(ServiceUnavailable(DATABASE_UNAVAILABLE))
        response = exception_handler(exc, context)
        error_code_add(response.data, exc)
        response["Retry-After"] = "5"
        return response
    response = exception_handler(exc, context)
    if response is None:
        return None
    error_code_add(response.data, exc)
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait) + (exc.wait % 1 > 0))
    return response


def error_code_add(body, exc: exceptions.APIException) -> None:
    """Give a non-field error body (`{"detail": ...}`) its stable `code`, unless it has one.

    Field errors (`{"field": ["message"]}`) are left as they are: their codes are per field.
    """
    if not isinstance(body, dict) or "detail" not in body or "code" in body:
        return
    codes = exc.get_codes()
    if isinstance(codes, dict):
        codes = codes.get("detail")
    if isinstance(codes, list):
        codes = codes[0] if codes else None
    body["code"] = str(codes or exc.default_code)
