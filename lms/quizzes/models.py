"""Quizzes, their questions and choices, and students' graded attempts."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from lms.common.models import BaseModel


class Quiz(BaseModel):
    """An assessment in a course; published quizzes must be passed to complete it."""

    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="quizzes")
    lesson = models.ForeignKey(
        "courses.Lesson", on_delete=models.SET_NULL, null=True, blank=True, related_name="quizzes"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    max_attempts = models.PositiveIntegerField(null=True, blank=True, default=3)
    pass_percent = models.PositiveSmallIntegerField(default=60)
    is_published = models.BooleanField(default=False, db_index=True)
    #: Attempts start from then on (null: at once).
    available_from = models.DateTimeField(null=True, blank=True)
    #: No attempt starts after it, and open ones close at it (plus the grace period).
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course_id", "id"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_percent__gte=0) & Q(pass_percent__lte=100),
                name="quiz_pass_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=True) | Q(max_attempts__gt=0),
                name="quiz_max_attempts_positive",
            ),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(due_at__isnull=True)
                | Q(due_at__gt=F("available_from")),
                name="quiz_due_after_available_from",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(BaseModel):
    """One question of a quiz; how it is graded depends on its kind."""

    class Kind(models.TextChoices):
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        TRUE_FALSE = "true_false", "True/false"
        SHORT_ANSWER = "short_answer", "Short answer"
        NUMERIC = "numeric", "Numeric"
        ORDERING = "ordering", "Ordering"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    points = models.PositiveIntegerField(default=1)
    order = models.PositiveIntegerField()
    accepted_answers = models.JSONField(default=list, blank=True)
    #: Numeric questions: the right number, and how far from it an answer may be.
    numeric_answer = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    tolerance = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["quiz_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "order"], name="question_order_unique"),
            models.CheckConstraint(
                condition=Q(tolerance__isnull=True) | Q(tolerance__gte=0),
                name="question_tolerance_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Choice(models.Model):
    """A possible answer to a choice question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    #: The authored position (0-based); an ordering question's answer is this order. Its
    #: choices are inserted in a shuffled sequence, so their ids do not tell the order.
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["question_id", "position", "id"]

    def __str__(self) -> str:
        return self.text


class QuizSubmission(BaseModel):
    """One attempt of a student at a quiz, from start to grade."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        GRADED = "graded", "Graded"
        NEEDS_REVIEW = "needs_review", "Needs review"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_submissions"
    )
    attempt = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    max_score = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    passed = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.IN_PROGRESS, db_index=True
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "student", "attempt"], name="quiz_submission_attempt_once"
            ),
            # A student works on at most one attempt of a quiz at a time.
            models.UniqueConstraint(
                fields=["quiz", "student"],
                condition=Q(status="in_progress"),
                name="quiz_submission_one_open_attempt",
            ),
            models.CheckConstraint(
                condition=Q(attempt__gt=0), name="quiz_submission_attempt_positive"
            ),
        ]
        indexes = [models.Index(fields=["student", "quiz", "passed"])]

    def __str__(self) -> str:
        return f"{self.student} on {self.quiz} (#{self.attempt})"


class Answer(models.Model):
    """A student's answer to one question of a submission, with the points it earned."""

    submission = models.ForeignKey(QuizSubmission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    text = models.TextField(blank=True)
    #: A numeric question's answer.
    number = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)
    #: An ordering question's answer: its choice ids in the order the student gave.
    choice_order = models.JSONField(default=list, blank=True)
    #: None while a short answer waits for an instructor.
    awarded_points = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField(null=True)

    class Meta:
        ordering = ["submission_id", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="answer_once_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in submission {self.submission_id}"


class Accommodation(BaseModel):
    """One student's own limits for a quiz: extra time, extra attempts, a later due time."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="accommodations")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_accommodations"
    )
    extra_minutes = models.PositiveIntegerField(default=0)
    extra_attempts = models.PositiveIntegerField(default=0)
    #: Replaces the quiz's `due_at` for this student (null: the quiz's).
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["quiz_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "student"], name="accommodation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.student} on {self.quiz}"
