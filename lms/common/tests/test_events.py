"""Domain events: told after commit, never for a rolled-back change, one listener's failure
is not another's."""

import pytest
from django.db import transaction

from lms.common import events


@pytest.fixture
def listening():
    """Register listeners by name for the test; remove them after."""
    names = []

    def listen(name, hook):
        names.append(name)
        events.subscribers.register(name, hook)

    yield listen
    for name in names:
        events.subscribers.unregister(name)


@pytest.mark.django_db
def test_an_event_reaches_listeners_after_commit(events_heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = events.emit(events.ENROLLMENT_CREATED, {"enrollment": {"id": 7}})
        assert events_heard == []  # not before the commit
    assert events_heard == [event]
    body = event.as_json()
    assert body["type"] == "enrollment.created"
    assert body["data"] == {"enrollment": {"id": 7}}
    assert body["id"].startswith("evt_")
    assert isinstance(body["created"], int)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_tells_nobody(events_heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit(events.PAYMENT_SUCCEEDED, {"payment": {"id": 1}})
        raise RuntimeError("the change fails")
    with transaction.atomic():
        events.emit(events.PAYMENT_REFUNDED, {"payment": {"id": 2}})
    assert [event.type for event in events_heard] == ["payment.refunded"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_listener_costs_the_others_nothing(listening, events_heard, caplog):
    def broken(event):
        raise ValueError("listener bug")

    listening("broken", broken)
    events.emit(events.USER_REGISTERED, {"user": {"id": 1}})  # autocommit: told at once
    assert [event.type for event in events_heard] == ["user.registered"]
    assert "Event listener broken failed on user.registered" in caplog.text


def test_an_unknown_event_type_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown event type"):
        events.emit("enrollment.exploded", {})


@pytest.mark.django_db(transaction=True)
def test_a_bulk_change_reaches_batch_listeners_at_once(listening, events_heard):
    batches = []

    def one_by_one(event):
        raise AssertionError("a listener with `many` gets the batch, not each event")

    one_by_one.many = batches.append
    listening("batching", one_by_one)
    with transaction.atomic():
        told = events.emit_many(events.ENROLLMENT_CREATED, [{"n": 1}, {"n": 2}])
    assert batches == [told]
    assert events_heard == told  # a plain listener hears each event
