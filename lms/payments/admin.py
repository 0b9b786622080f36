"""Admin pages for payments (with confirm and refund actions) and processed webhook events."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from lms.audit.services import client_ip
from lms.common.exceptions import DomainError

from .models import Payment, WebhookEvent
from .services import payment_confirm, payment_refund


def _apply(modeladmin, request, queryset, service, verb: str) -> None:
    done = 0
    for payment in queryset:
        try:
            service(payment=payment, by=request.user, ip=client_ip(request))
            done += 1
        except (DomainError, ValidationError) as exc:
            modeladmin.message_user(
                request, f"Payment {payment.pk} not {verb}: {exc}", level=messages.ERROR
            )
    if done:
        modeladmin.message_user(request, f"{done} payment(s) {verb}.", level=messages.SUCCESS)


@admin.action(description="Confirm selected manual payments (enrolls the students)")
def confirm_payments(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, payment_confirm, "confirmed")


@admin.action(description="Refund selected payments (cancels the enrollments)")
def refund_payments(modeladmin, request, queryset):
    _apply(modeladmin, request, queryset, payment_refund, "refunded")


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "student",
        "course",
        "amount",
        "currency",
        "provider",
        "status",
        "refund_due",
    ]
    list_filter = ["status", "refund_due", "provider"]
    search_fields = ["student__email", "course__title", "provider_reference"]
    list_select_related = ["student", "course"]
    raw_id_fields = ["student", "course"]
    actions = [confirm_payments, refund_payments]
    readonly_fields = [
        "student",
        "course",
        "amount",
        "currency",
        "provider",
        "provider_reference",
        "provider_payment_id",
        "checkout_url",
        "status",
        "paid_at",
        "refunded_at",
        "failure_reason",
        "refund_due",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        # Payments begin at checkout, at the course's price.
        return False

    def has_delete_permission(self, request, obj=None):
        # A payment is a record of money; it changes only through confirm and refund.
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "event_type", "provider", "created_at"]
    list_filter = ["provider", "event_type"]
    search_fields = ["event_id"]
    readonly_fields = ["provider", "event_id", "event_type", "created_at", "updated_at"]

    def has_add_permission(self, request):
        # A made-up event id would swallow the real delivery that carries it.
        return False

    def has_delete_permission(self, request, obj=None):
        return False
