"""Quizzes: authoring, attempts and server-side grading."""

from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "lms.quizzes"
    label = "quizzes"

    def ready(self):
        """Make "every published quiz passed" a requirement of course completion; export
        and erase a person's submissions with their personal data."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from lms.courses import cache
        from lms.enrollments.completion import requirements
        from lms.users.personal_data import personal_data_register

        from . import personal_data
        from .models import Quiz
        from .selectors import quiz_requirements_for

        requirements.register("quizzes", quiz_requirements_for)
        cache.catalog_sources.register(self.label, lambda: [Quiz])
        personal_data_register(
            self.label,
            export=personal_data.personal_data_export,
            erase=personal_data.personal_data_erase,
        )
