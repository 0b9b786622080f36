"""The gradebook CSV: who downloads it, its columns, injection-safe cells, streaming."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from lms.cohorts import export
from lms.courses.tests.factories import CourseFactory
from lms.quizzes.tests.factories import QuizFactory
from lms.users.tests.factories import InstructorFactory

from .conftest import complete, enroll, submit

pytestmark = pytest.mark.django_db


def url(course):
    return f"/api/v1/courses/{course.pk}/gradebook/export/"


def rows_of(response):
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_roles(api_client, auth_client, course, instructor, admin, student):
    assert api_client.get(url(course)).status_code == 401
    assert auth_client(student).get(url(course)).status_code == 403
    assert auth_client(InstructorFactory()).get(url(course)).status_code == 403
    assert auth_client(instructor).get(url(course)).status_code == 200
    assert auth_client(admin).get(url(course)).status_code == 200
    refused = auth_client(student).get(url(course), HTTP_ACCEPT="text/csv")
    assert refused.status_code == 403 and refused["Content-Type"] == "application/json"


def test_columns_rows_and_filename(auth_client, instructor, course):
    quiz_a = course.quizzes_published[0]
    ana = enroll(course, email="ana@example.com", cohort="spring", first_name="Ana",
                 last_name="Lima")  # fmt: skip
    complete(ana, course.lessons[0])
    submit(ana.student, quiz_a, "80")
    enroll(course, email="bo@example.com", cohort="autumn", first_name="Bo", last_name="Li")
    elsewhere = enroll(CourseFactory(instructor=instructor), email="else@example.com")
    response = auth_client(instructor).get(url(course))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="gradebook-data-')
    rows = rows_of(response)
    assert rows[0] == [
        "email", "first_name", "last_name", "cohort", "status", "progress_percent",
        "Quiz A", "Quiz B", "grade",
    ]  # fmt: skip
    assert rows[1:] == [
        ["ana@example.com", "Ana", "Lima", "spring", "active", "50", "80.00", "", "40.00"],
        ["bo@example.com", "Bo", "Li", "autumn", "active", "0", "", "", "0.00"],
    ]
    assert elsewhere.student.email not in str(rows)


def test_filters_apply_to_the_export(auth_client, instructor, course):
    enroll(course, email="a@example.com", cohort="spring")
    enroll(course, email="b@example.com", cohort="autumn")
    rows = rows_of(auth_client(instructor).get(url(course), {"cohort": "autumn"}))
    assert [r[0] for r in rows[1:]] == ["b@example.com"]
    assert auth_client(instructor).get(url(course), {"status": "x"}).status_code == 400


def test_formula_cells_are_neutralised(auth_client, instructor):
    course = CourseFactory(instructor=instructor)
    QuizFactory(course=course, title="=HYPERLINK(evil)")
    enroll(course, email="x@example.com", first_name="=cmd|' /C calc'!A0", last_name="+1",
           cohort="@SUM(A1)")  # fmt: skip
    enroll(course, email="y@example.com", first_name="-2", last_name="\tTab", cohort="\rcr")
    rows = rows_of(auth_client(instructor).get(url(course)))
    assert rows[0][6] == "'=HYPERLINK(evil)"
    assert rows[1][1:4] == ["'=cmd|' /C calc'!A0", "'+1", "'@SUM(A1)"]
    assert rows[2][1:4] == ["'-2", "'\tTab", "'\rcr"]


def test_two_queries_stream_every_row_whatever_the_size(
    auth_client, instructor, course, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    quiz_a, quiz_b = course.quizzes_published
    for n in range(5):
        enrollment = enroll(course, email=f"s{n}@example.com")
        if n % 2:
            submit(enrollment.student, quiz_b, str(10 * n))
        if n == 3:
            submit(enrollment.student, quiz_a, "100")
    for _ in range(5):
        QuizFactory(course=course)
    response = auth_client(instructor).get(url(course))
    # enrollments and quiz results, each one cursor, merged: not one query per row or quiz
    with django_assert_max_num_queries(2):
        rows = rows_of(response)
    assert [r[0] for r in rows[1:]] == [f"s{n}@example.com" for n in range(5)]
    assert [r[6:8] for r in rows[1:]] == [
        ["", ""], ["", "10.00"], ["", ""], ["100.00", "30.00"], ["", ""],
    ]  # fmt: skip
