"""Checkout with a coupon: the discounted price, a free enrollment, and exact redemptions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import is_enrolled
from lms.payments.models import Payment
from lms.payments.outcomes import payment_mark_failed
from lms.payments.tests.factories import CouponFactory, PaymentFactory
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

CHECKOUT = "/api/v1/payments/checkout/"


def checkout(client, course, code=None):
    body = {"course": course.pk}
    if code is not None:
        body["coupon"] = code
    return client.post(CHECKOUT, body, format="json")


def lapse(payment, minutes=61) -> None:
    """Age a pending payment past the coupon hold (an abandoned checkout)."""
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_percent_coupon_discounts_the_checkout(auth_client, student, paid_course):
    CouponFactory(code="HALF", percent_off=50)

    response = checkout(auth_client(student), paid_course, "half")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["discount"], body["coupon"]) == ("24.50", "24.50", "HALF")
    assert (body["status"], body["provider"]) == ("pending", "manual")
    assert "24.50 USD" in body["instructions"]
    listed = auth_client(student).get("/api/v1/payments/").json()["results"][0]
    assert (listed["coupon"], listed["discount"], listed["amount"]) == ("HALF", "24.50", "24.50")


def test_without_a_coupon_the_discount_is_zero(auth_client, student, paid_course):
    body = checkout(auth_client(student), paid_course).json()
    assert (body["amount"], body["discount"], body["coupon"]) == ("49.00", "0.00", None)


def test_a_coupon_covering_the_price_enrolls_at_once(
    auth_client, student, paid_course, events_heard, django_capture_on_commit_callbacks
):
    CouponFactory(code="GIFT", percent_off=100, course=paid_course)

    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(auth_client(student), paid_course, "GIFT")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["provider"], body["amount"]) == ("succeeded", "coupon", "0.00")
    assert body["checkout_url"] is None
    assert body["discount"] == "49.00"
    enrollment = Enrollment.objects.get(student=student, course=paid_course)
    assert (enrollment.status, enrollment.source) == ("active", "coupon")
    assert [e.type for e in events_heard] == ["enrollment.created", "payment.succeeded"]
    assert events_heard[1].data["payment"]["coupon"] == "GIFT"
    # A second checkout is refused: the student is enrolled.
    assert checkout(auth_client(student), paid_course, "GIFT").status_code == 409


def test_a_fixed_amount_bigger_than_the_price_costs_nothing(auth_client, student, paid_course):
    CouponFactory(code="BIG", percent_off=None, amount_off=Decimal("100"), currency="USD")
    body = checkout(auth_client(student), paid_course, "BIG").json()
    assert (body["amount"], body["discount"], body["status"]) == ("0.00", "49.00", "succeeded")


def test_a_free_coupon_on_a_full_course_is_409_and_changes_nothing(
    auth_client, student, paid_course
):
    paid_course.capacity = 1
    paid_course.save()
    Enrollment.objects.create(student=StudentFactory(), course=paid_course)
    CouponFactory(code="GIFT", percent_off=100)

    response = checkout(auth_client(student), paid_course, "GIFT")

    assert response.status_code == 409
    assert not Payment.objects.exists()


def _past():
    return timezone.now() - timedelta(days=1)


REFUSED = {
    "unknown": ({"code": "OTHER"}, "not known"),
    "inactive": ({"is_active": False}, "no longer active"),
    "expired": ({"valid_from": None, "valid_until": "past"}, "expired"),
    "not yet valid": ({"valid_from": "future"}, "not valid yet"),
    "another course": ({"course": "other"}, "another course"),
    "another currency": (
        {"percent_off": None, "amount_off": Decimal("5"), "currency": "EUR"},
        "EUR",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_coupon_that_does_not_apply_is_400_and_creates_no_payment(
    auth_client, student, paid_course, case
):
    over, reason = REFUSED[case]
    over = dict(over)
    if over.get("valid_until") == "past":
        over["valid_until"] = _past()
    if over.get("valid_from") == "future":
        over["valid_from"] = timezone.now() + timedelta(days=1)
    if over.get("course") == "other":
        over["course"] = CourseFactory()
    code = over.pop("code", "SAVE")
    CouponFactory(code="SAVE", **over)

    response = checkout(auth_client(student), paid_course, code)

    assert response.status_code == 400, response.content
    assert reason in response.json()["coupon"][0]
    assert not Payment.objects.exists()
    assert not Enrollment.objects.exists()


def test_a_too_long_code_is_400(auth_client, student, paid_course):
    response = checkout(auth_client(student), paid_course, "X" * 41)
    assert response.status_code == 400
    assert "coupon" in response.json()


@pytest.mark.parametrize("role", ["instructor", "admin"])
def test_only_students_check_out_with_a_coupon(request, auth_client, paid_course, role):
    CouponFactory(code="HALF", percent_off=50)
    response = checkout(auth_client(request.getfixturevalue(role)), paid_course, "HALF")
    assert response.status_code == 403
    assert not Payment.objects.exists()


# --- redemptions: held while pending, released on failure, lapse or refund ---------


@pytest.fixture
def single_use(db):
    return CouponFactory(code="ONCE", percent_off=50, max_redemptions=1)


def test_a_pending_checkout_holds_the_only_redemption(
    auth_client, student, other_student, paid_course, single_use
):
    assert checkout(auth_client(student), paid_course, "ONCE").status_code == 201

    response = checkout(auth_client(other_student), paid_course, "ONCE")

    assert response.status_code == 400
    assert response.json() == {"coupon": ["This coupon has been used up."]}
    assert Payment.objects.count() == 1


def test_a_failed_payment_releases_its_redemption(
    auth_client, student, other_student, paid_course, single_use
):
    checkout(auth_client(student), paid_course, "ONCE")
    payment_mark_failed(payment=Payment.objects.get(), reason="Declined.")

    assert checkout(auth_client(other_student), paid_course, "ONCE").status_code == 201


def test_an_abandoned_checkout_releases_its_redemption_after_the_hold(
    auth_client, admin, student, other_student, paid_course, single_use
):
    first = checkout(auth_client(student), paid_course, "ONCE").json()
    lapse(Payment.objects.get(pk=first["id"]))

    assert checkout(auth_client(other_student), paid_course, "ONCE").status_code == 201
    # The lapsed checkout can no longer take the redemption the other student holds.
    response = auth_client(admin).post(f"/api/v1/payments/{first['id']}/confirm/")
    assert response.status_code == 400
    assert response.json() == {"coupon": ["This coupon has been used up."]}
    assert Payment.objects.get(pk=first["id"]).status == Payment.Status.PENDING
    assert not is_enrolled(student, paid_course.pk)


def test_a_lapsed_checkout_is_replaced_by_a_new_one(auth_client, student, paid_course, single_use):
    client = auth_client(student)
    first = checkout(client, paid_course, "ONCE").json()
    lapse(Payment.objects.get(pk=first["id"]))

    second = checkout(client, paid_course, "ONCE").json()

    assert second["id"] != first["id"]
    assert Payment.objects.get(pk=first["id"]).status == Payment.Status.FAILED


def test_the_same_checkout_is_reused_while_it_holds(auth_client, student, paid_course, single_use):
    client = auth_client(student)
    first = checkout(client, paid_course, "ONCE").json()
    assert checkout(client, paid_course, "once").json()["id"] == first["id"]
    # Dropping the coupon replaces it at the full price and releases the redemption.
    full = checkout(client, paid_course).json()
    assert (full["amount"], full["coupon"]) == ("49.00", None)
    assert Payment.objects.get(pk=first["id"]).status == Payment.Status.FAILED


def test_admin_confirms_a_coupon_payment(auth_client, admin, student, paid_course, single_use):
    payment_id = checkout(auth_client(student), paid_course, "ONCE").json()["id"]

    response = auth_client(admin).post(f"/api/v1/payments/{payment_id}/confirm/")

    assert response.status_code == 200, response.content
    assert is_enrolled(student, paid_course.pk)
    coupon = auth_client(admin).get(f"/api/v1/coupons/{single_use.pk}/").json()
    assert (coupon["times_redeemed"], coupon["redemptions_pending"]) == (1, 0)


def test_a_refund_releases_the_redemption(auth_client, admin, student, other_student, paid_course):
    CouponFactory(code="GIFT", percent_off=100, max_redemptions=1)
    paid = checkout(auth_client(student), paid_course, "GIFT").json()
    assert checkout(auth_client(other_student), paid_course, "GIFT").status_code == 400

    refunded = auth_client(admin).post(f"/api/v1/payments/{paid['id']}/refund/")

    assert refunded.status_code == 200, refunded.content
    assert refunded.json()["status"] == "refunded"
    assert not is_enrolled(student, paid_course.pk)
    assert checkout(auth_client(other_student), paid_course, "GIFT").status_code == 201


def test_a_payment_list_with_coupons_costs_constant_queries(
    auth_client, admin, assert_constant_queries
):
    client = auth_client(admin)
    PaymentFactory(coupon=CouponFactory())

    def grow():
        for _ in range(3):
            PaymentFactory(coupon=CouponFactory())

    assert_constant_queries(lambda: client.get("/api/v1/payments/"), grow)
