"""Factories for enrollments, progress and certificates."""

import factory
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.enrollments.models import Certificate, Enrollment, LessonProgress
from lms.users.tests.factories import StudentFactory


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    student = factory.SubFactory(StudentFactory)
    course = factory.SubFactory(CourseFactory)
    status = Enrollment.Status.ACTIVE


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    enrollment = factory.SubFactory(EnrollmentFactory)
    lesson = factory.SubFactory("lms.courses.tests.factories.LessonFactory")
    completed_at = factory.LazyFunction(timezone.now)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    enrollment = factory.SubFactory(EnrollmentFactory, status=Enrollment.Status.COMPLETED)
    code = factory.Sequence(lambda n: f"CERT{n:08d}")
    issued_at = factory.LazyFunction(timezone.now)
