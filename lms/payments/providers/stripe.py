"""Stripe Checkout: sessions, refunds, and the signed webhook mapped to neutral outcomes."""

import json
import logging
from datetime import timedelta
from decimal import Decimal
from functools import partial

import stripe
from django.conf import settings

from lms.common.exceptions import ServiceUnavailable

from ..models import Payment
from ..money import ZERO_DECIMAL_CURRENCIES
from ..outcomes import (
    payment_mark_awaiting,
    payment_mark_failed,
    payment_mark_paid,
    payment_mark_refunded,
    provider_event_once,
)
from ..selectors import payment_of_provider
from .base import CheckoutStarted, PaymentProvider, WebhookRejected

logger = logging.getLogger(__name__)

STRIPE_TIMEOUT_SECONDS = 15
#: Longest event id and type we store (the `WebhookEvent` columns).
EVENT_ID_MAX, EVENT_TYPE_MAX = 255, 100


def amount_in_minor_units(amount: Decimal, currency: str) -> int:
    """`49.00 USD` → 4900; zero-decimal currencies stay whole."""
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return int(amount)
    return int((amount * 100).to_integral_value())


class StripeProvider(PaymentProvider):
    """Stripe Checkout: a hosted payment page; the signed webhook reports the outcome."""

    name = Payment.Provider.STRIPE

    def _client(self) -> stripe.StripeClient:
        if not settings.STRIPE_SECRET_KEY:
            raise ServiceUnavailable("Stripe is not configured (STRIPE_SECRET_KEY).")
        base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
        return stripe.StripeClient(
            settings.STRIPE_SECRET_KEY,
            base_addresses=base,
            max_network_retries=1,
            http_client=stripe.RequestsClient(timeout=STRIPE_TIMEOUT_SECONDS),
        )

    def checkout_start(self, payment: Payment) -> CheckoutStarted:
        course = payment.course
        payment_id = str(payment.pk)
        params = {
            "mode": "payment",
            "client_reference_id": payment_id,
            "metadata": {"payment_id": payment_id},
            # Charges carry the id too, so `charge.refunded` finds its payment.
            "payment_intent_data": {"metadata": {"payment_id": payment_id}},
            "customer_email": payment.student.email,
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": payment.currency.lower(),
                        "unit_amount": amount_in_minor_units(payment.amount, payment.currency),
                        "product_data": {"name": course.title},
                    },
                }
            ],
            "success_url": (
                f"{settings.FRONTEND_URL}/payments/{payment_id}/success"
                "?session_id={CHECKOUT_SESSION_ID}"
            ),
            "cancel_url": f"{settings.FRONTEND_URL}/courses/{course.slug}",
        }
        if payment.coupon_id is not None:
            # The session closes when the coupon's hold lapses, so a redemption released
            # by an abandoned checkout cannot be paid later at the discounted price.
            hold = timedelta(minutes=settings.COUPON_HOLD_MINUTES)
            params["expires_at"] = int((payment.created_at + hold).timestamp())
        try:
            # The key makes a retry for the same payment return the same session.
            session = self._client().v1.checkout.sessions.create(
                params=params, options={"idempotency_key": f"lms-checkout-{payment_id}"}
            )
        except stripe.StripeError as exc:
            logger.exception("Stripe checkout for payment %s failed", payment_id)
            raise ServiceUnavailable("The payment provider is unavailable; try again.") from exc
        return CheckoutStarted(reference=session.id, url=session.url or "")

    def instructions(self, payment: Payment) -> str:
        return "Complete the payment on Stripe's checkout page at checkout_url."

    def checkout_cancel(self, payment: Payment) -> None:
        if not payment.provider_reference:
            return
        try:
            self._client().v1.checkout.sessions.expire(payment.provider_reference)
        except (stripe.StripeError, ServiceUnavailable):
            # Already paid or expired, or Stripe is away: if it gets paid after all,
            # the webhook records the money (enrolled, or a refund due).
            logger.warning(
                "Stripe session %s of payment %s could not be expired",
                payment.provider_reference,
                payment.pk,
            )

    def refund(self, payment: Payment) -> None:
        if not payment.provider_payment_id:
            raise ServiceUnavailable("Stripe has not reported this payment's PaymentIntent yet.")
        try:
            self._client().v1.refunds.create(
                params={
                    "payment_intent": payment.provider_payment_id,
                    "metadata": {"payment_id": str(payment.pk)},
                },
                options={"idempotency_key": f"lms-refund-{payment.pk}"},
            )
        except stripe.StripeError as exc:
            logger.exception("Stripe refund for payment %s failed", payment.pk)
            raise ServiceUnavailable("The payment provider is unavailable; try again.") from exc

    # --- the webhook ------------------------------------------------------------------

    def webhook_handle(self, *, body: bytes, headers) -> str:
        event = _verified_event(body, headers.get("Stripe-Signature"))
        event_id, event_type = event["id"], event["type"]
        logger.info("Stripe event %s (%s) received", event_id, event_type)
        handler = EVENT_HANDLERS.get(event_type)
        return provider_event_once(
            provider=self.name,
            event_id=event_id,
            event_type=event_type,
            apply=None if handler is None else partial(handler, event["data"]["object"]),
        )


