"""Payment provider adapters behind one interface, chosen by `settings.PAYMENT_PROVIDER`."""

from django.conf import settings

from ..models import Payment
from .base import CheckoutStarted, PaymentProvider, WebhookRejected
from .coupon import CouponProvider
from .manual import ManualProvider
from .stripe import StripeProvider, amount_in_minor_units

__all__ = [
    "CheckoutStarted",
    "PaymentProvider",
    "WebhookRejected",
    "amount_in_minor_units",
    "payment_provider",
]

_PROVIDERS: dict[str, type[PaymentProvider]] = {
    Payment.Provider.MANUAL: ManualProvider,
    Payment.Provider.STRIPE: StripeProvider,
    Payment.Provider.COUPON: CouponProvider,
}


def payment_provider(name: str | None = None) -> PaymentProvider:
    """The adapter named `name`, by default the configured `PAYMENT_PROVIDER`."""
    return _PROVIDERS[name or settings.PAYMENT_PROVIDER]()
