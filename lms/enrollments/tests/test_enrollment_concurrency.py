"""Capacity and one-row-per-student hold under simultaneous requests (PostgreSQL)."""

import threading
from collections import Counter

import pytest
from django.db import connection

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.users.tests.factories import StudentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

URL = "/api/v1/enrollments/"


def _post_all(clients, course_id: int) -> Counter:
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []
    lock = threading.Lock()

    def enroll(client):
        try:
            barrier.wait(timeout=30)
            status = client.post(URL, {"course": course_id}).status_code
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=enroll, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(statuses)


def test_fifty_students_race_for_ten_seats(requires_postgres, auth_client):
    course = CourseFactory(capacity=10)
    clients = [auth_client(student) for student in StudentFactory.create_batch(50)]

    statuses = _post_all(clients, course.pk)

    assert statuses == Counter({201: 10, 409: 40})
    assert Enrollment.objects.filter(course=course).count() == 10


def test_one_student_sending_twenty_requests_gets_one_row(requires_postgres, auth_client):
    course = CourseFactory()
    student = StudentFactory()
    clients = [auth_client(student) for _ in range(20)]  # API clients are not thread-safe

    statuses = _post_all(clients, course.pk)

    assert statuses == Counter({201: 1, 409: 19})
    assert Enrollment.objects.filter(course=course).count() == 1
