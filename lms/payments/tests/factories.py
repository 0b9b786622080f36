"""Factories for payments."""

from decimal import Decimal

import factory

from lms.courses.tests.factories import CourseFactory
from lms.payments.models import Coupon, Payment
from lms.users.tests.factories import StudentFactory


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    student = factory.SubFactory(StudentFactory)
    course = factory.SubFactory(CourseFactory, price=Decimal("49.00"))
    amount = factory.LazyAttribute(lambda p: p.course.price)
    currency = factory.LazyAttribute(lambda p: p.course.currency)
    provider = Payment.Provider.MANUAL
    status = Payment.Status.PENDING


class CouponFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coupon

    code = factory.Sequence(lambda n: f"SAVE{n}")
    percent_off = 10
