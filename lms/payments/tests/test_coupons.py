"""Coupons: the admin's CRUD for every role, bad input, and the price quote."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.courses.tests.factories import CourseFactory
from lms.payments.models import Coupon, Payment
from lms.payments.tests.factories import CouponFactory, PaymentFactory

pytestmark = pytest.mark.django_db

COUPONS = "/api/v1/coupons/"
QUOTE = "/api/v1/coupons/quote/"


def detail(coupon) -> str:
    return f"{COUPONS}{coupon.pk}/"


# --- who may manage coupons --------------------------------------------------------


def test_anonymous_gets_401_everywhere(api_client):
    coupon = CouponFactory()
    assert api_client.get(COUPONS).status_code == 401
    assert api_client.post(COUPONS, {"code": "X10", "percent_off": 10}).status_code == 401
    assert api_client.get(detail(coupon)).status_code == 401
    assert api_client.delete(detail(coupon)).status_code == 401
    assert api_client.get(QUOTE, {"code": coupon.code, "course": 1}).status_code == 401


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_students_and_instructors_get_403(auth_client, request, role):
    client = auth_client(request.getfixturevalue(role))
    coupon = CouponFactory()
    assert client.get(COUPONS).status_code == 403
    assert client.post(COUPONS, {"code": "X10", "percent_off": 10}).status_code == 403
    assert client.get(detail(coupon)).status_code == 403
    assert client.patch(detail(coupon), {"percent_off": 90}).status_code == 403
    assert client.delete(detail(coupon)).status_code == 403
    coupon.refresh_from_db()
    assert coupon.percent_off == 10
    assert Coupon.objects.count() == 1


def test_admin_creates_reads_updates_and_deletes(auth_client, admin):
    client = auth_client(admin)
    course = CourseFactory(price=Decimal("40.00"))

    created = client.post(
        COUPONS,
        {"code": "Spring-25", "amount_off": "5.00", "currency": "usd", "course": course.pk},
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"] == "Spring-25"
    assert body["amount_off"] == "5.00"
    assert body["currency"] == "USD"
    assert body["course"] == course.pk
    assert body["percent_off"] is None
    assert body["times_redeemed"] == 0
    assert body["is_active"] is True
    url = f"{COUPONS}{body['id']}/"
    assert client.get(url).json()["code"] == "Spring-25"
    assert client.get(COUPONS).json()["count"] == 1

    changed = client.patch(
        url, {"amount_off": None, "currency": "", "percent_off": 30}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["percent_off"], changed.json()["amount_off"]) == (30, None)

    assert client.delete(url).status_code == 204
    assert not Coupon.objects.exists()
    trail = list(
        AuditEntry.objects.filter(target_type="coupon")
        .order_by("id")
        .values_list("action", "actor", "target_id", "changes")
    )
    assert [(action, actor) for action, actor, _, _ in trail] == [
        ("coupon.created", admin.pk),
        ("coupon.updated", admin.pk),
        ("coupon.deleted", admin.pk),
    ]
    assert {t for _, _, t, _ in trail} == {str(body["id"])}
    assert trail[1][3]["percent_off"] == [None, 30]
    assert trail[1][3]["amount_off"] == ["5.00", None]


def test_a_put_replaces_the_whole_coupon(auth_client, admin):
    coupon = CouponFactory(percent_off=10)
    response = auth_client(admin).put(
        detail(coupon),
        {"code": coupon.code, "amount_off": "3.00", "currency": "EUR"},
        format="json",
    )
    assert response.status_code == 200, response.content
    coupon.refresh_from_db()
    assert (coupon.percent_off, coupon.amount_off, coupon.currency) == (None, Decimal("3"), "EUR")


def test_a_redeemed_coupon_is_not_deleted_409(auth_client, admin):
    coupon = CouponFactory()
    PaymentFactory(coupon=coupon, status=Payment.Status.SUCCEEDED)

    response = auth_client(admin).delete(detail(coupon))

    assert response.status_code == 409
    assert not AuditEntry.objects.filter(action="coupon.deleted").exists()
    assert response.json()["code"] == "coupon_in_use"
    assert Coupon.objects.filter(pk=coupon.pk).exists()


def test_times_redeemed_counts_succeeded_payments_and_pending_holds(auth_client, admin):
    coupon = CouponFactory(max_redemptions=5)
    PaymentFactory(coupon=coupon, status=Payment.Status.SUCCEEDED)
    PaymentFactory(coupon=coupon, status=Payment.Status.REFUNDED)
    PaymentFactory(coupon=coupon, status=Payment.Status.FAILED)
    PaymentFactory(coupon=coupon)  # pending, fresh

    body = auth_client(admin).get(detail(coupon)).json()

    assert (body["times_redeemed"], body["redemptions_pending"]) == (1, 1)


def test_the_list_costs_the_same_queries_for_one_or_many(
    auth_client, admin, assert_constant_queries
):
    client = auth_client(admin)
    PaymentFactory(coupon=CouponFactory(), status=Payment.Status.SUCCEEDED)

    def grow():
        for _ in range(4):
            PaymentFactory(coupon=CouponFactory(course=CourseFactory()))

    assert_constant_queries(lambda: client.get(COUPONS), grow)


# --- bad input is a 400 that changes nothing -------------------------------------

BAD = [
    ({"code": "NEG", "amount_off": "-5.00", "currency": "USD"}, "amount_off"),
    ({"code": "ZERO", "amount_off": "0", "currency": "USD"}, "amount_off"),
    ({"code": "BIG", "percent_off": 101}, "percent_off"),
    ({"code": "NIL", "percent_off": 0}, "percent_off"),
    ({"code": "BOTH", "percent_off": 10, "amount_off": "5.00", "currency": "USD"}, "percent_off"),
    ({"code": "NONE"}, "percent_off"),
    ({"code": "NOCUR", "amount_off": "5.00"}, "currency"),
    ({"code": "PCTCUR", "percent_off": 5, "currency": "USD"}, "currency"),
    ({"code": "a b", "percent_off": 5}, "code"),
    ({"code": "MAX0", "percent_off": 5, "max_redemptions": 0}, "max_redemptions"),
    (
        {
            "code": "WINDOW",
            "percent_off": 5,
            "valid_from": "2030-01-02T00:00:00Z",
            "valid_until": "2030-01-01T00:00:00Z",
        },
        "valid_until",
    ),
    ({"code": "NOCOURSE", "percent_off": 5, "course": 999999}, "course"),
]


@pytest.mark.parametrize(("payload", "field"), BAD)
def test_bad_coupons_are_400_and_create_nothing(auth_client, admin, payload, field):
    response = auth_client(admin).post(COUPONS, payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Coupon.objects.exists()


def test_codes_are_unique_whatever_their_case(auth_client, admin):
    CouponFactory(code="WELCOME")
    response = auth_client(admin).post(COUPONS, {"code": "welcome", "percent_off": 5})
    assert response.status_code == 400
    assert "code" in response.json()
    assert Coupon.objects.count() == 1


def test_a_bad_update_changes_nothing(auth_client, admin):
    coupon = CouponFactory(percent_off=10)
    response = auth_client(admin).patch(
        detail(coupon), {"amount_off": "5.00", "currency": "USD"}, format="json"
    )
    assert response.status_code == 400
    coupon.refresh_from_db()
    assert (coupon.percent_off, coupon.amount_off) == (10, None)


# --- the quote ---------------------------------------------------------------------


@pytest.fixture
def course(db):
    return CourseFactory(price=Decimal("49.00"), currency="USD")


@pytest.mark.parametrize("role", ["student", "instructor", "admin"])
def test_any_signed_in_user_gets_a_quote(auth_client, request, role, course):
    CouponFactory(code="HALF", percent_off=50)
    response = auth_client(request.getfixturevalue(role)).get(
        QUOTE, {"code": "half", "course": course.pk}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "valid": True,
        "price": "49.00",
        "discount": "24.50",
        "amount": "24.50",
        "currency": "USD",
    }


def test_a_fixed_amount_never_goes_below_zero(auth_client, student, course):
    CouponFactory(code="BIG", percent_off=None, amount_off=Decimal("80.00"), currency="USD")
    body = auth_client(student).get(QUOTE, {"code": "BIG", "course": course.pk}).json()
    assert (body["discount"], body["amount"]) == ("49.00", "0.00")


def _now():
    return timezone.now()


REFUSED = [
    ({"code": "OTHER"}, "not known"),
    ({"is_active": False}, "no longer active"),
    ({"valid_until": "past"}, "expired"),
    ({"valid_from": "future"}, "not valid yet"),
    ({"course": "other"}, "another course"),
    ({"percent_off": None, "amount_off": Decimal("5"), "currency": "EUR"}, "EUR"),
    ({"max_redemptions": 1, "used": True}, "used up"),
]


@pytest.mark.parametrize(("over", "reason"), REFUSED)
def test_a_coupon_that_does_not_apply_is_400_with_the_reason(
    auth_client, student, course, over, reason
):
    over = dict(over)
    if over.get("valid_until") == "past":
        over.update(valid_from=_now() - timedelta(days=2), valid_until=_now() - timedelta(days=1))
    if over.get("valid_from") == "future":
        over["valid_from"] = _now() + timedelta(days=1)
    if over.get("course") == "other":
        over["course"] = CourseFactory()
    used = over.pop("used", False)
    code = over.pop("code", "SAVE10")
    coupon = CouponFactory(code="SAVE10", **over)
    if used:
        PaymentFactory(coupon=coupon, status=Payment.Status.SUCCEEDED)

    response = auth_client(student).get(QUOTE, {"code": code, "course": course.pk})

    assert response.status_code == 400, response.content
    assert reason in response.json()["coupon"][0]


def test_quote_needs_a_code_and_a_published_course(auth_client, student, course):
    client = auth_client(student)
    assert "code" in client.get(QUOTE, {"course": course.pk}).json()
    assert client.get(QUOTE, {"code": "X", "course": "abc"}).status_code == 400
    draft = CourseFactory(is_published=False)
    assert client.get(QUOTE, {"code": "X", "course": draft.pk}).status_code == 400
    free = CourseFactory(price=Decimal("0"))
    CouponFactory(code="FREEBIE")
    response = client.get(QUOTE, {"code": "FREEBIE", "course": free.pk})
    assert response.status_code == 400
    assert "course" in response.json()