def _verified_event(body: bytes, signature: str | None) -> dict:
    """The event in `body` once its signature holds, with the envelope we rely on."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise ServiceUnavailable("The Stripe webhook is not configured.")
    try:
        payload = body.decode("utf-8")
        # What `stripe.Webhook.construct_event` checks, minus its object building,
        # which crashes on JSON that is not an object; we parse the body ourselves.
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
        )
    except UnicodeDecodeError as exc:
        raise WebhookRejected("Invalid payload.") from exc
    except stripe.SignatureVerificationError as exc:
        logger.warning("Stripe webhook with a bad signature rejected")
        raise WebhookRejected("Invalid signature.") from exc
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError) as exc:
        logger.warning("Signed Stripe webhook body is not JSON")
        raise WebhookRejected("Invalid payload.") from exc
    if not _is_event(event):
        logger.warning("Signed Stripe webhook is not an event we can read; rejected")
        raise WebhookRejected("Invalid payload.")
    return event


def _is_event(event) -> bool:
    """Whether `event` has the envelope we rely on: an id, a type, and an object."""
    if not isinstance(event, dict):
        return False
    data = event.get("data")
    return bool(
        _text(event.get("id"), EVENT_ID_MAX)
        and _text(event.get("type"), EVENT_TYPE_MAX)
        and isinstance(data, dict)
        and isinstance(data.get("object"), dict)
    )


def _text(value, limit: int = 255) -> str:
    """A short non-empty string field, or '' for any other shape."""
    return value if isinstance(value, str) and 0 < len(value) <= limit else ""


def _reference(value) -> str:
    """A Stripe id, given as a string or as an expanded object."""
    if isinstance(value, dict):
        value = value.get("id")
    return _text(value)


def _shown(value) -> str:
    """A field's value for a log line or a reason, whatever its size."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _payment_for(obj: dict) -> Payment | None:
    """The payment a Checkout Session or Charge belongs to, by our id in its metadata."""
    metadata = obj.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    named = {
        str(value)
        for value in (metadata.get("payment_id"), obj.get("client_reference_id"))
        if isinstance(value, str | int) and not isinstance(value, bool) and value != ""
    }
    if len(named) > 1:
        logger.warning("Stripe object %s names two payments: %s", _shown(obj.get("id")), named)
        return None
    if named:
        return payment_of_provider(Payment.Provider.STRIPE, payment_id=named.pop())
    if obj.get("object") == "charge":
        intent = _reference(obj.get("payment_intent"))
        return payment_of_provider(Payment.Provider.STRIPE, provider_payment_id=intent)
    return None


def _session_mismatch(payment: Payment, session: dict) -> str:
    """Why a Checkout Session does not match its payment ('' when it does)."""
    if session.get("id") != payment.provider_reference:
        return f"session id {_shown(session.get('id'))} is not {payment.provider_reference!r}"
    expected = amount_in_minor_units(payment.amount, payment.currency)
    amount = session.get("amount_total")
    if type(amount) is not int or amount != expected:
        return f"amount {_shown(amount)} is not {expected}"
    currency = session.get("currency")
    if not isinstance(currency, str) or currency.lower() != payment.currency.lower():
        return f"currency {_shown(currency)} is not {payment.currency.lower()!r}"
    return ""


def _session_payment(session: dict) -> Payment | None:
    payment = _payment_for(session)
    if payment is None:
        # Nothing of ours to attach it to (a `stripe trigger` test, another app's session).
        logger.error("Stripe session %s matches no payment", _shown(session.get("id")))
    return payment


def _session_paid(session: dict) -> None:
    payment = _session_payment(session)
    if payment is None:
        return
    mismatch = _session_mismatch(payment, session)
    if mismatch:
        logger.error("Stripe session for payment %s does not match: %s", payment.pk, mismatch)
    payment_mark_paid(
        payment=payment,
        provider_payment_id=_reference(session.get("payment_intent")),
        problem=f"Provider data mismatch: {mismatch}." if mismatch else "",
    )


def _session_completed(session: dict) -> None:
    if session.get("payment_status") == "paid":
        _session_paid(session)
        return
    # Delayed methods (bank debits) report later with async_payment_succeeded.
    payment = _session_payment(session)
    if payment is None:
        return
    mismatch = _session_mismatch(payment, session)
    if mismatch:
        logger.error("Stripe session for payment %s does not match: %s", payment.pk, mismatch)
        payment_mark_failed(payment=payment, reason=f"Provider data mismatch: {mismatch}")
        return
    if session.get("payment_status") != "unpaid":
        logger.warning(
            "Stripe session for payment %s has payment_status %s; waiting",
            payment.pk,
            _shown(session.get("payment_status")),
        )
    payment_mark_awaiting(
        payment=payment, provider_payment_id=_reference(session.get("payment_intent"))
    )


def _session_async_failed(session: dict) -> None:
    payment = _session_payment(session)
    if payment is not None:
        payment_mark_failed(payment=payment, reason="The payment failed at Stripe.")


def _charge_refunded(charge: dict) -> None:
    payment = _payment_for(charge)
    if payment is None:
        logger.warning("Stripe charge %s matches no payment", _shown(charge.get("id")))
        return
    if charge.get("refunded") is not True:
        logger.info("Partial refund on payment %s; nothing changes", payment.pk)
        return
    payment_mark_refunded(payment=payment)


EVENT_HANDLERS = {
    "checkout.session.completed": _session_completed,
    "checkout.session.async_payment_succeeded": _session_paid,
    "checkout.session.async_payment_failed": _session_async_failed,
    "charge.refunded": _charge_refunded,
}
