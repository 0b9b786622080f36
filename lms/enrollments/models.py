"""A student's place in a course, their lesson progress, and the certificate at the end."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from lms.common.models import BaseModel


class Enrollment(BaseModel):
    """One row per (student, course); cancelling and re-enrolling reuse it."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    #: Statuses that open the course's content.
    OPEN_STATUSES = (Status.ACTIVE, Status.COMPLETED)

    class Source(models.TextChoices):
        SELF = "self", "The student enrolled"
        PAYMENT = "payment", "A payment succeeded"
        STAFF = "staff", "Staff enrolled the student"
        COUPON = "coupon", "A coupon covered the price"

    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments"
    )
    course = models.ForeignKey(
        "courses.Course", on_delete=models.PROTECT, related_name="enrollments"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    source = models.CharField(
        max_length=20,
        choices=Source.choices,
        default=Source.SELF,
        help_text="How the enrollment was opened (the latest time, after a re-enrollment).",
    )
    cohort = models.CharField(max_length=100, blank=True, db_index=True)
    #: When the enrollment last became active (created or re-opened): drip release counts from it.
    activated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "course"], name="enrollment_once_per_course"
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status"]),
            # A course's enrollments newest first (the instructor's list): LIMIT 20 reads 20
            # index entries instead of sorting every enrollment of a big course.
            models.Index(fields=["course", "-created_at", "-id"], name="enrollment_course_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.student} in {self.course}"


class LessonProgress(BaseModel):
    """A lesson an enrolled student has completed."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey("courses.Lesson", on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "lesson"], name="lesson_progress_once"),
        ]


class Certificate(BaseModel):
    """Proof that an enrollment was completed, verifiable by its code."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="certificate"
    )
    code = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    # The name as printed on the day of issue: later profile edits do not rewrite a certificate.
    student_name = models.CharField(max_length=301, blank=True, default="")

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code

    @property
    def name_as_issued(self) -> str:
        """The printed name (certificates issued before it was stored: the current name)."""
        return self.student_name or self.enrollment.student.full_name
