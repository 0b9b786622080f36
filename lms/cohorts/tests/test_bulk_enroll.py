"""Bulk enrollment as a job: JSON or CSV rows, row errors, invitations, roles."""

import io
import threading
from collections import Counter
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.audit.models import AuditEntry
from lms.cohorts.models import Invitation
from lms.common.email import outbox
from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import EnrollmentFactory
from lms.jobs.models import Job
from lms.jobs.services import job_execute
from lms.users.tests.factories import InstructorFactory, StudentFactory

# Real commits: without a broker a job runs as its request's transaction commits, so the 202
# answer is the finished job, as in production (a test transaction would hold it back).
pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1/"


def url(course) -> str:
    return f"{API}courses/{course.pk}/bulk-enroll/"


@pytest.fixture
def paid_course(instructor):
    return CourseFactory(instructor=instructor, price=Decimal("99.00"), capacity=3)


def csv_file(text: str, name="class.csv") -> io.BytesIO:
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def test_instructor_enrolls_a_list_as_a_job(auth_client, instructor, paid_course):
    maria = StudentFactory(email="maria@example.com")
    li = StudentFactory(email="li@example.com", cohort="")
    EnrollmentFactory(course=paid_course, student=li)

    response = auth_client(instructor).post(
        url(paid_course),
        {
            "emails": [
                "Maria@Example.com",
                "li@example.com",
                "new@example.com",
                "bad",
                "maria@example.com",
            ],
            "cohort": "2026-spring",
        },
        format="json",
    )

    assert response.status_code == 202, response.json()
    job = response.json()
    assert response["Location"].endswith(f"/api/v1/jobs/{job['id']}/")
    assert (job["kind"], job["status"], job["total"], job["processed"]) == (
        "bulk_enroll",
        "succeeded",
        5,
        5,
    )
    assert job["result"] == {"enrolled": 1, "invited": 1, "already_enrolled": 1, "failed": 2}
    assert job["errors"] == [
        {"row": 4, "message": "Not a valid email address."},
        {"row": 5, "message": "Duplicate of row 1."},
    ]
    enrollment = Enrollment.objects.get(course=paid_course, student=maria)
    assert (enrollment.status, enrollment.source, enrollment.cohort) == (
        "active",
        "staff",
        "2026-spring",
    )
    maria.refresh_from_db()
    assert maria.cohort == "2026-spring"  # filled in: it was empty
    audit = AuditEntry.objects.get(action="enrollment.staff_enrolled")
    assert (audit.actor, audit.target_id, audit.ip) == (instructor, str(enrollment.pk), "127.0.0.1")
    inbox = auth_client(maria).get(f"{API}notifications/").json()
    assert [n["kind"] for n in inbox["results"]] == ["enrollment_activated"]
    assert Invitation.objects.get(course=paid_course).email == "new@example.com"
    assert outbox.wait(timeout=30)
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"maria@example.com", "new@example.com"}
    assert "/register?email=new%40example.com" in sent["new@example.com"].body


def test_the_job_is_read_by_its_creator_and_admins_only(
    auth_client, instructor, admin, paid_course
):
    job_id = (
        auth_client(instructor)
        .post(url(paid_course), {"emails": ["a@example.com"]}, format="json")
        .json()["id"]
    )
    assert auth_client(instructor).get(f"{API}jobs/{job_id}/").status_code == 200
    assert auth_client(admin).get(f"{API}jobs/{job_id}/").status_code == 200
    assert auth_client(InstructorFactory()).get(f"{API}jobs/{job_id}/").status_code == 404
    assert auth_client(StudentFactory()).get(f"{API}jobs/{job_id}/").status_code == 404


def test_who_may_bulk_enroll(api_client, auth_client, student, admin, paid_course):
    body = {"emails": ["a@example.com"]}
    assert api_client.post(url(paid_course), body, format="json").status_code == 401
    assert auth_client(student).post(url(paid_course), body, format="json").status_code == 403
    other = InstructorFactory()
    assert auth_client(other).post(url(paid_course), body, format="json").status_code == 403
    draft = CourseFactory(instructor=InstructorFactory(), is_published=False)
    assert auth_client(other).post(url(draft), body, format="json").status_code == 404
    assert auth_client(admin).post(url(paid_course), body, format="json").status_code == 202
    missing = f"{API}courses/999999/bulk-enroll/"
    assert auth_client(admin).post(missing, body, format="json").status_code == 404
    assert Job.objects.count() == 1


