"""Factories for notifications."""

import factory

from lms.notifications.models import Notification
from lms.users.tests.factories import StudentFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(StudentFactory)
    kind = Notification.Kind.ANNOUNCEMENT
    title = factory.Sequence(lambda n: f"Notice {n}")
    body = "Something happened."
    data = factory.LazyFunction(dict)
