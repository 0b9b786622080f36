"""Accommodations: one student's own limits at a quiz, for the quiz's authors."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from lms.enrollments.models import Enrollment

from ..models import Accommodation
from .attempts import SubmissionStudentSerializer


class AccommodationSerializer(serializers.ModelSerializer):
    """A student's extra minutes, extra attempts and own due time at a quiz (context `quiz`)."""

    student = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.none(),
        help_text="A student enrolled in the quiz's course (else 400).",
    )
    student_detail = SubmissionStudentSerializer(source="student", read_only=True)
    extra_minutes = serializers.IntegerField(
        min_value=0, max_value=24 * 60, default=0, help_text="Added to the time limit."
    )
    extra_attempts = serializers.IntegerField(
        min_value=0, max_value=100, default=0, help_text="Added to `max_attempts`."
    )
    due_at = serializers.DateTimeField(
        allow_null=True,
        required=False,
        help_text="Replaces the quiz's `due_at` for this student (null: the quiz's).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quiz = self.context.get("quiz")
        if quiz is not None:
            # Anyone not enrolled in the course reads as a user that does not exist.
            enrolled = Enrollment.objects.filter(
                course_id=quiz.course_id, status__in=Enrollment.OPEN_STATUSES
            ).values("student_id")
            self.fields["student"].queryset = get_user_model().objects.filter(pk__in=enrolled)

    class Meta:
        model = Accommodation
        fields = [
            "id",
            "quiz",
            "student",
            "student_detail",
            "extra_minutes",
            "extra_attempts",
            "due_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "quiz", "student_detail", "created_at", "updated_at"]
