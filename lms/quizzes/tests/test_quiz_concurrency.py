"""Attempt limits and final submissions hold under simultaneous requests (PostgreSQL)."""

import threading
from collections import Counter

import pytest
from django.db import connection

from lms.quizzes.models import QuizSubmission

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(clients, request) -> list:
    """Run `request(client)` in one thread per client, released together; their results."""
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
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


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


def test_ten_simultaneous_starts_share_one_open_attempt(
    requires_postgres, auth_client, enrolled, quiz
):
    clients = [auth_client(enrolled) for _ in range(10)]
    url = f"/api/v1/quizzes/{quiz.pk}/start/"

    def start(client):
        response = client.post(url)
        return response.status_code, response.json()["submission_id"]

    results = _race(clients, start)

    assert Counter(code for code, _ in results) == Counter({201: 1, 200: 9})
    assert len({sid for _, sid in results}) == 1
    assert QuizSubmission.objects.filter(quiz=quiz, student=enrolled).count() == 1


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
