"""Checkout, an admin's confirmation and refund: the payment actions people start."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from lms.audit.services import audit_record
from lms.common.exceptions import Conflict, ServiceUnavailable
from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.enrollments.prerequisites import enrollment_prerequisites_check
from lms.enrollments.services import enrollment_activate_paid

from .coupons import Quote, coupon_hold_check, coupon_quote, coupon_reserve, hold_is_fresh
from .models import Payment
from .outcomes import (
    course_locked,
    payment_locked,
    payment_mark_refunded,
    payment_record_failed,
    payment_record_succeeded,
)
from .providers import CheckoutStarted, PaymentProvider, payment_provider
from .rules import payment_allowed_check

logger = logging.getLogger(__name__)


def payment_checkout(*, student, course: Course, coupon_code: str = "") -> Payment:
    """Start paying for a course at its current price less the coupon; a matching open
    checkout is reused. A coupon that covers the whole price enrolls at once.

    Three steps, so that no row lock is held while the provider is called: open the
    payment, ask the provider for a checkout (its idempotency key is the payment id,
    so a retry gets the same session), then record the answer. A checkout replaced
    at a new price is closed at its provider first, so it can no longer be paid.
    """
    provider = payment_provider()
    payment, superseded = _checkout_open(
        student=student, course=course, provider=provider, coupon_code=coupon_code
    )
    if superseded is not None:
        payment_provider(superseded.provider).checkout_cancel(superseded)
    if payment.provider_reference or payment.status != Payment.Status.PENDING:
        return payment
    try:
        started = provider.checkout_start(payment)
    except ServiceUnavailable:
        # Nothing was handed to the student: keep no trace of the attempt.
        Payment.objects.filter(
            pk=payment.pk, status=Payment.Status.PENDING, provider_reference=""
        ).delete()
        raise
    payment = _checkout_record(payment, started)
    logger.info("Checkout %s started for user %s, course %s", payment.pk, student.pk, course.pk)
    return payment


def _checkout_open(
    *, student, course: Course, provider: PaymentProvider, coupon_code: str
) -> tuple[Payment, Payment | None]:
    """The student's pending payment at the course's current price, created if needed.

    Also returns the pending payment it superseded (at an old price), if any.
    """
    with transaction.atomic():
        payment_allowed_check(student=student, course=course)
        # Checkout only: money that arrives anyway (a confirm, a webhook) still enrolls.
        enrollment_prerequisites_check(student=student, course=course)
        pending = (
            Payment.objects.select_for_update()
            .filter(student=student, course=course, status=Payment.Status.PENDING)
            .first()
        )
        quote = None
        if coupon_code:
            quote = coupon_quote(code=coupon_code, course=course, excluding=pending)
        amount = quote.amount if quote else course.price
        coupon = quote.coupon if quote else None
        if pending is not None:
            same = (pending.amount, pending.currency, pending.provider, pending.coupon_id) == (
                amount,
                course.currency,
                provider.name,
                getattr(coupon, "pk", None),
            )
            if same and (coupon is None or hold_is_fresh(pending)):
                return pending, None
            # Closed at the provider after commit; if paid first, the webhook still
            # records the money (enrolled, or a refund due).
            payment_record_failed(
                pending, "Superseded by a new checkout at the course's current price."
            )
        if quote is not None and quote.amount == 0:
            return _checkout_covered(student=student, course=course, quote=quote), pending
        if coupon is not None:
            coupon = coupon_reserve(coupon=coupon)
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    student=student,
                    course=course,
                    amount=amount,
                    currency=course.currency,
                    coupon=coupon,
                    discount=quote.discount if quote else 0,
                    provider=provider.name,
                )
        except IntegrityError as exc:
            raise Conflict(
                "A checkout for this course is already in progress.", code="checkout_in_progress"
            ) from exc
        return payment, pending


def _checkout_covered(*, student, course: Course, quote: Quote) -> Payment:
    """A coupon covers the whole price: a succeeded `coupon` payment and the enrollment, now.

    Locks the course, then the coupon (the order of the other payment paths).
    """
    course = course_locked(course.pk)
    payment_allowed_check(student=student, course=course)
    coupon = coupon_reserve(coupon=quote.coupon)
    payment = Payment.objects.create(
        student=student,
        course=course,
        amount=0,
        currency=quote.currency,
        coupon=coupon,
        discount=quote.discount,
        provider=Payment.Provider.COUPON,
    )
    payment.provider_reference = f"COUPON-{payment.pk}"
    payment.save(update_fields=["provider_reference"])
    enrollment_activate_paid(student=student, course=course, source=Enrollment.Source.COUPON)
    payment_record_succeeded(payment)
    return payment


def _checkout_record(payment: Payment, started: CheckoutStarted) -> Payment:
    """Store the provider's checkout on the payment (a concurrent retry may have done it)."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().filter(pk=payment.pk).first()
        if locked is None:
            raise Conflict("This checkout was replaced; start again.")
        if not locked.provider_reference:
            locked.provider_reference = started.reference
            locked.checkout_url = started.url
            locked.save(update_fields=["provider_reference", "checkout_url", "updated_at"])
        return locked


def payment_confirm(*, payment: Payment, by, ip: str | None = None) -> Payment:
    """An admin confirms an offline payment: it succeeds and the student is enrolled, once.

    The same rule as checkout decides: a payment the student may not make now (already
    enrolled or paid for, course full or closed) is refused and stays pending.
    """
    with transaction.atomic():
        payment = payment_locked(payment)
        if payment.provider != Payment.Provider.MANUAL:
            raise ValidationError("Only manual payments are confirmed by hand.")
        if payment.status != Payment.Status.PENDING:
            raise Conflict(f"This payment is already {payment.status}.")
        course = course_locked(payment.course_id)
        payment_allowed_check(student=payment.student, course=course)
        coupon_hold_check(payment)
        enrollment_activate_paid(student=payment.student, course=course)
        payment_record_succeeded(payment)
        audit_record(
            actor=by,
            action="payment.confirmed",
            target=payment,
            changes={"status": [Payment.Status.PENDING, payment.status]},
            ip=ip,
        )
        logger.info("Payment %s confirmed by user %s", payment.pk, getattr(by, "pk", None))
        return payment


def payment_refund(*, payment: Payment, by, ip: str | None = None) -> Payment:
    """An admin refunds a succeeded payment (a refund due or not) through its provider.

    The provider is called with no lock held; its refund is idempotent per payment,
    so a concurrent or repeated refund returns the money once. The enrollment is
    cancelled when this payment granted it.
    """
    payment = Payment.objects.select_related("student", "course").get(pk=payment.pk)
    if payment.status != Payment.Status.SUCCEEDED:
        raise Conflict(f"Only succeeded payments can be refunded; this one is {payment.status}.")
    payment_provider(payment.provider).refund(payment)
    with transaction.atomic():
        payment = payment_mark_refunded(payment=payment)
        audit_record(
            actor=by,
            action="payment.refunded",
            target=payment,
            changes={"status": [Payment.Status.SUCCEEDED, payment.status]},
            ip=ip,
        )
    logger.info("Payment %s refunded by user %s", payment.pk, getattr(by, "pk", None))
    return payment
