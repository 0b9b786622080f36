"""Checkout, confirmation, refunds and Stripe events: every change to a payment."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.common.email import email_queue_template
from lms.common.exceptions import Conflict
from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import is_enrolled
from lms.enrollments.services import (
    course_has_room,
    enrollment_activate_paid,
    enrollment_cancel,
)

from .models import Payment, WebhookEvent
from .providers import amount_in_minor_units, payment_provider

logger = logging.getLogger(__name__)


def _locked(payment: Payment) -> Payment:
    return (
        Payment.objects.select_for_update().select_related("student", "course").get(pk=payment.pk)
    )


def payment_checkout(*, student, course: Course) -> Payment:
    """Start paying for a course at its current price; a matching open checkout is reused."""
    provider = payment_provider()
    with transaction.atomic():
        if not course.is_published:
            raise ValidationError({"course": ["This course is not open for enrollment."]})
        if course.is_free:
            raise ValidationError(
                {"course": ["This course is free; enroll with POST /api/v1/enrollments/."]}
            )
        if is_enrolled(student, course.pk):
            raise Conflict("You are already enrolled in this course.")
        if not course_has_room(course):
            raise Conflict("This course is full.")
        pending = (
            Payment.objects.select_for_update()
            .filter(student=student, course=course, status=Payment.Status.PENDING)
            .first()
        )
        if pending is not None:
            if (pending.amount, pending.currency, pending.provider) == (
                course.price,
                course.currency,
                provider.name,
            ):
                return pending
            _fail(pending, "Superseded by a new checkout at the course's current price.")
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    student=student,
                    course=course,
                    amount=course.price,
                    currency=course.currency,
                    provider=provider.name,
                )
        except IntegrityError as exc:
            raise Conflict("A checkout for this course is already in progress.") from exc
        started = provider.checkout_start(payment)
        payment.provider_reference = started.reference
        payment.checkout_url = started.url
        payment.save(update_fields=["provider_reference", "checkout_url", "updated_at"])
        logger.info("Checkout %s started for user %s, course %s", payment.pk, student.pk, course.pk)
        return payment


def _succeed(payment: Payment, provider_payment_id: str = "") -> None:
    payment.status = Payment.Status.SUCCEEDED
    payment.paid_at = timezone.now()
    if provider_payment_id:
        payment.provider_payment_id = provider_payment_id
    payment.save(update_fields=["status", "paid_at", "provider_payment_id", "updated_at"])
    email_queue_template(
        to=payment.student.email,
        template="payments/email/payment_receipt",
        context={
            "student": payment.student,
            "course": payment.course,
            "payment": payment,
            "frontend_url": settings.FRONTEND_URL,
        },
    )
    logger.info("Payment %s succeeded", payment.pk)


def _fail(payment: Payment, reason: str) -> None:
    payment.status = Payment.Status.FAILED
    payment.failure_reason = reason[:255]
    payment.save(update_fields=["status", "failure_reason", "updated_at"])
    logger.warning("Payment %s failed: %s", payment.pk, reason)


def payment_confirm(*, payment: Payment) -> Payment:
    """An admin confirms an offline payment: it succeeds and the student is enrolled, once."""
    with transaction.atomic():
        payment = _locked(payment)
        if payment.provider != Payment.Provider.MANUAL:
            raise ValidationError("Only manual payments are confirmed by hand.")
        if payment.status != Payment.Status.PENDING:
            raise Conflict(f"This payment is already {payment.status}.")
        # Enroll first: a full course answers 409 and the payment stays pending.
        enrollment_activate_paid(student=payment.student, course=payment.course)
        _succeed(payment)
        return payment


def payment_mark_succeeded(*, payment: Payment, provider_payment_id: str = "") -> Payment:
    """The provider reports the money arrived: succeed and enroll; a repeat changes nothing."""
    with transaction.atomic():
        payment = _locked(payment)
        if payment.status != Payment.Status.PENDING:
            logger.info("Payment %s is already %s; nothing to do", payment.pk, payment.status)
            return payment
        _succeed(payment, provider_payment_id)
        try:
            with transaction.atomic():
                enrollment_activate_paid(student=payment.student, course=payment.course)
        except Conflict as exc:
            # The money is taken; an admin must refund it.
            payment.failure_reason = f"Paid but not enrolled ({exc.detail}); refund needed."
            payment.save(update_fields=["failure_reason", "updated_at"])
            logger.error("Payment %s: %s", payment.pk, payment.failure_reason)
        return payment


def payment_mark_failed(*, payment: Payment, reason: str) -> Payment:
    """A pending payment failed (declined, or the provider's data did not match)."""
    with transaction.atomic():
        payment = _locked(payment)
        if payment.status == Payment.Status.PENDING:
            _fail(payment, reason)
        return payment


def _refunded(payment: Payment) -> None:
    payment.status = Payment.Status.REFUNDED
    payment.refunded_at = timezone.now()
    payment.save(update_fields=["status", "refunded_at", "updated_at"])
    enrollment = Enrollment.objects.filter(student=payment.student, course=payment.course).first()
    if enrollment is not None:
        enrollment_cancel(enrollment=enrollment)
    logger.info("Payment %s refunded", payment.pk)


def payment_refund(*, payment: Payment) -> Payment:
    """An admin refunds a succeeded payment through its provider; the enrollment is cancelled."""
    with transaction.atomic():
        payment = _locked(payment)
        if payment.status != Payment.Status.SUCCEEDED:
            raise Conflict(
                f"Only succeeded payments can be refunded; this one is {payment.status}."
            )
        payment_provider(payment.provider).refund(payment)
        _refunded(payment)
        return payment


def payment_mark_refunded(*, payment: Payment) -> Payment:
    """The provider reports a full refund: record it and cancel the enrollment."""
    with transaction.atomic():
        payment = _locked(payment)
        if payment.status == Payment.Status.SUCCEEDED:
            _refunded(payment)
        else:
            logger.info("Refund reported for payment %s in status %s", payment.pk, payment.status)
        return payment


# --- Stripe events ---------------------------------------------------------------------


def _stripe_payment_for(obj: dict) -> Payment | None:
    """The payment a Checkout Session or Charge belongs to, by our id in its metadata."""
    metadata = obj.get("metadata") or {}
    candidates = {str(v) for v in (metadata.get("payment_id"), obj.get("client_reference_id")) if v}
    if len(candidates) == 1:
        payment_id = candidates.pop()
        if payment_id.isdigit():
            return Payment.objects.filter(
                pk=int(payment_id), provider=Payment.Provider.STRIPE
            ).first()
    elif len(candidates) > 1:
        logger.warning("Stripe object %s names two payments: %s", obj.get("id"), candidates)
        return None
    intent = obj.get("payment_intent")
    if obj.get("object") == "charge" and intent:
        return Payment.objects.filter(
            provider_payment_id=intent, provider=Payment.Provider.STRIPE
        ).first()
    return None


def _session_mismatch(payment: Payment, session: dict) -> str:
    """Why a Checkout Session does not match its payment ('' when it does)."""
    if session.get("id") != payment.provider_reference:
        return f"session id {session.get('id')!r} is not {payment.provider_reference!r}"
    expected = amount_in_minor_units(payment.amount, payment.currency)
    if session.get("amount_total") != expected:
        return f"amount {session.get('amount_total')!r} is not {expected}"
    if str(session.get("currency", "")).lower() != payment.currency.lower():
        return f"currency {session.get('currency')!r} is not {payment.currency.lower()!r}"
    return ""


def _stripe_session_paid(session: dict, *, wait_if_unpaid: bool) -> None:
    payment = _stripe_payment_for(session)
    if payment is None:
        logger.warning("Stripe session %s matches no payment", session.get("id"))
        return
    mismatch = _session_mismatch(payment, session)
    if mismatch:
        logger.error("Stripe session for payment %s does not match: %s", payment.pk, mismatch)
        payment_mark_failed(payment=payment, reason=f"Provider data mismatch: {mismatch}")
        return
    intent = session.get("payment_intent") or ""
    if wait_if_unpaid and session.get("payment_status") == "unpaid":
        # Delayed methods (bank debits) report later with async_payment_succeeded.
        Payment.objects.filter(pk=payment.pk).update(provider_payment_id=intent)
        return
    payment_mark_succeeded(payment=payment, provider_payment_id=intent)


def _stripe_session_completed(session: dict) -> None:
    _stripe_session_paid(session, wait_if_unpaid=True)


def _stripe_session_async_succeeded(session: dict) -> None:
    _stripe_session_paid(session, wait_if_unpaid=False)


def _stripe_session_async_failed(session: dict) -> None:
    payment = _stripe_payment_for(session)
    if payment is not None:
        payment_mark_failed(payment=payment, reason="The payment failed at Stripe.")


def _stripe_charge_refunded(charge: dict) -> None:
    payment = _stripe_payment_for(charge)
    if payment is None:
        logger.warning("Stripe charge %s matches no payment", charge.get("id"))
        return
    if not charge.get("refunded"):
        logger.info("Partial refund on payment %s; the enrollment stays", payment.pk)
        return
    payment_mark_refunded(payment=payment)


STRIPE_EVENT_HANDLERS = {
    "checkout.session.completed": _stripe_session_completed,
    "checkout.session.async_payment_succeeded": _stripe_session_async_succeeded,
    "checkout.session.async_payment_failed": _stripe_session_async_failed,
    "charge.refunded": _stripe_charge_refunded,
}


def stripe_event_process(*, event: dict) -> str:
    """Apply a verified Stripe event once: 'processed', 'duplicate' or 'ignored'.

    The event id is recorded under a unique constraint in the same transaction as
    its effects, so concurrent redeliveries wait here and then see a duplicate.
    """
    event_id, event_type = str(event["id"]), str(event["type"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    provider=Payment.Provider.STRIPE, event_id=event_id, event_type=event_type
                )
        except IntegrityError:
            logger.info("Stripe event %s already processed", event_id)
            return "duplicate"
        handler = STRIPE_EVENT_HANDLERS.get(event_type)
        if handler is None:
            return "ignored"
        handler(event["data"]["object"])
        logger.info("Processed Stripe event %s (%s)", event_id, event_type)
        return "processed"
