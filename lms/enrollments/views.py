"""Enrollment, progress and certificate endpoints."""

import django_filters
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.audit.services import acting
from lms.common.filters import IdFilter
from lms.common.permissions import IsStudent, is_student
from lms.common.schema import (
    FORBIDDEN,
    NOT_FOUND,
    UNAUTHORIZED,
    error_response,
    errors,
)
from lms.courses.downloads import LINK_INVALID, TOKEN_PARAM, download_token_read
from lms.courses.errors import lesson_locked_response
from lms.courses.selectors import courses_visible_to, lessons_readable_by
from lms.users.models import User

from .certificate_pdf import certificate_pdf_render
from .completion import course_progress_for
from .models import Enrollment
from .permissions import IsEnrollmentOwnerOrAdmin
from .selectors import (
    certificate_by_code,
    certificates_visible_to,
    enrollments_visible_to,
    is_enrolled,
)
from .serializers import (
    CERTIFICATE_TOKEN_KIND,
    CertificateSerializer,
    CertificateVerificationSerializer,
    CourseProgressSerializer,
    EnrollmentConflictSerializer,
    EnrollmentCreateSerializer,
    EnrollmentSerializer,
    PaymentRequiredErrorSerializer,
)
from .services import enrollment_cancel, enrollment_create, lesson_complete

ALREADY_ENROLLED_OR_FULL = error_response(
    "Already enrolled, the course is full, or its prerequisites are not completed "
    "(`prerequisites_not_met` with the `missing` course ids).",
    EnrollmentConflictSerializer,
)


class EnrollmentFilter(django_filters.FilterSet):
    course_id = IdFilter(field_name="course_id", help_text="Course id.")
    status = django_filters.ChoiceFilter(choices=Enrollment.Status.choices)
    cohort = django_filters.CharFilter(help_text="Exact cohort name.")
    source = django_filters.ChoiceFilter(choices=Enrollment.Source.choices)

    class Meta:
        model = Enrollment
        fields = ["course_id", "status", "cohort", "source"]


@extend_schema_view(
    list=extend_schema(
        summary="List enrollments",
        description="A student sees their own, an instructor those of their courses, an admin all.",
        responses={200: EnrollmentSerializer(many=True), **errors(400, 401)},
    ),
    retrieve=extend_schema(
        summary="An enrollment with its progress",
        responses={200: EnrollmentSerializer, **errors(401, 404)},
    ),
    create=extend_schema(
        summary="Enroll in a free course",
        description="Students only. A paid course answers 402 with the checkout path. A "
        "course with prerequisites the student has not completed (completed enrollment) "
        "answers 409 `prerequisites_not_met` with their ids in `missing`.",
        request=EnrollmentCreateSerializer,
        responses={
            201: EnrollmentSerializer,
            **errors(400, 401),
            402: error_response("Paid course: check out first.", PaymentRequiredErrorSerializer),
            403: FORBIDDEN,
            409: ALREADY_ENROLLED_OR_FULL,
        },
    ),
    destroy=extend_schema(
        summary="Cancel an enrollment",
        description="The student or an admin; the status becomes `cancelled` and the "
        "course's content closes.",
        responses={204: None, **errors(401, 403, 404)},
    ),
)
class EnrollmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A student's place in a course."""

    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilter
    ordering_fields = ["created_at", "status"]

    def get_queryset(self):
        return enrollments_visible_to(self.request.user)

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated(), IsStudent()]
        if self.action == "destroy":
            return [permissions.IsAuthenticated(), IsEnrollmentOwnerOrAdmin()]
        return super().get_permissions()

    def create(self, request, *args, **kwargs):
        serializer = EnrollmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        enrollment = enrollment_create(
            student=request.user, course=serializer.validated_data["course"]
        )
        enrollment = self.get_queryset().get(pk=enrollment.pk)
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        enrollment_cancel(enrollment=instance, **acting(self.request))


