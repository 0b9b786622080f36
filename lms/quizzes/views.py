"""Quiz endpoints: thin viewsets over the quiz selectors and services."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from lms.common.permissions import IsInstructorOrAdmin, IsStudent, is_student
from lms.courses.selectors import can_edit_course, can_read_course_content

from . import selectors, services
from .models import Question, Quiz, QuizSubmission
from .permissions import CanEditQuiz, CanReadQuiz, CanTakeQuiz
from .serializers import (
    QuestionSerializer,
    QuizAuthorDetailSerializer,
    QuizErrorSerializer,
    QuizResultsSerializer,
    QuizSerializer,
    QuizStartSerializer,
    QuizStudentDetailSerializer,
    QuizSubmissionDetailSerializer,
    QuizSubmissionGradeSerializer,
    QuizSubmissionSerializer,
    QuizSubmitResultSerializer,
    QuizSubmitSerializer,
)

R400 = OpenApiResponse(OpenApiTypes.OBJECT, description='Invalid input: `{"field": [..]}`.')
R401 = OpenApiResponse(QuizErrorSerializer, description="No or bad credentials.")
R403 = OpenApiResponse(QuizErrorSerializer, description="Authenticated but not allowed.")
R404 = OpenApiResponse(QuizErrorSerializer, description="Unknown, or not visible to the caller.")
QUESTIONS_409 = OpenApiResponse(
    QuizErrorSerializer,
    description="The quiz has submissions: its questions are frozen (duplicate it instead).",
)
COURSE_PARAM = OpenApiParameter(
    "course_id", int, description="Only this course's quizzes (403 if you may not read it)."
)
QUIZ_PARAM = OpenApiParameter(
    "quiz_id", int, description="Only this quiz's questions (403 if you may not author it)."
)


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError({name: ["A whole number is required."]}) from None


@extend_schema_view(
    list=extend_schema(
        summary="List quizzes",
        description="Admins see all; an instructor their courses' quizzes; a student the "
        "published quizzes of the courses they are enrolled in. With `course_id` of a course "
        "the caller cannot read: 403 (404 when the course is not in their catalog).",
        parameters=[COURSE_PARAM],
        responses={200: QuizSerializer(many=True), 400: R400, 401: R401, 403: R403, 404: R404},
    ),
    retrieve=extend_schema(
        summary="A quiz with its questions",
        description="Authors (the course's instructor, admins) get the questions with choices, "
        "`is_correct` and `accepted_answers`. An enrolled student gets a published quiz's "
        "questions and choices without them (schema `QuizStudentDetail`). A student not "
        "enrolled: 403; an unpublished quiz: 404.",
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="QuizDetail",
                    serializers=[QuizAuthorDetailSerializer, QuizStudentDetailSerializer],
                    resource_type_field_name=None,
                ),
                description="`QuizAuthorDetail` for authors, `QuizStudentDetail` for students.",
            ),
            401: R401,
            403: R403,
            404: R404,
        },
    ),
    create=extend_schema(
        summary="Create a quiz",
        description="The course's instructor or an admin. `lesson` must belong to `course`.",
        responses={201: QuizSerializer, 400: R400, 401: R401, 403: R403},
    ),
    update=extend_schema(
        summary="Replace a quiz's settings",
        description="The course's instructor or an admin; `course` cannot change.",
        responses={200: QuizSerializer, 400: R400, 401: R401, 403: R403, 404: R404},
    ),
    partial_update=extend_schema(
        summary="Change a quiz's settings",
        description="The course's instructor or an admin; `course` cannot change.",
        responses={200: QuizSerializer, 400: R400, 401: R401, 403: R403, 404: R404},
    ),
    destroy=extend_schema(
        summary="Delete a quiz",
        description="The course's instructor or an admin; a quiz with attempts: 409 "
        "(unpublish it instead).",
        responses={
            204: None,
            401: R401,
            403: R403,
            404: R404,
            409: OpenApiResponse(QuizErrorSerializer, description="Students attempted it."),
        },
    ),
)
class QuizViewSet(viewsets.ModelViewSet):
    """Quizzes of a course: authoring, taking and results."""

    serializer_class = QuizSerializer
    search_fields = ["title"]
    ordering_fields = ["id", "title", "created_at"]

    def get_permissions(self):
        base = [permissions.IsAuthenticated()]
        if self.action in ("start", "submit"):
            return [*base, IsStudent(), CanTakeQuiz()]
        if self.action == "retrieve":
            return [*base, CanReadQuiz()]
        if self.action == "list":
            return base
        return [*base, IsInstructorOrAdmin(), CanEditQuiz()]

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            return self._filtered(selectors.quizzes_listed_for(user))
        quizzes = selectors.quizzes_findable_by(user)
        if self.action == "retrieve":
            if is_student(user):
                return selectors.with_questions_for_students(quizzes)
            return selectors.with_questions_for_authors(quizzes)
        return quizzes

    def _filtered(self, quizzes):
        course_id = _int_param(self.request, "course_id")
        if course_id is None:
            return quizzes
        course = selectors.course_for_filter(self.request.user, course_id)
        if course is None:
            raise NotFound("No such course.")
        if not can_read_course_content(self.request.user, course):
            raise PermissionDenied("Enroll in this course to see its quizzes.")
        return quizzes.filter(course_id=course_id)

    def get_serializer_class(self):
        if self.action == "retrieve":
            if is_student(self.request.user):
                return QuizStudentDetailSerializer
            return QuizAuthorDetailSerializer
        return QuizSerializer

    def _reloaded(self, quiz: Quiz) -> Quiz:
        return selectors.quizzes_findable_by(self.request.user).get(pk=quiz.pk)

    def create(self, request, *args, **kwargs):
        serializer = QuizSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        course = data.pop("course")
        if not can_edit_course(request.user, course):
            raise PermissionDenied("Only this course's instructor or an admin can add quizzes.")
        quiz = services.quiz_create(course=course, **data)
        return Response(QuizSerializer(self._reloaded(quiz)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        quiz = self.get_object()
        serializer = QuizSerializer(quiz, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        quiz = services.quiz_update(quiz=quiz, data=serializer.validated_data)
        return Response(QuizSerializer(self._reloaded(quiz)).data)

    def perform_destroy(self, instance):
        services.quiz_delete(quiz=instance)

    @extend_schema(
        summary="Duplicate a quiz",
        description="Copies the quiz with its questions and choices as an unpublished draft "
        "(the way to change the questions of a quiz students have attempted).",
        request=None,
        responses={201: QuizAuthorDetailSerializer, 401: R401, 403: R403, 404: R404},
    )
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        copy = services.quiz_duplicate(quiz=self.get_object())
        copy = selectors.with_questions_for_authors(
            selectors.quizzes_findable_by(request.user)
        ).get(pk=copy.pk)
        return Response(QuizAuthorDetailSerializer(copy).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start (or resume) an attempt",
        description="Enrolled students. Opens attempt n+1 (201); while an attempt is still "
        "open and within its time limit, that same attempt is returned (200) instead of a new "
        "one. `expires_at` is `started_at` + `time_limit_minutes` (null without a limit). "
        "No attempts left (or no questions yet): 409. Not enrolled: 403; unpublished: 404.",
        request=None,
        responses={
            201: QuizStartSerializer,
            200: OpenApiResponse(QuizStartSerializer, description="The open attempt, resumed."),
            401: R401,
            403: R403,
            404: R404,
            409: OpenApiResponse(QuizErrorSerializer, description="No attempts left."),
        },
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        submission, created = services.quiz_attempt_start(
            quiz=self.get_object(), student=request.user
        )
        return Response(
            QuizStartSerializer(submission).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary="Submit answers and get the grade",
        description="Enrolled students. Grades `submission_id` (default: the open attempt; "
        "with none open, a new attempt is opened and graded at once, attempts permitting). "
        "Answers: `{question, choices: [ids]}` for choice questions, `{question, text}` for "
        "short answers; unanswered questions score 0. A question of another quiz, a choice "
        "of another question, or two answers to one question: 400 and nothing is saved. "
        "After `expires_at` plus a grace period: 400 and the attempt is closed, graded "
        "without the late answers. An attempt already submitted: 409. Per-question "
        "correctness is in `results` (`correct: null` while a short answer awaits review).",
        request=QuizSubmitSerializer,
        responses={
            201: QuizSubmitResultSerializer,
            400: R400,
            401: R401,
            403: R403,
            404: R404,
            409: OpenApiResponse(
                QuizErrorSerializer, description="Already submitted, or no attempts left."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        quiz = self.get_object()
        serializer = QuizSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.quiz_submission_submit(
            quiz=quiz,
            student=request.user,
            answers=serializer.validated_data["answers"],
            submission_id=serializer.validated_data.get("submission_id"),
        )
        return Response(QuizSubmitResultSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Results of a quiz",
        description="The course's instructor or an admin: submitted attempts, average and "
        "median percent, pass rate and each question's correct rate (hardest first).",
        responses={200: QuizResultsSerializer, 401: R401, 403: R403, 404: R404},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        return Response(QuizResultsSerializer(selectors.quiz_results(self.get_object())).data)


class QuestionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Question.Kind.choices)

    class Meta:
        model = Question
        fields = ["kind"]


@extend_schema_view(
    list=extend_schema(
        summary="List questions",
        description="Authors only (the course's instructor, admins); students 403.",
        parameters=[QUIZ_PARAM],
        responses={200: QuestionSerializer(many=True), 400: R400, 401: R401, 403: R403, 404: R404},
    ),
    retrieve=extend_schema(
        summary="A question with its choices",
        responses={200: QuestionSerializer, 401: R401, 403: R403, 404: R404},
    ),
    create=extend_schema(
        summary="Add a question",
        description="Choices are written with the question, atomically. single_choice and "
        "true_false: exactly one correct choice (true_false: exactly two choices); "
        "multiple_choice: at least one; short_answer: at least one accepted answer, no "
        "choices. `order` defaults to the end; later questions move down.",
        responses={201: QuestionSerializer, 400: R400, 401: R401, 403: R403, 409: QUESTIONS_409},
    ),
    update=extend_schema(
        summary="Replace a question",
        description="`choices`, when given, replace the old ones as a whole.",
        responses={
            200: QuestionSerializer,
            400: R400,
            401: R401,
            403: R403,
            404: R404,
            409: QUESTIONS_409,
        },
    ),
    partial_update=extend_schema(
        summary="Change a question",
        description="`choices`, when given, replace the old ones as a whole.",
        responses={
            200: QuestionSerializer,
            400: R400,
            401: R401,
            403: R403,
            404: R404,
            409: QUESTIONS_409,
        },
    ),
    destroy=extend_schema(
        summary="Delete a question",
        description="Later questions move up.",
        responses={204: None, 401: R401, 403: R403, 404: R404, 409: QUESTIONS_409},
    ),
)
class QuestionViewSet(viewsets.ModelViewSet):
    """Questions of a quiz with their choices, for the quiz's authors."""

    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter
    search_fields = ["text"]
    ordering_fields = ["order", "id"]
    permission_classes = [permissions.IsAuthenticated, IsInstructorOrAdmin, CanEditQuiz]

    def get_queryset(self):
        questions = selectors.questions_editable_by(self.request.user)
        if self.action != "list":
            return questions
        quiz_id = _int_param(self.request, "quiz_id")
        if quiz_id is None:
            return questions
        quiz = get_object_or_404(Quiz.objects.select_related("course"), pk=quiz_id)
        if not can_edit_course(self.request.user, quiz.course):
            raise PermissionDenied("Only this course's instructor or an admin can see questions.")
        return questions.filter(quiz_id=quiz_id)

    def _reloaded(self, question: Question) -> Question:
        return selectors.questions_editable_by(self.request.user).get(pk=question.pk)

    def create(self, request, *args, **kwargs):
        serializer = QuestionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        quiz = data.pop("quiz")
        if not can_edit_course(request.user, quiz.course):
            raise PermissionDenied("Only this course's instructor or an admin can add questions.")
        question = services.question_create(quiz=quiz, **data)
        return Response(
            QuestionSerializer(self._reloaded(question)).data, status=status.HTTP_201_CREATED
        )

    def update(self, request, *args, **kwargs):
        question = self.get_object()
        serializer = QuestionSerializer(
            question, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        question = services.question_update(question=question, data=serializer.validated_data)
        return Response(QuestionSerializer(self._reloaded(question)).data)

    def perform_destroy(self, instance):
        services.question_delete(question=instance)


class QuizSubmissionFilter(django_filters.FilterSet):
    quiz_id = django_filters.NumberFilter(field_name="quiz_id", help_text="Quiz id.")
    course_id = django_filters.NumberFilter(field_name="quiz__course_id", help_text="Course id.")
    student_id = django_filters.NumberFilter(field_name="student_id", help_text="Student id.")
    status = django_filters.ChoiceFilter(choices=QuizSubmission.Status.choices)

    class Meta:
        model = QuizSubmission
        fields = ["quiz_id", "course_id", "student_id", "status"]


@extend_schema_view(
    list=extend_schema(
        summary="List quiz attempts",
        description="A student sees their own; an instructor their courses'; an admin all.",
        responses={200: QuizSubmissionSerializer(many=True), 400: R400, 401: R401},
    ),
    retrieve=extend_schema(
        summary="An attempt with its answers",
        description="Correctness and points appear once the attempt is submitted; never "
        "the right answers. Another student's attempt: 404.",
        responses={200: QuizSubmissionDetailSerializer, 401: R401, 404: R404},
    ),
)
class QuizSubmissionViewSet(viewsets.ReadOnlyModelViewSet):
    """Students' attempts at quizzes, and hand grading of short answers."""

    serializer_class = QuizSubmissionSerializer
    filterset_class = QuizSubmissionFilter
    search_fields: list[str] = []
    ordering_fields = ["started_at", "submitted_at", "percent", "attempt"]

    def get_queryset(self):
        submissions = selectors.submissions_visible_to(self.request.user)
        if self.action == "list":
            return submissions
        return selectors.with_answers(submissions)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return QuizSubmissionDetailSerializer
        return QuizSubmissionSerializer

    def get_permissions(self):
        if self.action == "grade":
            return [permissions.IsAuthenticated(), IsInstructorOrAdmin(), CanEditQuiz()]
        return super().get_permissions()

    @extend_schema(
        summary="Grade short answers",
        description="The course's instructor or an admin gives `points` (0..the question's "
        "points) to short answers of a submitted attempt; the attempt is rescored, `passed` "
        "and `status` follow, and a pass may complete the course. Students 403; "
        "an attempt still open: 409.",
        request=QuizSubmissionGradeSerializer,
        responses={
            200: QuizSubmissionDetailSerializer,
            400: R400,
            401: R401,
            403: R403,
            404: R404,
            409: OpenApiResponse(QuizErrorSerializer, description="Not submitted yet."),
        },
    )
    @action(detail=True, methods=["patch"])
    def grade(self, request, pk=None):
        submission = self.get_object()
        serializer = QuizSubmissionGradeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.quiz_submission_grade(
            submission=submission, points=serializer.validated_data["answers"]
        )
        submission = self.get_queryset().get(pk=submission.pk)
        return Response(QuizSubmissionDetailSerializer(submission).data)
