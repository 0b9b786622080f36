"""Quizzes: authoring, attempts and server-side grading."""

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "lms.quizzes"
    label = "quizzes"
