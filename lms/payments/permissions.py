"""Who may act on payments (admin-only actions use `lms.common.permissions.IsAdmin`)."""

from rest_framework import permissions


class IsStripeWebhook(permissions.AllowAny):
    """Anyone may post; the Stripe signature on the body is what authenticates it."""
