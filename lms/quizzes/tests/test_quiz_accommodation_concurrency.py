"""An extra attempt is exactly one more, also under simultaneous starts (PostgreSQL)."""

from collections import Counter

import pytest

from lms.quizzes.models import Accommodation, QuizSubmission

from .test_quiz_concurrency import _race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_simultaneous_starts_open_max_plus_extra_attempts(
    requires_postgres, auth_client, enrolled, quiz
):
    Accommodation.objects.create(quiz=quiz, student=enrolled, extra_attempts=1)
    clients = [auth_client(enrolled) for _ in range(10)]
    url = f"/api/v1/quizzes/{quiz.pk}/start/"

    results = _race(clients, lambda c: c.post(url).status_code, gate=QuizSubmission)

    assert Counter(results) == Counter({201: 4, 409: 6})  # max_attempts 3 + 1
    attempts = QuizSubmission.objects.filter(quiz=quiz, student=enrolled)
    assert sorted(attempts.values_list("attempt", flat=True)) == [1, 2, 3, 4]
