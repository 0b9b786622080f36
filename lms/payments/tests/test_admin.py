"""The Django admin's confirm and refund actions go through the payment services."""

import pytest
from django.test import Client

from lms.enrollments.selectors import is_enrolled
from lms.enrollments.tests.factories import CertificateFactory, EnrollmentFactory
from lms.payments.models import Payment
from lms.payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/payments/payment/"


@pytest.fixture
def admin_site(admin):
    client = Client()
    client.force_login(admin)
    return client


def run_action(client, action: str, payment):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [payment.pk]}, follow=True
    )


def test_confirm_action_enrolls(admin_site, paid_course):
    payment = PaymentFactory(course=paid_course)

    response = run_action(admin_site, "confirm_payments", payment)

    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert is_enrolled(payment.student, paid_course.pk)


def test_confirm_action_reports_a_conflict_and_changes_nothing_more(admin_site, paid_course):
    payment = PaymentFactory(course=paid_course, status=Payment.Status.SUCCEEDED)

    response = run_action(admin_site, "confirm_payments", payment)

    assert b"not confirmed" in response.content
    assert not is_enrolled(payment.student, paid_course.pk)


def test_refund_action_cancels_the_enrollment(admin_site, paid_course):
    payment = PaymentFactory(course=paid_course)
    run_action(admin_site, "confirm_payments", payment)

    run_action(admin_site, "refund_payments", payment)

    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED
    assert not is_enrolled(payment.student, paid_course.pk)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/enrollments/enrollment/",
        "/admin/enrollments/certificate/",
        "/admin/payments/payment/",
        "/admin/payments/webhookevent/",
    ],
)
def test_admin_pages_open(admin_site, url):
    EnrollmentFactory()
    CertificateFactory()
    PaymentFactory()

    assert admin_site.get(url).status_code == 200


def test_the_admin_actions_name_the_acting_admin(admin_site, admin, paid_course, caplog):
    payment = PaymentFactory(course=paid_course)

    run_action(admin_site, "confirm_payments", payment)
    run_action(admin_site, "refund_payments", payment)

    assert f"Payment {payment.pk} confirmed by user {admin.pk}" in caplog.text
    assert f"Payment {payment.pk} refunded by user {admin.pk}" in caplog.text


def test_payments_and_webhook_events_are_neither_added_nor_deleted_by_hand(admin_site, paid_course):
    payment = PaymentFactory(course=paid_course, status=Payment.Status.SUCCEEDED)

    deleted = admin_site.post(f"{CHANGELIST}{payment.pk}/delete/", {"post": "yes"})
    bulk = admin_site.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [payment.pk], "post": "yes"}
    )

    assert deleted.status_code == 403
    assert bulk.status_code == 302  # "no action selected": delete is not offered
    assert Payment.objects.filter(pk=payment.pk).exists()
    assert admin_site.get("/admin/payments/webhookevent/add/").status_code == 403
