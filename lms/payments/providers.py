"""Payment provider adapters behind one interface, chosen by `settings.PAYMENT_PROVIDER`."""

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

import stripe
from django.conf import settings

from lms.common.exceptions import ServiceUnavailable

from .models import Payment

logger = logging.getLogger(__name__)

#: Currencies Stripe counts in whole units (no cents).
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"}
    | {"PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
STRIPE_TIMEOUT_SECONDS = 15


def amount_in_minor_units(amount: Decimal, currency: str) -> int:
    """`49.00 USD` → 4900; zero-decimal currencies stay whole."""
    if currency.upper() in ZERO_DECIMAL_CURRENCIES:
        return int(amount)
    return int((amount * 100).to_integral_value())


@dataclass(frozen=True)
class CheckoutStarted:
    """What the provider answered when a checkout began."""

    reference: str = ""
    url: str = ""


class PaymentProvider(Protocol):
    """Starts checkouts, explains how to pay, and returns money."""

    name: str

    def checkout_start(self, payment: Payment) -> CheckoutStarted: ...

    def instructions(self, payment: Payment) -> str: ...

    def refund(self, payment: Payment) -> None: ...


class ManualProvider:
    """Offline payment (bank transfer, cash): an admin confirms it by hand."""

    name = Payment.Provider.MANUAL

    def checkout_start(self, payment: Payment) -> CheckoutStarted:
        return CheckoutStarted(reference=f"PAY-{payment.pk}")

    def instructions(self, payment: Payment) -> str:
        return (
            f"Pay {payment.amount} {payment.currency} by bank transfer quoting the reference "
            f"PAY-{payment.pk}. An administrator confirms the payment and enrolls you."
        )

    def refund(self, payment: Payment) -> None:
        logger.info("Manual payment %s refunded offline", payment.pk)


class StripeProvider:
    """Stripe Checkout: a hosted payment page; the webhook reports the outcome."""

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
        try:
            session = self._client().v1.checkout.sessions.create(
                params=params, options={"idempotency_key": f"lms-checkout-{payment_id}"}
            )
        except stripe.StripeError as exc:
            logger.exception("Stripe checkout for payment %s failed", payment_id)
            raise ServiceUnavailable("The payment provider is unavailable; try again.") from exc
        return CheckoutStarted(reference=session.id, url=session.url or "")

    def instructions(self, payment: Payment) -> str:
        return "Complete the payment on Stripe's checkout page at checkout_url."

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


_PROVIDERS: dict[str, type] = {
    Payment.Provider.MANUAL: ManualProvider,
    Payment.Provider.STRIPE: StripeProvider,
}


def payment_provider(name: str | None = None) -> PaymentProvider:
    """The adapter named `name`, by default the configured `PAYMENT_PROVIDER`."""
    return _PROVIDERS[name or settings.PAYMENT_PROVIDER]()
