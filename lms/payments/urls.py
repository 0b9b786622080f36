"""Routes for payments and the Stripe webhook."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("payments", views.PaymentViewSet, basename="payment")

urlpatterns = [
    path(
        "payments/webhook/stripe/",
        views.StripeWebhookView.as_view(),
        name="payment-webhook-stripe",
    ),
    *router.urls,
]
