"""Demo payments: a pending manual payment to confirm, a succeeded one, and coupon WELCOME50."""

from django.utils import timezone

from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.users.models import User

from .coupons import coupon_by_code, coupon_create
from .models import Payment

COURSE_SLUG = "django-rest-apis"
COUPON_CODE = "WELCOME50"


def seed(stdout) -> None:
    if coupon_by_code(COUPON_CODE) is None:
        coupon_create(acting_user=None, data={"code": COUPON_CODE, "percent_off": 50})
    stdout.write(f"  coupon {COUPON_CODE}: 50% off any course (checkout with coupon)\n")
    course = Course.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        stdout.write(f"  skipped payments: no course {COURSE_SLUG!r} (seed courses first)\n")
        return
    if course.is_free:
        stdout.write(f"  skipped payments: {COURSE_SLUG} is free\n")
        return
    users = {
        u.email: u for u in User.objects.filter(email__in=["sam@example.com", "tom@example.com"])
    }
    sam, tom = users.get("sam@example.com"), users.get("tom@example.com")
    if sam is None or tom is None:
        stdout.write("  skipped payments: sam or tom is missing (seed users first)\n")
        return
    fields = {
        "amount": course.price,
        "currency": course.currency,
        "provider": Payment.Provider.MANUAL,
    }
    if not sam.payments.filter(course=course).exists():
        payment = Payment.objects.create(student=sam, course=course, **fields)
        payment.provider_reference = f"PAY-{payment.pk}"
        payment.save(update_fields=["provider_reference"])
    stdout.write(f"  sam@example.com: pending manual payment for {COURSE_SLUG} (admin confirms)\n")
    if not tom.payments.filter(course=course, status=Payment.Status.SUCCEEDED).exists():
        Payment.objects.create(
            student=tom,
            course=course,
            status=Payment.Status.SUCCEEDED,
            paid_at=timezone.now(),
            **fields,
        )
    Enrollment.objects.update_or_create(
        student=tom, course=course, defaults={"status": Enrollment.Status.ACTIVE}
    )
    stdout.write(f"  tom@example.com: paid for {COURSE_SLUG} and enrolled\n")
