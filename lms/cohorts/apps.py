"""Running a cohort: bulk enrollment, gradebook, export and announcements."""

from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "lms.cohorts"
    label = "cohorts"

    def ready(self):
        """Register the bulk enrollment job, enroll invited addresses once verified, and
        export and erase invitations with a person's data."""
        # Imported here, not at the top: models load only once the app registry is ready.
        from allauth.account.signals import email_confirmed

        from lms.common import events
        from lms.jobs.services import job_kinds
        from lms.users.personal_data import personal_data_register

        from . import personal_data
        from .bulk import KIND, bulk_enroll_run
        from .listeners import on_email_confirmed, on_event

        job_kinds.register(KIND, bulk_enroll_run)
        email_confirmed.connect(on_email_confirmed, dispatch_uid="cohorts-invitations")
        events.subscribers.register("cohorts-invitations", on_event)
        personal_data_register(
            self.label,
            export=personal_data.personal_data_export,
            erase=personal_data.personal_data_erase,
        )
