"""Routes for payments and the Stripe webhook."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import coupon_views, views

router = SimpleRouter()
router.register("payments", views.PaymentViewSet, basename="payment")
router.register("coupons", coupon_views.CouponViewSet, basename="coupon")

urlpatterns = [
    path(
        "payments/webhook/stripe/",
        views.StripeWebhookView.as_view(),
        name="payment-webhook-stripe",
    ),
    *router.urls,
]
