"""The Django admin writes coupons through the coupon services, with the same rules."""

import pytest
from django.test import Client

from lms.payments.models import Coupon, Payment
from lms.payments.tests.factories import CouponFactory, PaymentFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/payments/coupon/add/"


@pytest.fixture
def admin_site(admin):
    client = Client()
    client.force_login(admin)
    return client


def form(**over):
    data = {
        "code": "ADMIN10",
        "percent_off": "10",
        "amount_off": "",
        "currency": "",
        "course": "",
        "max_redemptions": "",
        "valid_from_0": "",
        "valid_from_1": "",
        "valid_until_0": "",
        "valid_until_1": "",
        "is_active": "on",
    }
    data.update(over)
    return data


def test_the_admin_adds_and_lists_coupons(admin_site):
    response = admin_site.post(ADD, form())

    assert response.status_code == 302, response.content.decode()[:2000]
    coupon = Coupon.objects.get()
    assert (coupon.code, coupon.percent_off) == ("ADMIN10", 10)
    assert admin_site.get("/admin/payments/coupon/").status_code == 200


@pytest.mark.parametrize(
    "over",
    [
        {"percent_off": "150"},
        {"percent_off": "10", "amount_off": "5", "currency": "USD"},
        {"percent_off": "", "amount_off": "-5", "currency": "USD"},
        {"code": "welcome"},
    ],
)
def test_bad_coupons_are_refused_by_the_admin_form(admin_site, over):
    CouponFactory(code="WELCOME")

    response = admin_site.post(ADD, form(**over))

    assert response.status_code == 200  # the form again, with its errors
    assert Coupon.objects.count() == 1


def test_a_redeemed_coupon_cannot_be_deleted_in_the_admin(admin_site):
    coupon = CouponFactory()
    PaymentFactory(coupon=coupon, status=Payment.Status.SUCCEEDED)

    response = admin_site.post(f"/admin/payments/coupon/{coupon.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Coupon.objects.filter(pk=coupon.pk).exists()
