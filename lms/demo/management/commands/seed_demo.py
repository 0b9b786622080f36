"""Load the demo data set (idempotent) and print the demo logins."""

from django.core.management.base import BaseCommand
from django.db import transaction

from lms.cohorts import demo as cohorts_demo
from lms.courses import demo as courses_demo
from lms.demo import audit_trail
from lms.enrollments import demo as enrollments_demo
from lms.payments import demo as payments_demo
from lms.quizzes import demo as quizzes_demo
from lms.users import demo as users_demo
from lms.webhooks import demo as webhooks_demo

#: Each app's `demo.seed(stdout)`, lowest layer first: each builds on the rows before it.
DEMO_MODULES = (
    users_demo,
    courses_demo,
    enrollments_demo,
    payments_demo,
    quizzes_demo,
    cohorts_demo,
    webhooks_demo,
    audit_trail,
)


class Command(BaseCommand):
    help = (
        "Create demo accounts, courses, enrollments, payments, quizzes and a cohort "
        "(safe to re-run)."
    )

    def handle(self, *args, **options):
        for step, module in enumerate(DEMO_MODULES, start=1):
            self.stdout.write(f"[{step}/{len(DEMO_MODULES)}] {module.__name__} ...")
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {users_demo.DEMO_PASSWORD})")
        for role, email in users_demo.demo_logins():
            self.stdout.write(f"  {role:<11} {email}")
