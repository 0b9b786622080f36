"""Quizzes: authoring their settings, taking them (start, submit) and their results."""

from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lms.common.filters import id_parameter, id_query_param
from lms.common.permissions import IsInstructorOrAdmin, IsStudent, is_student
from lms.common.schema import (
    error_response,
    errors,
)
from lms.courses.errors import lesson_locked_response
from lms.courses.selectors import courses_visible_to, courses_with_readable_content
from lms.courses.viewsets import ParentScopedMixin

from .. import selectors, services
from ..limits import limits_for
from ..models import Quiz
from ..permissions import CanEditQuiz, CanReadQuiz, CanTakeQuiz
from ..serializers import (
    QuizAuthorDetailSerializer,
    QuizResultsSerializer,
    QuizSerializer,
    QuizStartSerializer,
    QuizStudentDetailSerializer,
    QuizSubmitResultSerializer,
    QuizSubmitSerializer,
)

#: A quiz bound to a lesson opens with it (sequential course, drip release).
LESSON_LOCKED = lesson_locked_response(
    "Not allowed (not enrolled), or the quiz's lesson is locked for the student."
)
COURSE_PARAM = id_parameter("course_id", "Only this course's quizzes (403 if you may not read it).")


@extend_schema_view(
    list=extend_schema(
        summary="List quizzes",
        description="Admins see all; an instructor their courses' quizzes; a student the "
        "published quizzes of the courses they are enrolled in. With `course_id` of a course "
        "the caller cannot read: 403 (404 when the course is not in their catalog).",
        parameters=[COURSE_PARAM],
        responses={
            200: QuizSerializer(many=True),
            **errors(400, 401, 403, 404),
        },
    ),
    retrieve=extend_schema(
        summary="A quiz with its questions",
        description="Authors (the course's instructor, admins) get the questions with choices, "
        "`is_correct` and `accepted_answers`. An enrolled student gets a published quiz's "
        "questions and choices without them (schema `QuizStudentDetail`); for a quiz with a "
        "time limit only while they hold an open attempt within its time (`start` first: "
        "the clock runs from then), else `questions` is empty (`question_count` still says "
        "how many). A student not enrolled: 403; an unpublished quiz: 404. A quiz bound to "
        "a lesson that is locked for the student: 403 `lesson_locked`. A student also gets "
        "`my_limits`: their effective attempts, time limit and due time (their "
        "accommodation applied) and the attempts they used. An ordering question's choices "
        "come shuffled for the student's current (or next) attempt, the same on every read "
        "of it; `numeric` questions show no answer or tolerance.",
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="QuizDetail",
                    serializers={
                        "author": QuizAuthorDetailSerializer,
                        "student": QuizStudentDetailSerializer,
                    },
                    resource_type_field_name="view",
                ),
                description="`QuizAuthorDetail` (`view: author`) for authors, `QuizStudentDetail` "
                "(`view: student`) for students.",
            ),
            **errors(401, 404),
            403: LESSON_LOCKED,
        },
    ),
    create=extend_schema(
        summary="Create a quiz",
        description="The course's instructor or an admin. `lesson` must belong to `course`.",
        responses={201: QuizSerializer, **errors(400, 401, 403)},
    ),
    update=extend_schema(
        summary="Replace a quiz's settings",
        description="The course's instructor or an admin; `course` cannot change.",
        responses={
            200: QuizSerializer,
            **errors(400, 401, 403, 404),
        },
    ),
    partial_update=extend_schema(
        summary="Change a quiz's settings",
        description="The course's instructor or an admin; `course` cannot change.",
        responses={
            200: QuizSerializer,
            **errors(400, 401, 403, 404),
        },
    ),
    destroy=extend_schema(
        summary="Delete a quiz",
        description="The course's instructor or an admin; a quiz with attempts: 409 "
        "(unpublish it instead).",
        responses={
            204: None,
            **errors(401, 403, 404),
            409: error_response("Students attempted it."),
        },
    ),
)
class QuizViewSet(ParentScopedMixin, viewsets.ModelViewSet):
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
                return selectors.with_questions_for_students(quizzes, student=user)
            return selectors.with_questions_for_authors(quizzes)
        return quizzes

    def _filtered(self, quizzes):
        user = self.request.user
        course_id = id_query_param(self.request, "course_id")
        self.require_readable_parent(
            course_id,
            findable=courses_visible_to(user),
            readable=courses_with_readable_content(user),
            denied="Enroll in this course to see its quizzes.",
            not_found="No such course.",
        )
        return quizzes if course_id is None else quizzes.filter(course_id=course_id)

    def get_serializer_class(self):
        if self.action == "retrieve":
            if is_student(self.request.user):
                return QuizStudentDetailSerializer
            return QuizAuthorDetailSerializer
        return QuizSerializer

    def retrieve(self, request, *args, **kwargs):
        quiz = self.get_object()
        if not is_student(request.user):
            return Response(QuizAuthorDetailSerializer(quiz).data)
        limits = limits_for(quiz, request.user)
        quiz.my_limits = limits.as_dict()
        shuffle = {
            "student_id": request.user.pk,
            "quiz_id": quiz.pk,
            "attempt": selectors.attempt_shown(quiz=quiz, student=request.user, limits=limits),
        }
        return Response(QuizStudentDetailSerializer(quiz, context={"shuffle": shuffle}).data)

    def _reloaded(self, quiz: Quiz) -> Quiz:
        return selectors.quizzes_findable_by(self.request.user).get(pk=quiz.pk)

    def create(self, request, *args, **kwargs):
        serializer = QuizSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        course = data.pop("course")
        self.require_editable(course, "Only this course's instructor or an admin can add quizzes.")
        quiz = services.quiz_create(course=course, **data)
        return Response(QuizSerializer(self._reloaded(quiz)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        quiz = self.get_object()
        serializer = QuizSerializer(
            quiz,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
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
        responses={
            201: QuizAuthorDetailSerializer,
            **errors(401, 403, 404),
        },
    )
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk=None):
        copy = services.quiz_duplicate(quiz=self.get_object())
        copy = selectors.with_questions_for_authors(
            selectors.quizzes_findable_by(request.user)
        ).get(pk=copy.pk)
        return Response(QuizAuthorDetailSerializer(copy).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start an attempt",
        description="Enrolled students. Opens attempt n+1 (201). An attempt still open is "
        "closed first and graded on the answers saved on it (as when its time runs out), so "
        "every `start` uses up an attempt. `expires_at` is `started_at` + "
        "`time_limit_minutes` (null without a limit); on a timed quiz the questions are "
        "served (`GET /quizzes/{id}/`) only from now on. No attempts left (or no questions "
        "yet): 409, and an open attempt stays open. Not enrolled: 403; unpublished: 404. "
        "To resume after a page reload, do not start again: find the open attempt with "
        "`GET /quiz-submissions/?quiz_id={id}&status=in_progress` and restore its form "
        "with `GET /quiz-submissions/{submission_id}/answers/`. Windows: before "
        "`available_from` 409 `quiz_not_open`, after the student's due time (the quiz's "
        "`due_at`, or their accommodation's) 409 `quiz_closed`; `expires_at` is then the "
        "earlier of the time limit (plus the accommodation's extra minutes) and the due "
        "time. The accommodation's extra attempts add to `max_attempts`.",
        request=None,
        responses={
            201: QuizStartSerializer,
            **errors(401, 404),
            403: LESSON_LOCKED,
            409: error_response(
                "`code`: `quiz_not_open`, `quiz_closed`, `attempts_exhausted`, or "
                "`quiz_empty` (no questions yet)."
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        submission = services.quiz_attempt_start(quiz=self.get_object(), student=request.user)
        return Response(QuizStartSerializer(submission).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Submit answers and get the grade",
        description="Enrolled students. Grades `submission_id` (default: the open attempt; "
        "with none open, a quiz without a time limit opens a new attempt and grades it at "
        "once, attempts permitting, while a timed quiz answers 409: its clock starts with "
        "`start`, never with the submit). "
        "Answers: `{question, choices: [ids]}` for choice questions, `{question, text}` for "
        "short answers, `{question, number}` for numeric questions and `{question, order: "
        "[choice ids]}` (each choice exactly once, else 400) for ordering questions; "
        "unanswered questions score 0. A question of another quiz, a choice "
        "of another question, or two answers to one question: 400 and nothing is saved. "
        "Answers saved with `PUT /quiz-submissions/{id}/answers/` are graded too; an answer "
        "in this body replaces the saved one to its question. After `expires_at` plus a "
        "grace period (or the student's due time plus the grace): 400 and the attempt is "
        "closed, graded on its saved answers only. "
        "An attempt already submitted: 409. Per-question "
        "correctness is in `results` (`correct: null` while a short answer awaits review).",
        request=QuizSubmitSerializer,
        responses={
            201: QuizSubmitResultSerializer,
            **errors(400, 401, 404),
            403: LESSON_LOCKED,
            409: error_response(
                "Already submitted, a timed quiz not started, or (opening an attempt) "
                "`code` `quiz_not_open`, `quiz_closed` or `attempts_exhausted`."
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
        responses={200: QuizResultsSerializer, **errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        return Response(QuizResultsSerializer(selectors.quiz_results(self.get_object())).data)
