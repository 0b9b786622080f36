"""The user: email is the login, `role` says what the user may do."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models import Q


class UserManager(DjangoUserManager):
    """Creates users by email; email lookups ignore case."""

    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        return (email or "").strip().lower()

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.STUDENT)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields["role"] = User.Role.ADMIN
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))


class User(AbstractUser):
    """A student, instructor or admin who signs in with an email address."""

    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        INSTRUCTOR = "instructor", "Instructor"
        ADMIN = "admin", "Admin"

    username = None
    email = models.EmailField("email address", unique=True)
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.STUDENT, db_index=True
    )
    cohort = models.CharField(max_length=100, blank=True, db_index=True)
    email_notifications = models.BooleanField(
        default=True,
        help_text="Email me notifications (announcements, enrollments, certificates); "
        "account emails are always sent.",
    )
    tokens_valid_after = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Tokens issued before this moment (password change or reset, "
        "deactivation) are refused.",
    )

    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the person erased their personal data (the account is anonymous since).",
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["id"]
        constraints = [
            # The admin role and Django's staff flag are one fact, stored twice.
            models.CheckConstraint(
                condition=(Q(role="admin", is_staff=True) | (~Q(role="admin") & Q(is_staff=False))),
                name="user_role_admin_matches_is_staff",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    #: The name an erased account goes by where a record (payment, certificate) still shows it.
    ERASED_NAME = "Anonymous learner"

    @property
    def full_name(self) -> str:
        if self.erased_at is not None:
            return self.ERASED_NAME
        return f"{self.first_name} {self.last_name}".strip() or self.email

    # An LMS admin already controls everything through the API; the Django admin site
    # gives them the same reach, without managing permission rows by hand.
    def has_perm(self, perm, obj=None) -> bool:
        if self.is_active and self.role == self.Role.ADMIN:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        if self.is_active and self.role == self.Role.ADMIN:
            return True
        return super().has_module_perms(app_label)

    def save(self, *args, **kwargs):
        # Invariants, not business rules: one login per address, staff iff admin.
        self.email = UserManager.normalize_email(self.email)
        self.is_staff = self.role == self.Role.ADMIN
        if kwargs.get("update_fields") is not None and "role" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_staff"}
        super().save(*args, **kwargs)
