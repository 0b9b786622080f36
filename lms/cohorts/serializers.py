"""Gradebook rows and announcements as the API shows them."""

from rest_framework import serializers

from lms.enrollments.models import Enrollment
from lms.users.serializers import UserSummaryWithEmailSerializer

from .models import Announcement


class GradebookStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    cohort = serializers.CharField(help_text="The cohort on the student's profile.")


class GradebookEnrollmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Enrollment.Status.choices)
    cohort = serializers.CharField(help_text="The cohort the student was enrolled with.")
    enrolled_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class GradebookProgressSerializer(serializers.Serializer):
    completed_lessons = serializers.IntegerField()
    total_lessons = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)


class GradebookQuizSerializer(serializers.Serializer):
    quiz = serializers.IntegerField()
    title = serializers.CharField()
    best_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Best percent of the handed-in attempts (graded or waiting for review); "
        "null when none.",
    )
    passed = serializers.BooleanField(help_text="Whether any attempt passed.")
    attempts = serializers.IntegerField(help_text="Handed-in attempts.")


class GradebookRowSerializer(serializers.Serializer):
    student = GradebookStudentSerializer()
    enrollment = GradebookEnrollmentSerializer()
    progress = GradebookProgressSerializer()
    quizzes = GradebookQuizSerializer(many=True, help_text="One per published quiz.")
    grade = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="Mean of the best percent of every published quiz (0 for one never "
        "handed in); null when the course has no published quiz.",
    )


class AnnouncementSerializer(serializers.ModelSerializer):
    author = UserSummaryWithEmailSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Announcement
        fields = ["id", "course", "author", "title", "body", "send_email", "created_at"]
        read_only_fields = ["id", "course", "author", "send_email", "created_at"]


class AnnouncementCreateSerializer(serializers.ModelSerializer):
    send_email = serializers.BooleanField(
        default=True, help_text="Email the enrollees too (those who turned emails off excepted)."
    )

    class Meta:
        model = Announcement
        fields = ["title", "body", "send_email"]


class AnnouncementUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Announcement
        fields = ["title", "body"]