def test_a_full_course_turns_the_rest_into_row_errors(auth_client, instructor, paid_course):
    for n in range(4):
        StudentFactory(email=f"s{n}@example.com")
    job = (
        auth_client(instructor)
        .post(url(paid_course), {"emails": [f"s{n}@example.com" for n in range(4)]}, format="json")
        .json()
    )
    assert job["result"]["enrolled"] == 3
    assert job["errors"] == [{"row": 4, "message": "The course is full."}]
    assert Enrollment.objects.filter(course=paid_course).count() == 3


def test_bad_input_is_400_and_starts_nothing(auth_client, instructor, paid_course):
    client = auth_client(instructor)
    assert client.post(url(paid_course), {"emails": []}, format="json").status_code == 400
    assert client.post(url(paid_course), {"emails": "x"}, format="json").status_code == 400
    no_email_column = csv_file("name,cohort\nAda,A\n")
    response = client.post(url(paid_course), {"file": no_email_column}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    latin1 = io.BytesIO("email\nzoë@example.com\n".encode("latin-1"))
    latin1.name = "x.csv"
    assert client.post(url(paid_course), {"file": latin1}, format="multipart").status_code == 400
    assert Job.objects.count() == 0


def test_a_csv_with_bom_semicolons_and_row_cohorts(auth_client, instructor, paid_course):
    StudentFactory(email="ada@example.com")
    upload = csv_file(
        "\ufeffEmail;First_Name;last_name;cohort\n"
        "ada@example.com;Ada;L;fall\n"
        "not-an-email;X;Y;\n"
        "grace@example.com;Grace;H;\n"
    )
    response = auth_client(instructor).post(
        url(paid_course),
        {"file": upload, "cohort": "spring", "notify": "false"},
        format="multipart",
    )
    assert response.status_code == 202, response.json()
    job = response.json()
    assert (job["total"], job["processed"]) == (3, 3)
    assert job["result"] == {"enrolled": 1, "invited": 1, "already_enrolled": 0, "failed": 1}
    assert job["errors"] == [{"row": 2, "message": "Not a valid email address."}]
    assert Enrollment.objects.get(course=paid_course).cohort == "fall"
    assert Invitation.objects.get(course=paid_course).cohort == "spring"
    assert outbox.wait(timeout=30)
    assert mail.outbox == []  # notify=false


def test_running_the_same_list_again_changes_nothing(auth_client, instructor, paid_course):
    StudentFactory(email="ada@example.com")
    body = {"emails": ["ada@example.com", "new@example.com"], "notify": False}
    auth_client(instructor).post(url(paid_course), body, format="json")
    again = auth_client(instructor).post(url(paid_course), body, format="json").json()
    assert again["result"] == {"enrolled": 0, "invited": 1, "already_enrolled": 1, "failed": 0}
    assert Enrollment.objects.filter(course=paid_course).count() == 1
    assert Invitation.objects.filter(course=paid_course).count() == 1


def test_an_invited_address_is_enrolled_once_verified(
    api_client, auth_client, instructor, paid_course, django_capture_on_commit_callbacks
):
    auth_client(instructor).post(
        url(paid_course), {"emails": ["new@example.com"], "cohort": "c1"}, format="json"
    )
    with django_capture_on_commit_callbacks(execute=True):
        registered = api_client.post(
            f"{API}users/register/",
            {
                "email": "new@example.com",
                "password": "a-long-Pass-123",
                "first_name": "N",
                "last_name": "U",
            },
            format="json",
        )
    assert registered.status_code == 201
    assert not Enrollment.objects.filter(course=paid_course).exists()  # not verified yet

    hmac_key = EmailConfirmationHMAC(EmailAddress.objects.get(email="new@example.com")).key
    with django_capture_on_commit_callbacks(execute=True):
        verified = api_client.post(f"{API}users/verify-email/", {"key": hmac_key}, format="json")
        again = api_client.post(f"{API}users/verify-email/", {"key": hmac_key}, format="json")
    assert verified.status_code == 200, verified.json()
    assert again.status_code == 400  # a used key; the enrollment below is still one
    enrollment = Enrollment.objects.get(course=paid_course)
    assert (enrollment.student.email, enrollment.source, enrollment.cohort) == (
        "new@example.com",
        "staff",
        "c1",
    )
    assert Invitation.objects.get(course=paid_course).accepted_at is not None


def sign_up_and_verify(api_client, email_address: str) -> None:
    body = {
        "email": email_address,
        "password": "a-long-Pass-123",
        "first_name": "N",
        "last_name": "U",
    }
    assert api_client.post(f"{API}users/register/", body, format="json").status_code == 201
    key = EmailConfirmationHMAC(EmailAddress.objects.get(email=email_address)).key
    assert (
        api_client.post(f"{API}users/verify-email/", {"key": key}, format="json").status_code == 200
    )


def test_an_invitation_to_a_full_course_waits_for_a_seat(
    api_client, auth_client, instructor, paid_course
):
    for _ in range(paid_course.capacity):
        EnrollmentFactory(course=paid_course)
    auth_client(instructor).post(url(paid_course), {"emails": ["new@example.com"]}, format="json")

    sign_up_and_verify(api_client, "new@example.com")

    assert not Enrollment.objects.filter(course=paid_course, student__email="new@example.com")
    assert Invitation.objects.get(course=paid_course).accepted_at is None  # still pending


def test_enrolled_students_who_turned_emails_off_get_no_confirmation(
    auth_client, instructor, paid_course
):
    StudentFactory(email="quiet@example.com", email_notifications=False)
    StudentFactory(email="loud@example.com")
    job = (
        auth_client(instructor)
        .post(
            url(paid_course), {"emails": ["quiet@example.com", "loud@example.com"]}, format="json"
        )
        .json()
    )
    assert job["result"]["enrolled"] == 2
    assert outbox.wait(timeout=30)
    assert [message.to for message in mail.outbox] == [["loud@example.com"]]


def test_a_job_that_crashes_is_failed_with_a_message(auth_client, instructor):
    # A course deleted under a queued job: the run cannot find it.
    queued = Job.objects.create(
        kind="bulk_enroll",
        created_by=instructor,
        params={"course_id": 999999, "emails": ["a@b.co"]},
    )
    job_execute(queued.pk)
    queued.refresh_from_db()
    assert queued.status == "failed"
    assert "DoesNotExist" in queued.message and queued.finished_at is not None
    body = auth_client(instructor).get(f"{API}jobs/{queued.pk}/").json()
    assert (body["status"], body["message"]) == ("failed", queued.message)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_jobs_racing_for_ten_seats_enroll_exactly_ten(requires_postgres, auth_client):
    instructor = InstructorFactory()
    course = CourseFactory(instructor=instructor, capacity=10)
    students = StudentFactory.create_batch(30)
    halves = [[s.email for s in students[:15]], [s.email for s in students[15:]]]
    clients = [auth_client(instructor) for _ in halves]
    barrier = threading.Barrier(2)
    results, lock = [], threading.Lock()

    def run(client, emails):
        try:
            barrier.wait(timeout=30)
            body = client.post(url(course), {"emails": emails, "notify": False}, format="json")
            with lock:
                results.append(body.json()["result"])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(clients, halves, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sum(r["enrolled"] for r in results) == 10
    assert sum(r["failed"] for r in results) == 20
    assert Enrollment.objects.filter(course=course).count() == 10
    assert Counter(Enrollment.objects.values_list("source", flat=True)) == Counter({"staff": 10})


def test_a_batch_costs_the_same_queries_for_2_rows_as_for_40(instructor):
    def run(n: int) -> int:
        course = CourseFactory(instructor=instructor)
        known = [StudentFactory().email for _ in range(n)]
        unknown = [f"new-{n}-{i}@example.com" for i in range(n)]
        job = Job.objects.create(
            kind="bulk_enroll",
            created_by=instructor,
            params={"course_id": course.pk, "emails": known + unknown, "notify": False},
        )
        with CaptureQueriesContext(connection) as queries:
            job_execute(job.pk)
        job.refresh_from_db()
        assert job.result["enrolled"] == job.result["invited"] == n
        return len(queries)

    assert run(1) == run(20)
