"""Demo accounts: an admin, two instructors and students in two cohorts (idempotent)."""

from allauth.account.models import EmailAddress

from .models import User

DEMO_PASSWORD = "learn-demo-2026"

#: (email, first name, last name, role, cohort)
DEMO_USERS = (
    ("admin@example.com", "Avery", "Admin", User.Role.ADMIN, ""),
    ("ada@example.com", "Ada", "Lovelace", User.Role.INSTRUCTOR, ""),
    ("alan@example.com", "Alan", "Turing", User.Role.INSTRUCTOR, ""),
    ("maria@example.com", "Maria", "Silva", User.Role.STUDENT, "2026-spring"),
    ("li@example.com", "Li", "Wei", User.Role.STUDENT, "2026-spring"),
    ("sam@example.com", "Sam", "Okafor", User.Role.STUDENT, "2026-spring"),
    ("noor@example.com", "Noor", "Haddad", User.Role.STUDENT, "2026-fall"),
    ("tom@example.com", "Tom", "Berg", User.Role.STUDENT, "2026-fall"),
)


def demo_logins() -> list[tuple[str, str]]:
    """(role, email) of every demo account, for printing."""
    return [(role.value, email) for email, _first, _last, role, _cohort in DEMO_USERS]


def seed(stdout) -> None:
    """Create or reset the demo accounts, verified, with the demo password."""
    for email, first_name, last_name, role, cohort in DEMO_USERS:
        user, created = User.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "role": role,
                "cohort": cohort,
                "is_active": True,
                "is_superuser": role == User.Role.ADMIN,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        stdout.write(f"  {'created' if created else 'updated'} {role.value:<10} {email}")
