"""Numeric and ordering questions tell a student nothing of their answers before the submit."""

import json
import random
from decimal import Decimal

import pytest

from lms.quizzes.models import Question
from lms.quizzes.services import question_create
from lms.quizzes.shuffle import NEVER_AUTHORED_FROM, attempt_order, shuffled

from .factories import QuizFactory
from .kinds import STEPS, authored_ids

pytestmark = pytest.mark.django_db

SECRET_NUMBER = "8675.309"
SECRET_TOLERANCE = "0.4242"
NEVER_SHOWN = ('"numeric_answer"', '"tolerance"', '"is_correct"', '"position"', SECRET_NUMBER)


@pytest.fixture
def secret_quiz(course):
    """Q1 numeric (8675.309 ± 0.4242), Q2 ordering with six choices; ten attempts allowed."""
    quiz = QuizFactory(course=course, max_attempts=10)
    question_create(
        quiz=quiz,
        text="The number?",
        kind=Question.Kind.NUMERIC,
        numeric_answer=Decimal(SECRET_NUMBER),
        tolerance=Decimal(SECRET_TOLERANCE),
    )
    question_create(
        quiz=quiz,
        text="The order?",
        kind=Question.Kind.ORDERING,
        choices=[{"text": text} for text in STEPS],
    )
    return quiz


def shown_order(detail: dict) -> list[int]:
    (ordering,) = [q for q in detail["questions"] if q["kind"] == "ordering"]
    return [c["id"] for c in ordering["choices"]]


def test_no_student_response_carries_the_answers_of_the_new_kinds(
    auth_client, enrolled, secret_quiz
):
    client = auth_client(enrolled)
    numeric, ordering = secret_quiz.questions.order_by("order")
    right = authored_ids(ordering)
    base = f"/api/v1/quizzes/{secret_quiz.pk}/"
    responses = {}

    def call(name, method, url, data=None):
        response = getattr(client, method)(url, data, format="json")
        responses[name] = response
        return response

    call("list", "get", "/api/v1/quizzes/")
    call("detail-before-start", "get", base)
    call("questions", "get", "/api/v1/questions/", {"quiz_id": secret_quiz.pk})
    call("question", "get", f"/api/v1/questions/{ordering.pk}/")
    sid = call("start", "post", f"{base}start/").json()["submission_id"]
    call("detail", "get", base)
    call("detail-again", "get", base)
    save_url = f"/api/v1/quiz-submissions/{sid}/answers/"
    call(
        "save",
        "put",
        save_url,
        {
            "answers": [
                {"question": numeric.pk, "number": "12.5"},
                {"question": ordering.pk, "order": right[::-1]},
            ]
        },
    )
    call(
        "save-short-order",
        "put",
        save_url,
        {"answers": [{"question": ordering.pk, "order": right[:3]}]},
    )
    call(
        "save-repeated",
        "put",
        save_url,
        {"answers": [{"question": ordering.pk, "order": right[:5] + right[:1]}]},
    )
    call("save-text", "put", save_url, {"answers": [{"question": numeric.pk, "text": "8675"}]})
    call("save-bad-number", "put", save_url, {"answers": [{"question": numeric.pk, "number": "x"}]})
    call("saved", "get", save_url)
    call("submission", "get", f"/api/v1/quiz-submissions/{sid}/")
    call("submissions", "get", "/api/v1/quiz-submissions/", {"quiz_id": secret_quiz.pk})
    call(
        "submit-bad-order",
        "post",
        f"{base}submit/",
        {"answers": [{"question": ordering.pk, "order": [right[0]]}]},
    )
    call("results", "get", f"{base}results/")

    assert responses["questions"].status_code == responses["question"].status_code == 403
    assert responses["save-short-order"].status_code == 400
    assert responses["submit-bad-order"].status_code == 400
    for name, response in responses.items():
        text = response.content.decode()
        for secret in NEVER_SHOWN:
            assert secret not in text, (name, secret)
        assert json.dumps(right) not in text.replace(" ", ""), name  # the authored order
    shown = shown_order(responses["detail"].json())
    assert shown != right
    assert shown == shown_order(responses["detail-again"].json())  # stable in the attempt
    assert shown == shown_order(responses["detail-before-start"].json())  # the attempt's page
    assert sorted(shown) == sorted(right) != right  # the ids tell nothing either


def test_each_attempt_shows_its_own_shuffle_never_the_authored_order(
    auth_client, enrolled, secret_quiz
):
    client = auth_client(enrolled)
    right = authored_ids(secret_quiz.questions.get(kind="ordering"))
    url = f"/api/v1/quizzes/{secret_quiz.pk}/"
    orders = []
    for _ in range(6):
        sid = client.post(f"{url}start/").json()["submission_id"]
        first, again = shown_order(client.get(url).json()), shown_order(client.get(url).json())
        assert first == again != right, sid
        orders.append(tuple(first))

    assert len(set(orders)) > 1  # six draws out of 719 orders


def test_the_shown_order_is_the_keyed_shuffle_of_the_attempt(auth_client, enrolled, secret_quiz):
    client = auth_client(enrolled)
    ordering = secret_quiz.questions.get(kind="ordering")
    client.post(f"/api/v1/quizzes/{secret_quiz.pk}/start/")

    shown = shown_order(client.get(f"/api/v1/quizzes/{secret_quiz.pk}/").json())

    expected = attempt_order(
        authored_ids(ordering),
        student_id=enrolled.pk,
        quiz_id=secret_quiz.pk,
        attempt=1,
        question_id=ordering.pk,
    )
    assert shown == expected


class _NoShuffle(random.Random):
    """A generator whose every shuffle leaves the items as they are."""

    def shuffle(self, x):
        return None


@pytest.mark.parametrize("size", range(NEVER_AUTHORED_FROM, 9))
def test_a_shuffle_that_comes_out_in_order_is_dealt_again(size):
    items = list(range(size))

    assert shuffled(items, _NoShuffle()) != items
    assert sorted(shuffled(items, _NoShuffle())) == items


@pytest.mark.parametrize("size", range(2, NEVER_AUTHORED_FROM))
def test_few_choices_may_show_in_order_so_that_the_order_shown_tells_nothing(size):
    items = list(range(size))

    assert shuffled(items, _NoShuffle()) == items
