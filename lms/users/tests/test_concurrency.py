"""Concurrent use of one refresh token or one reset link, and refresh vs password change."""

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


@pytest.mark.django_db(transaction=True)
def test_a_refresh_racing_a_password_change_leaves_no_live_old_session(requires_postgres):
    # given a student logged in on four devices
    student = StudentFactory()
    devices = [login(APIClient(), student.email).json() for _ in range(4)]
    changer = APIClient()
    changer.credentials(HTTP_AUTHORIZATION=f"Bearer {devices[0]['access']}")
    new_password = "violet-harbour-engine-42"
    barrier = threading.Barrier(len(devices))
    answers: list = []

    def worker(index: int):
        try:
            barrier.wait()
            if index == 0:
                changer.post(
                    "/api/v1/users/password/change/",
                    {"old_password": "correct-horse-battery-staple", "new_password": new_password},
                )
            else:
                refresh = devices[index]["refresh"]
                answers.append(APIClient().post("/api/v1/token/refresh/", {"refresh": refresh}))
        finally:
            connection.close()

    # when one device changes the password while the others refresh, all at once
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(devices))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted({answer.status_code for answer in answers} | {200, 401}) == [200, 401]
    assert len(answers) == len(devices) - 1
    # then whichever refreshes won the race, none of their new tokens still works
    for answer in answers:
        if answer.status_code != 200:
            continue
        pair = answer.json()
        client = APIClient()
        spent = client.post("/api/v1/token/refresh/", {"refresh": pair["refresh"]})
        assert spent.status_code == 401
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
        assert client.get("/api/v1/users/me/").status_code == 401
