"""Migration 0004 flags what the old code left behind, so the one-standing-payment rule holds."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("payments", "0003_pending_once_and_payment_id")]
AFTER = [("payments", "0004_refund_due_and_one_standing_payment")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_double_charges_and_unenrolled_payments_become_refunds_due():
    old_apps = migrate(BEFORE)
    try:
        OldPayment = old_apps.get_model("payments", "Payment")
        student, other = StudentFactory(), StudentFactory()
        course = CourseFactory(price=Decimal("49.00"))
        now = timezone.now()

        def paid(who, minutes, reason=""):
            return OldPayment.objects.create(
                student_id=who.pk,
                course_id=course.pk,
                amount=course.price,
                currency=course.currency,
                provider="manual",
                status="succeeded",
                paid_at=now + timedelta(minutes=minutes),
                failure_reason=reason,
            ).pk

        second, first = paid(student, 5), paid(student, 1)  # charged twice, first paid first
        unenrolled = paid(other, 1, "Paid but not enrolled (This course is full.); refund needed.")
        kept = paid(other, 2)
    finally:
        new_apps = migrate(AFTER)
    try:
        # The model as of 0004 (later migrations add columns the current model reads).
        NewPayment = new_apps.get_model("payments", "Payment")
        due = dict(NewPayment.objects.values_list("pk", "refund_due"))
        assert due == {first: False, second: True, unenrolled: True, kept: False}
        assert NewPayment.objects.get(pk=second).failure_reason.startswith("A second payment")
    finally:
        migrate(latest())


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
