"""Concurrent use of one refresh token or one reset link (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from lms.users.tests.conftest import login
from lms.users.tests.factories import StudentFactory


def race(count: int, call) -> list[int]:
    """Run `call()` in `count` threads released together; returns their status codes."""
    barrier = threading.Barrier(count)
    codes: list[int] = []

    def worker():
        try:
            barrier.wait()
            codes.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


@pytest.mark.django_db(transaction=True)
def test_one_refresh_token_is_spent_once_under_concurrency(requires_postgres):
    # given a logged-in student's refresh token
    student = StudentFactory()
    refresh = login(APIClient(), student.email).json()["refresh"]
    # when eight requests try to spend it at the same moment
    codes = race(
        8, lambda: APIClient().post("/api/v1/token/refresh/", {"refresh": refresh}).status_code
    )
    # then exactly one gets a new pair
    assert sorted(codes) == [200] + [401] * 7
