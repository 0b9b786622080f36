"""No race opens a timed attempt without `start`, nor passes the attempt limit (PostgreSQL)."""

from collections import Counter

import pytest

from lms.quizzes.models import QuizSubmission

from .test_quiz_concurrency import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def timed(quiz):
    quiz.time_limit_minutes = 1
    quiz.save(update_fields=["time_limit_minutes"])
    return quiz


def test_ten_simultaneous_submits_without_start_open_nothing(
    requires_postgres, auth_client, enrolled, timed, all_correct
):
    clients = [auth_client(enrolled) for _ in range(10)]
    url = f"/api/v1/quizzes/{timed.pk}/submit/"

    results = _race(
        clients, lambda c: c.post(url, {"answers": all_correct}).status_code, gate=QuizSubmission
    )

    assert Counter(results) == Counter({409: 10})
    assert not QuizSubmission.objects.exists()


def test_starts_racing_submits_without_start_open_only_started_attempts(
    requires_postgres, auth_client, enrolled, timed, all_correct
):
    clients = [auth_client(enrolled) for _ in range(10)]
    base = f"/api/v1/quizzes/{timed.pk}/"

    def start_or_submit(client):
        if clients.index(client) % 2:
            return "start", client.post(f"{base}start/").status_code
        return "submit", client.post(f"{base}submit/", {"answers": all_correct}).status_code

    results = Counter(_race(clients, start_or_submit, gate=QuizSubmission))

    attempts = QuizSubmission.objects.filter(quiz=timed, student=enrolled)
    assert results[("start", 201)] == attempts.count() == 3  # max_attempts
    assert results[("start", 409)] == 2
    assert results[("submit", 201)] <= 3  # a submit only ever grades a started attempt
    assert sorted(attempts.values_list("attempt", flat=True)) == [1, 2, 3]
