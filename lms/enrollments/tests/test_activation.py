"""`Enrollment.activated_at`: when the enrollment last became active (drip counts from it)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.services import enrollment_cancel, enrollment_create
from lms.users.tests.factories import StudentFactory


@pytest.mark.django_db
def test_set_on_create_and_again_on_reactivation(student):
    course = CourseFactory()
    enrollment = enrollment_create(student=student, course=course)
    first = enrollment.activated_at
    assert first is not None
    Enrollment.objects.filter(pk=enrollment.pk).update(activated_at=first - timedelta(days=9))

    enrollment_cancel(enrollment=enrollment)
    again = enrollment_create(student=student, course=course)

    assert again.pk == enrollment.pk
    assert again.activated_at >= first


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_it_from_created_at():
    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    old_apps = migrate([("enrollments", "0005_enrollment_course_newest")])
    try:
        OldEnrollment = old_apps.get_model("enrollments", "Enrollment")
        created = timezone.now() - timedelta(days=30)
        pk = OldEnrollment.objects.create(
            student_id=StudentFactory().pk, course_id=CourseFactory().pk, status="active"
        ).pk
        OldEnrollment.objects.filter(pk=pk).update(created_at=created)
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())

    assert Enrollment.objects.get(pk=pk).activated_at == created
