"""What payments store about a person: their payments (kept on erasure: legal records)."""

from lms.common.events import iso

from .models import Payment


def personal_data_export(user) -> dict:
    payments = (
        Payment.objects.filter(student=user).select_related("course", "coupon").order_by("id")
    )
    return {
        "payments": [
            {
                "id": p.pk,
                "course": {"id": p.course_id, "title": p.course.title},
                "amount": str(p.amount),
                "currency": p.currency,
                "coupon": p.coupon.code if p.coupon_id else None,
                "discount": str(p.discount),
                "provider": p.provider,
                "provider_reference": p.provider_reference,
                "status": p.status,
                "refund_due": p.refund_due,
                "created_at": iso(p.created_at),
                "paid_at": iso(p.paid_at),
                "refunded_at": iso(p.refunded_at),
            }
            for p in payments
        ]
    }


def personal_data_erase(user) -> None:
    """Payments stay, under the anonymous account; an open checkout is closed (it can no
    longer be confirmed, and releases its coupon redemption)."""
    Payment.objects.filter(student=user, status=Payment.Status.PENDING).update(
        status=Payment.Status.FAILED, failure_reason="The student erased their account."
    )
