"""The inbox: own notifications only, newest first, unread filter and count, marking read."""

import pytest
from django.utils import timezone

from lms.notifications.models import Notification
from lms.notifications.services import notifications_create

from .factories import NotificationFactory

URL = "/api/v1/notifications/"

pytestmark = pytest.mark.django_db


def test_anonymous_is_401(api_client):
    assert api_client.get(URL).status_code == 401
    assert api_client.post(f"{URL}read-all/").status_code == 401
    mine = NotificationFactory()
    assert api_client.post(f"{URL}{mine.pk}/read/").status_code == 401


@pytest.mark.parametrize("role", ["student", "instructor", "admin"])
def test_each_user_lists_only_their_own_newest_first(auth_client, request, role):
    user = request.getfixturevalue(role)
    older = NotificationFactory(user=user, title="older")
    newer = NotificationFactory(user=user, title="newer")
    NotificationFactory()  # someone else's, admins included
    response = auth_client(user).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["next", "previous", "unread_count", "results"]
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    assert body["unread_count"] == 2
    assert set(body["results"][0]) == {
        "id", "kind", "title", "body", "data", "created_at", "read_at",
    }  # fmt: skip


def test_unread_filter_and_count(auth_client, student):
    read = NotificationFactory(user=student, read_at=timezone.now())
    unread = NotificationFactory(user=student)
    client = auth_client(student)
    body = client.get(URL, {"unread": "true"}).json()
    assert [row["id"] for row in body["results"]] == [unread.pk]
    assert body["unread_count"] == 1
    body = client.get(URL, {"unread": "false"}).json()
    assert [row["id"] for row in body["results"]] == [read.pk]
    assert client.get(URL, {"unread": "maybe"}).status_code == 400
    assert client.get(URL, {"unread": ""}).status_code == 400


def test_mark_one_read_then_all(auth_client, student):
    first, *_ = (NotificationFactory(user=student) for _ in range(3))
    client = auth_client(student)
    response = client.post(f"{URL}{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    read_at = Notification.objects.get(pk=first.pk).read_at
    # marking it again keeps the first reading time
    assert client.post(f"{URL}{first.pk}/read/").status_code == 200
    assert Notification.objects.get(pk=first.pk).read_at == read_at
    assert client.get(URL).json()["unread_count"] == 2
    response = client.post(f"{URL}read-all/")
    assert response.status_code == 200
    assert response.json() == {"marked_read": 2, "unread_count": 0}
    assert not Notification.objects.filter(user=student, read_at__isnull=True).exists()


def test_another_users_notification_is_404_and_stays_unread(auth_client, student, admin):
    theirs = NotificationFactory()
    for user in (student, admin):
        assert auth_client(user).post(f"{URL}{theirs.pk}/read/").status_code == 404
    auth_client(student).post(f"{URL}read-all/")
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_cursor_pages_and_bad_page_size(auth_client, student):
    for _ in range(5):
        NotificationFactory(user=student)
    client = auth_client(student)
    first = client.get(URL, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2
    assert {r["id"] for r in first["results"]}.isdisjoint(r["id"] for r in second["results"])
    assert second["unread_count"] == 5
    assert client.get(URL, {"page_size": 0}).status_code == 400


def test_the_inbox_costs_the_same_for_one_or_many(auth_client, student, assert_constant_queries):
    NotificationFactory(user=student)
    client = auth_client(student)
    assert_constant_queries(
        lambda: client.get(URL),
        lambda: [NotificationFactory(user=student) for _ in range(10)],
    )


def test_many_users_are_told_in_one_insert_per_batch(django_assert_num_queries):
    users = [NotificationFactory().user_id for _ in range(5)]
    with django_assert_num_queries(3):  # savepoint, one INSERT, release
        made = notifications_create(user_ids=users, kind="announcement", title="Hello")
    assert made == 5
    with pytest.raises(ValueError):
        notifications_create(user_ids=users, kind="gossip", title="x")
