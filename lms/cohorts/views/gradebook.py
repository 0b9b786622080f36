"""`courses/{id}/gradebook/` (paginated rows) and `courses/{id}/gradebook/export/` (CSV)."""

import django_filters
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import filters, generics

from lms.common.filters import OrderingFilter
from lms.common.schema import errors
from lms.enrollments.models import Enrollment

from ..export import gradebook_csv_lines
from ..gradebook import gradebook_page, gradebook_rows, lesson_count_of, published_quizzes_of
from ..permissions import course_run_by
from ..serializers import GradebookRowSerializer

WHO = (
    "The course's instructor or an admin; a student or another instructor is refused (403), "
    "a course outside the caller's catalog is 404."
)


class GradebookFilter(django_filters.FilterSet):
    cohort = django_filters.CharFilter(help_text="Exact cohort of the enrollment.")
    status = django_filters.ChoiceFilter(choices=Enrollment.Status.choices)

    class Meta:
        model = Enrollment
        fields = ["cohort", "status"]


class _CourseGradebook(generics.GenericAPIView):
    filter_backends = [
        django_filters.rest_framework.DjangoFilterBackend,
        filters.SearchFilter,
        OrderingFilter,
    ]
    filterset_class = GradebookFilter
    search_fields = ["student__email", "student__first_name", "student__last_name"]
    serializer_class = GradebookRowSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no course
            return Enrollment.objects.none()
        self.course = course_run_by(self.request.user, self.kwargs["pk"])
        return gradebook_rows(self.course, sortable=self.sortable)


class GradebookView(_CourseGradebook):
    """One row per enrollment of a course: progress, best quiz results, grade."""

    sortable = True
    ordering_fields = ["grade", "progress", "email"]
    ordering = ["email"]

    @extend_schema(
        summary="A course's gradebook",
        description=f"{WHO} One row per enrollment (any status). `grade` is the mean of the "
        "best percent of every published quiz (0 for one never handed in), null without "
        "published quizzes. `search` looks in the student's email and names.",
        responses={200: GradebookRowSerializer(many=True), **errors(400, 401, 403, 404)},
    )
    def get(self, request, pk: int):
        enrollments = self.filter_queryset(self.get_queryset())
        # Ties (equal grades) keep one order from page to page.
        enrollments = enrollments.order_by(*enrollments.query.order_by, "pk")
        page = self.paginate_queryset(enrollments)
        rows = gradebook_page(page, published_quizzes_of(self.course))
        return self.get_paginated_response(GradebookRowSerializer(rows, many=True).data)


class GradebookExportView(_CourseGradebook):
    """The gradebook as a CSV file, streamed."""

    sortable = False
    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        # The answer is CSV whatever `Accept` says; errors are still JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Download a course's gradebook as CSV",
        description=f"{WHO} Streamed `text/csv` (UTF-8 with a byte-order mark), one line per "
        "enrollment (by student id), with the same filters as the gradebook: `email, "
        "first_name, last_name, cohort, status, progress_percent`, one column per published "
        "quiz (its title; the best percent, empty when never handed in), `grade`. A cell "
        "that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or "
        "carriage return) is prefixed with `'`.",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="The CSV file."),
            **errors(400, 401, 403, 404),
        },
    )
    def get(self, request, pk: int):
        enrollments = self.filter_queryset(self.get_queryset())
        quizzes = published_quizzes_of(self.course)
        response = StreamingHttpResponse(
            gradebook_csv_lines(enrollments, quizzes, total_lessons=lesson_count_of(self.course)),
            content_type="text/csv; charset=utf-8",
        )
        filename = f"gradebook-{self.course.slug}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
