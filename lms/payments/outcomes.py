"""What happens to a payment when its money arrives, fails or goes back: provider-neutral.

Providers (their webhooks) and the admin's services call these; none of them makes
a network call, so they may hold row locks. Locks are taken payment first, then
course: the same order everywhere, so concurrent deliveries queue instead of deadlocking.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lms.common import events
from lms.common.email import email_queue_template
from lms.common.exceptions import DomainError
from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.enrollments.services import enrollment_activate_paid, enrollment_cancel

from .coupons import coupon_hold_check
from .models import Payment, WebhookEvent
from .rules import payment_allowed_check, refusal_text

logger = logging.getLogger(__name__)


def payment_locked(payment: Payment) -> Payment:
    """The payment row, locked until the transaction ends."""
    return (
        Payment.objects.select_for_update().select_related("student", "course").get(pk=payment.pk)
    )


def course_locked(course_id: int) -> Course:
    """The course row, locked: decisions about its seats and standing payments queue here."""
    return Course.objects.select_for_update().get(pk=course_id)


def payment_event_data(payment: Payment) -> dict:
    """A payment as domain events carry it."""
    return {
        "payment": {
            "id": payment.pk,
            "student": payment.student_id,
            "course": payment.course_id,
            "amount": str(payment.amount),
            "currency": payment.currency,
            "discount": str(payment.discount),
            "coupon": payment.coupon.code if payment.coupon_id else None,
            "provider": payment.provider,
            "status": payment.status,
            "refund_due": payment.refund_due,
            "paid_at": events.iso(payment.paid_at),
            "refunded_at": events.iso(payment.refunded_at),
        }
    }


def payment_record_succeeded(
    payment: Payment, *, provider_payment_id: str = "", refund_reason: str = ""
) -> None:
    """Record the money as arrived (on a locked payment) and queue the receipt.

    With a `refund_reason` the payment grants nothing and waits for an admin's refund.
    """
    payment.status = Payment.Status.SUCCEEDED
    payment.paid_at = timezone.now()
    payment.refund_due = bool(refund_reason)
    # A stale reason (a superseded checkout that was paid after all) must not linger.
    payment.failure_reason = refund_reason[:255]
    if provider_payment_id:
        payment.provider_payment_id = provider_payment_id
    payment.save(
        update_fields=[
            "status",
            "paid_at",
            "refund_due",
            "failure_reason",
            "provider_payment_id",
            "updated_at",
        ]
    )
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
    events.emit(events.PAYMENT_SUCCEEDED, payment_event_data(payment))
    if refund_reason:
        logger.error("Payment %s paid, refund due: %s", payment.pk, refund_reason)
    else:
        logger.info("Payment %s succeeded", payment.pk)


def payment_record_failed(payment: Payment, reason: str) -> None:
    """Record a locked pending payment as failed."""
    payment.status = Payment.Status.FAILED
    payment.failure_reason = reason[:255]
    payment.save(update_fields=["status", "failure_reason", "updated_at"])
    logger.warning("Payment %s failed: %s", payment.pk, reason)


def payment_mark_paid(
    *, payment: Payment, provider_payment_id: str = "", problem: str = ""
) -> Payment:
    """The provider reports the money arrived: enroll the student, or record a refund due.

    Always ends in a state an admin can act on, whatever the payment was before
    (pending, or failed because a newer checkout replaced it): `succeeded` and
    enrolled when the student may pay for the course now, else `succeeded` with
    `refund_due` and the reason (`problem` forces that: the provider's data did not
    match). A repeat for a succeeded or refunded payment changes nothing.
    """
    with transaction.atomic():
        payment = payment_locked(payment)
        if payment.status in (Payment.Status.SUCCEEDED, Payment.Status.REFUNDED):
            logger.info("Payment %s is already %s; nothing to do", payment.pk, payment.status)
            return payment
        course = course_locked(payment.course_id)
        refusal = problem
        if not refusal:
            try:
                with transaction.atomic():
                    payment_allowed_check(student=payment.student, course=course)
                    coupon_hold_check(payment)
                    enrollment_activate_paid(student=payment.student, course=course)
                    payment_record_succeeded(payment, provider_payment_id=provider_payment_id)
                    return payment
            except (DomainError, ValidationError) as exc:
                refusal = refusal_text(exc)
            except IntegrityError:
                refusal = "Another payment already grants this course."
        payment_record_succeeded(
            payment,
            provider_payment_id=provider_payment_id,
            refund_reason=refusal,
        )
        return payment


def payment_mark_awaiting(*, payment: Payment, provider_payment_id: str) -> Payment:
    """The checkout completed but the money is still on its way (a bank debit)."""
    with transaction.atomic():
        payment = payment_locked(payment)
        if payment.status == Payment.Status.PENDING and provider_payment_id:
            payment.provider_payment_id = provider_payment_id
            payment.save(update_fields=["provider_payment_id", "updated_at"])
        return payment


def payment_mark_failed(*, payment: Payment, reason: str) -> Payment:
    """A pending payment failed (declined, or the provider's data did not match)."""
    with transaction.atomic():
        payment = payment_locked(payment)
        if payment.status == Payment.Status.PENDING:
            payment_record_failed(payment, reason)
        return payment


def payment_mark_refunded(*, payment: Payment) -> Payment:
    """The money went back: record it; the enrollment closes if this payment granted it."""
    with transaction.atomic():
        payment = payment_locked(payment)
        if payment.status != Payment.Status.SUCCEEDED:
            logger.info("Refund reported for payment %s in status %s", payment.pk, payment.status)
            return payment
        granted = payment.is_standing
        payment.status = Payment.Status.REFUNDED
        payment.refunded_at = timezone.now()
        payment.refund_due = False
        payment.save(update_fields=["status", "refunded_at", "refund_due", "updated_at"])
        events.emit(events.PAYMENT_REFUNDED, payment_event_data(payment))
        enrollment = Enrollment.objects.filter(
            student=payment.student, course=payment.course
        ).first()
        # A refund that was due never opened the course; another payment may have.
        if granted and enrollment is not None:
            enrollment_cancel(enrollment=enrollment)
        logger.info("Payment %s refunded", payment.pk)
        return payment


def provider_event_once(
    *, provider: str, event_id: str, event_type: str, apply: Callable[[], None] | None
) -> str:
    """Apply a verified provider event once: 'processed', 'duplicate' or 'ignored'.

    The event id is recorded under a unique constraint in the same transaction as
    its effects, so concurrent redeliveries wait here and then see a duplicate.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    provider=provider, event_id=event_id, event_type=event_type
                )
        except IntegrityError:
            logger.info("%s event %s already processed", provider, event_id)
            return "duplicate"
        if apply is None:
            return "ignored"
        apply()
        logger.info("Processed %s event %s (%s)", provider, event_id, event_type)
        return "processed"
