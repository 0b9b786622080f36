"""What every payment provider adapter offers, and the answers it gives back."""

from dataclasses import dataclass

from lms.common.exceptions import DomainError, NotAvailable

from ..models import Payment


@dataclass(frozen=True)
class CheckoutStarted:
    """What the provider answered when a checkout began."""

    reference: str = ""
    url: str = ""


class WebhookRejected(DomainError):
    """A webhook delivery that is not authentic or not an event at all; nothing changed."""

    default_detail = "Invalid payload."
    code = "invalid_payload"


class PaymentProvider:
    """A provider's whole protocol: checkout, instructions, refunds and its webhook.

    The network calls (`checkout_start`, `refund`) are made outside any transaction
    that holds a row lock; the services record their outcome afterwards. A webhook
    is verified and parsed here and applied through the provider-neutral calls of
    `lms.payments.outcomes` (paid, failed, refunded).
    """

    name: str = ""

    def checkout_start(self, payment: Payment) -> CheckoutStarted:
        raise NotImplementedError

    def instructions(self, payment: Payment) -> str:
        raise NotImplementedError

    def refund(self, payment: Payment) -> None:
        raise NotImplementedError

    def checkout_cancel(self, payment: Payment) -> None:
        """Close a superseded checkout so it can no longer be paid (best effort)."""

    def webhook_handle(self, *, body: bytes, headers) -> str:
        """Verify and apply one delivery: 'processed', 'duplicate' or 'ignored'."""
        raise NotAvailable(f"The {self.name} provider has no webhook.")
