"""Load the demo data set (idempotent) and print the demo logins."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

#: Each app's `demo.seed(stdout)`, in dependency order.
DEMO_MODULES = (
    "lms.users.demo",
    "lms.courses.demo",
    "lms.enrollments.demo",
    "lms.payments.demo",
    "lms.quizzes.demo",
)


class Command(BaseCommand):
    help = "Create demo accounts, courses, enrollments, payments and quizzes (safe to re-run)."

    def handle(self, *args, **options):
        for step, module_name in enumerate(DEMO_MODULES, start=1):
            self.stdout.write(f"[{step}/{len(DEMO_MODULES)}] {module_name} ...")
            with transaction.atomic():
                import_module(module_name).seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self._print_logins()

    def _print_logins(self) -> None:
        from lms.users.demo import DEMO_PASSWORD, demo_logins

        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD})")
        for role, email in demo_logins():
            self.stdout.write(f"  {role:<11} {email}")
