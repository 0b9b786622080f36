"""Factories for courses and their content."""

from decimal import Decimal

import factory

from lms.courses.models import ContentItem, Course, Lesson, Module
from lms.users.tests.factories import InstructorFactory


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    description = "A course."
    instructor = factory.SubFactory(InstructorFactory)
    price = Decimal("0.00")
    currency = "USD"
    is_published = True


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    order = factory.Sequence(lambda n: n + 1)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    title = factory.Sequence(lambda n: f"Lesson {n}")
    content = "Lesson body."
    order = factory.Sequence(lambda n: n + 1)
    duration_minutes = 10


class ContentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContentItem

    lesson = factory.SubFactory(LessonFactory)
    kind = ContentItem.Kind.TEXT
    title = factory.Sequence(lambda n: f"Item {n}")
    text = "Some text."
    order = factory.Sequence(lambda n: n + 1)
