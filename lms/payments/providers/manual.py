"""Offline payment (bank transfer, cash) that an admin confirms by hand."""

import logging

from ..models import Payment
from .base import CheckoutStarted, PaymentProvider

logger = logging.getLogger(__name__)


class ManualProvider(PaymentProvider):
    """Offline payment: the student pays by transfer quoting a reference; an admin confirms."""

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
