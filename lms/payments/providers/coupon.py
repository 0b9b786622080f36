"""The provider of payments a coupon covers in full: nothing to collect, nothing to return."""

import logging

from ..models import Payment
from .base import CheckoutStarted, PaymentProvider

logger = logging.getLogger(__name__)


class CouponProvider(PaymentProvider):
    """A zero-amount payment: it succeeds at checkout; a refund only closes the enrollment."""

    name = Payment.Provider.COUPON

    def checkout_start(self, payment: Payment) -> CheckoutStarted:
        return CheckoutStarted(reference=f"COUPON-{payment.pk}")

    def instructions(self, payment: Payment) -> str:
        return "Nothing to pay: the coupon covers the whole price."

    def refund(self, payment: Payment) -> None:
        logger.info("Coupon payment %s refunded (no money moved)", payment.pk)
