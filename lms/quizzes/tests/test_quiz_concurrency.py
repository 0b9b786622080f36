"""Attempt limits and final submissions hold under simultaneous requests (PostgreSQL)."""

import threading
import time
from collections import Counter
from contextlib import nullcontext

import pytest
from django.db import connection, transaction

from lms.quizzes.models import QuizSubmission

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(clients, request, *, gate: type | None = None) -> list:
    """Run `request(client)` in one thread per client, released together; their results.

    With `gate` (a model), its table is locked in EXCLUSIVE mode (reads pass, row locks and
    writes wait) until every request is blocked on a lock, so all of them then reach the
    database at the same moment instead of one after another.
    """
    barrier = threading.Barrier(len(clients))
    results: list = []
    lock = threading.Lock()

    def run(client):
        try:
            barrier.wait(timeout=30)
            result = request(client)
            with lock:
                results.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    with transaction.atomic() if gate else nullcontext():
        if gate:
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {gate._meta.db_table} IN EXCLUSIVE MODE")
        for thread in threads:
            thread.start()
        if gate:
            _wait_until_blocked(len(clients))
    for thread in threads:
        thread.join(timeout=120)
    return results


def _wait_until_blocked(count: int) -> None:
    """Wait until `count` other sessions of this database wait for a lock."""
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError(f"{count} requests never all waited for the gate")


def test_ten_simultaneous_new_attempts_with_max_three_create_three(
    requires_postgres, auth_client, enrolled, quiz, all_correct
):
    clients = [auth_client(enrolled) for _ in range(10)]  # API clients are not thread-safe
    url = f"/api/v1/quizzes/{quiz.pk}/submit/"

    results = _race(clients, lambda c: c.post(url, {"answers": all_correct}).status_code)

    assert Counter(results) == Counter({201: 3, 409: 7})
    attempts = QuizSubmission.objects.filter(quiz=quiz, student=enrolled)
    assert sorted(attempts.values_list("attempt", flat=True)) == [1, 2, 3]


def test_ten_students_racing_start_and_submit_never_pass_the_limit(
    requires_postgres, auth_client, enrolled, quiz, all_correct
):
    clients = [auth_client(enrolled) for _ in range(10)]
    base = f"/api/v1/quizzes/{quiz.pk}/"

    def take_until_refused(client):
        codes = []
        for _ in range(10):
            start = client.post(f"{base}start/")
            codes.append(start.status_code)
            if start.status_code == 409:
                break
            sid = start.json()["submission_id"]
            codes.append(
                client.post(
                    f"{base}submit/", {"submission_id": sid, "answers": all_correct}
                ).status_code
            )
        return codes

    results = _race(clients, take_until_refused)

    assert all(codes[-1] == 409 for codes in results)
    attempts = QuizSubmission.objects.filter(quiz=quiz, student=enrolled)
    assert sorted(attempts.values_list("attempt", flat=True)) == [1, 2, 3]
    assert not attempts.filter(status=QuizSubmission.Status.IN_PROGRESS).exists()
    assert sum(codes.count(201) for codes in results) >= 3


def test_ten_simultaneous_starts_with_max_three_create_exactly_three(
    requires_postgres, auth_client, enrolled, quiz
):
    assert quiz.max_attempts == 3
    clients = [auth_client(enrolled) for _ in range(10)]
    url = f"/api/v1/quizzes/{quiz.pk}/start/"

    results = _race(clients, lambda c: c.post(url).status_code, gate=QuizSubmission)

    assert Counter(results) == Counter({201: 3, 409: 7})
    attempts = QuizSubmission.objects.filter(quiz=quiz, student=enrolled)
    assert attempts.count() == 3
    assert sorted(attempts.values_list("attempt", "status")) == [
        (1, "graded"),  # closed by the next start, graded on what was saved (nothing)
        (2, "graded"),
        (3, "in_progress"),
    ]


def test_ten_simultaneous_submits_of_one_attempt_grade_it_once(
    requires_postgres, auth_client, enrolled, quiz, all_correct
):
    sid = auth_client(enrolled).post(f"/api/v1/quizzes/{quiz.pk}/start/").json()["submission_id"]
    clients = [auth_client(enrolled) for _ in range(10)]
    url = f"/api/v1/quizzes/{quiz.pk}/submit/"

    results = _race(
        clients,
        lambda c: c.post(url, {"submission_id": sid, "answers": all_correct}).status_code,
    )

    assert Counter(results) == Counter({201: 1, 409: 9})
    assert QuizSubmission.objects.get(pk=sid).answers.count() == 4
