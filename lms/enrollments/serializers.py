"""Enrollment, progress and certificate representations."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.courses.downloads import download_token
from lms.courses.models import Course
from lms.users.serializers import UserSummaryWithEmailSerializer

from .models import Certificate, Enrollment
from .selectors import enrollment_progress_of

#: The kind a signed certificate download link names (see lms.courses.downloads).
CERTIFICATE_TOKEN_KIND = "certificate"


class EnrollmentStudentSerializer(UserSummaryWithEmailSerializer):
    # A class of its own only to keep the schema component's name `EnrollmentStudent` (and
    # no docstring: it would become the component's description).
    pass


class EnrollmentCourseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ["id", "title", "slug"]


class LessonProgressSerializer(serializers.Serializer):
    completed_lessons = serializers.IntegerField()
    total_lessons = serializers.IntegerField()
    percent = serializers.IntegerField(min_value=0, max_value=100)


class CourseProgressSerializer(LessonProgressSerializer):
    quizzes_passed = serializers.IntegerField()
    quizzes_required = serializers.IntegerField()
    completed = serializers.BooleanField()
    completed_lesson_ids = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The caller's completed lessons, in course order.",
    )
    next_lesson_id = serializers.IntegerField(
        allow_null=True,
        help_text='The first lesson not completed, in course order ("continue where you left '
        'off"); null when every lesson is done.',
    )


class EnrollmentSerializer(serializers.ModelSerializer):
    student = EnrollmentStudentSerializer(read_only=True)
    course = EnrollmentCourseSerializer(read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "student",
            "course",
            "status",
            "source",
            "cohort",
            "progress",
            "created_at",
            "completed_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    @extend_schema_field(LessonProgressSerializer)
    def get_progress(self, enrollment: Enrollment) -> dict:
        return enrollment_progress_of(enrollment)


class EnrollmentCreateSerializer(serializers.Serializer):
    course = serializers.PrimaryKeyRelatedField(
        queryset=Course.objects.filter(is_published=True),
        help_text="Id of a published course.",
    )


class CertificateSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="name_as_issued", read_only=True)
    course = EnrollmentCourseSerializer(source="enrollment.course", read_only=True)
    enrollment = serializers.PrimaryKeyRelatedField(read_only=True)
    pdf_url = serializers.SerializerMethodField(
        help_text="The PDF, signed for the caller: works in an `<a href>` for a few minutes."
    )

    class Meta:
        model = Certificate
        fields = ["id", "code", "enrollment", "student_name", "course", "issued_at", "pdf_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, certificate) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        token = download_token(
            kind=CERTIFICATE_TOKEN_KIND, pk=certificate.pk, file_name="", user=user
        )
        path = f"{reverse('certificate-pdf', args=[certificate.pk])}?token={token}"
        return request.build_absolute_uri(path) if request else path


class CertificateVerificationSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="name_as_issued", read_only=True)
    course_title = serializers.CharField(source="enrollment.course.title", read_only=True)

    class Meta:
        model = Certificate
        fields = ["code", "student_name", "course_title", "issued_at"]
        read_only_fields = fields


class PaymentRequiredErrorSerializer(serializers.Serializer):
    """The 402 body: the course is paid; check out at `checkout` first."""

    detail = serializers.CharField()
    checkout = serializers.CharField(help_text="Path of the checkout endpoint to POST `{course}`.")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()


class EnrollmentConflictSerializer(serializers.Serializer):
    """A 409: already enrolled, full, or (`code` `prerequisites_not_met`) prerequisites missing."""

    optional_in_response = ("missing",)  # only with `prerequisites_not_met`

    detail = serializers.CharField()
    code = serializers.CharField(
        required=False, help_text="`prerequisites_not_met` when prerequisites are missing."
    )
    missing = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="`prerequisites_not_met`: ids of the prerequisite courses not completed yet.",
    )
