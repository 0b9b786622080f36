"""Shuffled choices of ordering questions: stable within an attempt, never the answer's order."""

import hashlib
import hmac
import random
from collections.abc import Sequence
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")

#: From this many choices on, a shuffle never comes out in the authored order (it is rotated
#: by one instead). With fewer, ruling the authored order out would give it away (with two
#: choices, entirely), so a small question may by chance show its choices in order.
NEVER_AUTHORED_FROM = 4


def shuffled(authored: Sequence[T], rng: random.Random) -> list[T]:
    """`authored` in an order drawn from `rng`; with enough items never `authored` itself."""
    result = list(authored)
    rng.shuffle(result)
    if len(result) >= NEVER_AUTHORED_FROM and result == list(authored):
        result = result[1:] + result[:1]
    return result


def insertion_order(authored: Sequence[T]) -> list[T]:
    """The order an ordering question's choices are written in, so ids tell nothing."""
    return shuffled(authored, random.SystemRandom())


def attempt_order(
    authored: Sequence[T], *, student_id: int, quiz_id: int, attempt: int, question_id: int
) -> list[T]:
    """The order a student is shown in attempt `attempt`: the same on every read of it.

    Drawn from a keyed hash (the project's secret key) of student, quiz, attempt number and
    question, so nothing is stored and the student cannot work it out.
    """
    message = f"ordering:{student_id}:{quiz_id}:{attempt}:{question_id}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    # The secret is in the seed; the generator only has to deal the same order again.
    rng = random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311
    return shuffled(authored, rng)
