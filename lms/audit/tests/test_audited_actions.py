"""Each action the contract lists leaves one entry, written with the change (or not at all)."""

from decimal import Decimal

import pytest
from django.test import Client

from lms.audit.models import AuditEntry
from lms.audit.services import client_ip
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.payments.models import Payment
from lms.payments.tests.factories import PaymentFactory
from lms.users.models import User
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"
IP = {"REMOTE_ADDR": "192.0.2.10"}


def logged(**lookup) -> list[tuple]:
    return list(
        AuditEntry.objects.filter(**lookup)
        .order_by("id")
        .values_list("action", "actor_id", "target_id", "changes", "ip")
    )


def test_a_role_change_and_a_deactivation_are_audited(auth_client, admin):
    user = StudentFactory()
    client = auth_client(admin)

    assert client.patch(f"{API}users/{user.pk}/", {"role": "instructor"}, **IP).status_code == 200
    assert client.delete(f"{API}users/{user.pk}/", **IP).status_code == 204

    assert logged(target_type="user") == [
        (
            "user.role_changed",
            admin.pk,
            str(user.pk),
            {"role": ["student", "instructor"]},
            IP["REMOTE_ADDR"],
        ),
        (
            "user.deactivated",
            admin.pk,
            str(user.pk),
            {"is_active": [True, False]},
            IP["REMOTE_ADDR"],
        ),
    ]


def test_a_refused_change_leaves_no_entry(auth_client, admin):
    response = auth_client(admin).patch(f"{API}users/{admin.pk}/", {"role": "student"})
    assert response.status_code == 409
    assert AuditEntry.objects.count() == 0


def test_the_django_admin_audits_a_role_change(admin):
    user = StudentFactory()
    site = Client(**IP)
    site.force_login(admin)
    page = site.get(f"/admin/users/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        role="instructor", is_active="on", date_joined_0="2026-01-01", date_joined_1="00:00:00"
    )
    site.post(f"/admin/users/user/{user.pk}/change/", data)
    user.refresh_from_db()
    assert user.role == User.Role.INSTRUCTOR
    assert logged(action="user.role_changed")[0][:2] == ("user.role_changed", admin.pk)


def test_publish_unpublish_and_delete_are_audited(auth_client, instructor):
    course = CourseFactory(instructor=instructor, is_published=False)
    client = auth_client(instructor)

    assert client.patch(f"{API}courses/{course.pk}/", {"is_published": True}).status_code == 200
    assert client.patch(f"{API}courses/{course.pk}/", {"title": "Renamed"}).status_code == 200
    assert client.patch(f"{API}courses/{course.pk}/", {"is_published": False}).status_code == 200
    assert client.delete(f"{API}courses/{course.pk}/").status_code == 204

    actions = [row[0] for row in logged(target_type="course", target_id=str(course.pk))]
    assert actions == ["course.published", "course.unpublished", "course.deleted"]
    deleted = AuditEntry.objects.get(action="course.deleted")
    assert deleted.changes["title"] == ["Renamed", None]


def test_creating_a_published_course_is_audited(auth_client, instructor):
    response = auth_client(instructor).post(
        f"{API}courses/", {"title": "Live", "price": "0", "is_published": True}
    )
    assert response.status_code == 201, response.content
    assert logged(action="course.published")[0][1:3] == (instructor.pk, str(response.json()["id"]))


def test_payment_confirm_and_refund_are_audited(auth_client, admin):
    payment = PaymentFactory(course=CourseFactory(is_published=True, price=Decimal("30")))
    client = auth_client(admin)

    assert client.post(f"{API}payments/{payment.pk}/confirm/", **IP).status_code == 200
    assert client.post(f"{API}payments/{payment.pk}/refund/", **IP).status_code == 200

    assert [row[:4] for row in logged(target_type="payment")] == [
        ("payment.confirmed", admin.pk, str(payment.pk), {"status": ["pending", "succeeded"]}),
        ("payment.refunded", admin.pk, str(payment.pk), {"status": ["succeeded", "refunded"]}),
    ]
    payment.refresh_from_db()
    assert payment.status == Payment.Status.REFUNDED


def test_a_refused_confirmation_leaves_no_entry(auth_client, admin):
    payment = PaymentFactory(status=Payment.Status.FAILED)
    assert auth_client(admin).post(f"{API}payments/{payment.pk}/confirm/").status_code == 409
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("role", ["admin", "owner"])
def test_cancelling_an_enrollment_is_audited(auth_client, role, request):
    enrollment = EnrollmentFactory()
    actor = enrollment.student if role == "owner" else request.getfixturevalue("admin")

    assert auth_client(actor).delete(f"{API}enrollments/{enrollment.pk}/").status_code == 204

    assert logged(target_type="enrollment") == [
        (
            "enrollment.cancelled",
            actor.pk,
            str(enrollment.pk),
            {"status": ["active", "cancelled"]},
            "127.0.0.1",
        )
    ]


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "192.0.2.10"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.1, 203.0.113.5", "198.51.100.1"),
        (1, "not-an-ip", None),
    ],
)
def test_client_ip_trusts_forwarded_for_only_behind_proxies(
    rf, settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", HTTP_X_FORWARDED_FOR=forwarded, **IP)
    assert client_ip(request) == expected