class LessonCompleteView(APIView):
    """Mark a lesson complete for the enrolled student."""

    @extend_schema(
        summary="Complete a lesson",
        description="Enrolled students only (other roles 403). Idempotent; answers the "
        "student's progress in the lesson's course. A lesson the student cannot read is 404; "
        "a readable one (a preview) without an enrollment is 403; a locked one (sequential "
        "course, not released yet) is 403 `lesson_locked`.",
        request=None,
        responses={
            200: CourseProgressSerializer,
            403: lesson_locked_response("Not a student, not enrolled, or the lesson is locked."),
            **errors(401, 404),
        },
    )
    def post(self, request, pk: int):
        if not is_student(request.user):
            raise PermissionDenied("Only enrolled students complete lessons.")
        lesson = get_object_or_404(lessons_readable_by(request.user), pk=pk)
        lesson_complete(student=request.user, lesson=lesson)
        progress = course_progress_for(student=request.user, course_id=lesson.module.course_id)
        return Response(CourseProgressSerializer(progress).data)


class CourseProgressView(APIView):
    """The enrolled student's progress in one course."""

    @extend_schema(
        summary="My progress in a course",
        description="Enrolled (active or completed) students only; others 403.",
        responses={
            200: CourseProgressSerializer,
            **errors(401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        course = get_object_or_404(courses_visible_to(request.user), pk=pk)
        if not is_enrolled(request.user, course.pk):
            raise PermissionDenied("Enroll in this course to see your progress.")
        progress = course_progress_for(student=request.user, course_id=course.pk)
        return Response(CourseProgressSerializer(progress).data)


@extend_schema_view(
    list=extend_schema(
        summary="My certificates",
        description="Your own certificates (an admin sees all).",
        responses={200: CertificateSerializer(many=True), 401: UNAUTHORIZED},
    ),
    retrieve=extend_schema(
        summary="A certificate",
        responses={200: CertificateSerializer, **errors(401, 404)},
    ),
)
class CertificateViewSet(viewsets.ReadOnlyModelViewSet):
    """Certificates of completed courses."""

    serializer_class = CertificateSerializer
    filterset_class = None
    ordering_fields = ["issued_at"]

    def get_queryset(self):
        return certificates_visible_to(self.request.user)

    @extend_schema(
        summary="Download a certificate as PDF",
        description="With the Authorization header, or with the signed `token` of the "
        "certificate's `pdf_url` (so that a plain `<a href>` works; it expires after a few "
        "minutes: read the certificate again for a fresh one).",
        parameters=[TOKEN_PARAM],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            **errors(401, 403, 404),
        },
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.AllowAny])
    def pdf(self, request, pk=None):
        certificate = self._certificate_for_download(request, pk)
        response = HttpResponse(certificate_pdf_render(certificate), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="certificate-{certificate.code}.pdf"'
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def _certificate_for_download(self, request, pk):
        """The certificate the signed link (or else the signed-in caller) may download."""
        token = request.query_params.get("token")
        if not token:
            if not request.user.is_authenticated:
                raise NotAuthenticated()
            return self.get_object()
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise Http404 from None
        payload = download_token_read(token, kind=CERTIFICATE_TOKEN_KIND, pk=pk)
        if payload is None:
            raise PermissionDenied(LINK_INVALID)
        reader = User.objects.filter(pk=payload["u"], is_active=True).first()
        certificate = reader and certificates_visible_to(reader).filter(pk=pk).first()
        if not certificate:
            raise Http404
        return certificate

    @extend_schema(
        summary="Verify a certificate code",
        description="Public: anyone holding a code can check it.",
        responses={200: CertificateVerificationSerializer, 404: NOT_FOUND},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path=r"verify/(?P<code>[A-Za-z0-9_-]+)",
        permission_classes=[permissions.AllowAny],
        pagination_class=None,
    )
    def verify(self, request, code: str):
        certificate = certificate_by_code(code)
        if certificate is None:
            raise Http404
        return Response(CertificateVerificationSerializer(certificate).data)
