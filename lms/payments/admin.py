"""Admin pages for payments (confirm and refund actions), coupons and processed webhook events."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from lms.audit.services import client_ip
from lms.common.exceptions import DomainError

from .coupons import FIELDS as COUPON_FIELDS
from .coupons import coupon_create, coupon_delete, coupon_update, coupons_with_counts
from .models import Coupon, Payment, WebhookEvent
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
        "coupon",
        "provider",
        "status",
        "refund_due",
    ]
    list_filter = ["status", "refund_due", "provider"]
    search_fields = ["student__email", "course__title", "provider_reference"]
    list_select_related = ["student", "course", "coupon"]
    raw_id_fields = ["student", "course"]
    actions = [confirm_payments, refund_payments]
    readonly_fields = [
        "student",
        "course",
        "amount",
        "currency",
        "coupon",
        "discount",
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


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    """Coupons, written through the same services as the API."""

    list_display = [
        "code",
        "percent_off",
        "amount_off",
        "currency",
        "course",
        "max_redemptions",
        "times_redeemed",
        "valid_until",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["code"]
    raw_id_fields = ["course"]
    fields = [*COUPON_FIELDS]

    def get_queryset(self, request):
        return coupons_with_counts()

    @admin.display(description="Times redeemed")
    def times_redeemed(self, coupon: Coupon) -> int:
        return coupon.times_redeemed

    def save_model(self, request, obj, form, change):
        # The form already ran the model's constraints; the service applies the write.
        data = {
            name: form.cleaned_data[name] for name in COUPON_FIELDS if name in form.cleaned_data
        }
        if change:
            saved = coupon_update(coupon=obj, acting_user=request.user, data=data)
        else:
            saved = coupon_create(acting_user=request.user, data=data)
        obj.pk = saved.pk

    def has_delete_permission(self, request, obj=None):
        # A redeemed coupon stays (payments name it); deactivate it instead.
        if obj is not None and obj.payments.exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        coupon_delete(coupon=obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        for coupon in queryset:
            try:
                coupon_delete(coupon=coupon, acting_user=request.user)
            except DomainError as exc:
                self.message_user(request, f"{coupon}: {exc}", level=messages.ERROR)
