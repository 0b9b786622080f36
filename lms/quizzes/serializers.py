"""Quiz representations: authors see answers; students' serializers never carry them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.courses.models import Course, Lesson
from lms.courses.selectors import courses_visible_to
from lms.users.serializers import UserSummaryWithEmailSerializer

from .models import Answer, Choice, Question, Quiz, QuizSubmission
from .selectors import quizzes_findable_by


def _caller(serializer):
    """The user of the request in the context (None when built without one)."""
    return getattr(serializer.context.get("request"), "user", None)


def _points(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=8, decimal_places=2, coerce_to_string=False, **kwargs
    )


# --- quizzes -------------------------------------------------------------------------


class QuizSerializer(serializers.ModelSerializer):
    """A quiz's settings, as every reader of it sees them."""

    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
    lesson = serializers.PrimaryKeyRelatedField(
        queryset=Lesson.objects.select_related("module"), allow_null=True, required=False
    )
    time_limit_minutes = serializers.IntegerField(
        min_value=1, max_value=24 * 60, allow_null=True, required=False
    )
    max_attempts = serializers.IntegerField(
        min_value=1, max_value=100, allow_null=True, required=False
    )
    pass_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    question_count = serializers.IntegerField(read_only=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        if user is not None and not self.fields["course"].read_only:
            # A course or lesson the caller cannot see reads as one that does not exist.
            visible = courses_visible_to(user).values("pk")
            self.fields["course"].queryset = Course.objects.filter(pk__in=visible)
            self.fields["lesson"].queryset = Lesson.objects.select_related("module").filter(
                module__course__in=visible
            )

    class Meta:
        model = Quiz
        fields = [
            "id",
            "course",
            "lesson",
            "title",
            "description",
            "time_limit_minutes",
            "max_attempts",
            "pass_percent",
            "is_published",
            "question_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "question_count", "created_at", "updated_at"]


class ChoiceSerializer(serializers.ModelSerializer):
    """A choice as its author sees it, with `is_correct`."""

    text = serializers.CharField(max_length=500)
    is_correct = serializers.BooleanField(default=False)

    class Meta:
        model = Choice
        fields = ["id", "text", "is_correct"]
        read_only_fields = ["id"]


class QuestionSerializer(serializers.ModelSerializer):
    """A question with its choices and accepted answers (authors only)."""

    quiz = serializers.PrimaryKeyRelatedField(queryset=Quiz.objects.select_related("course"))
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    points = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    order = serializers.IntegerField(min_value=1, required=False)
    choices = ChoiceSerializer(many=True, required=False, max_length=50)
    accepted_answers = serializers.ListField(
        child=serializers.CharField(max_length=500), required=False, max_length=50
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _caller(self)
        if user is not None:
            # A quiz the caller cannot find reads as one that does not exist.
            findable = quizzes_findable_by(user).values("pk")
            self.fields["quiz"].queryset = Quiz.objects.select_related("course").filter(
                pk__in=findable
            )

    class Meta:
        model = Question
        fields = ["id", "quiz", "text", "kind", "points", "order", "choices", "accepted_answers"]
        read_only_fields = ["id"]
        # `order` is optional (default: last); the service keeps it dense and unique.
        validators: list = []


class QuizAuthorDetailSerializer(QuizSerializer):
    """A quiz with its questions, choices and accepted answers (authors only)."""

    view = serializers.ChoiceField(
        choices=["author"], read_only=True, default="author", help_text="Which view this is."
    )
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta(QuizSerializer.Meta):
        fields = [*QuizSerializer.Meta.fields, "view", "questions"]


class StudentChoiceSerializer(serializers.ModelSerializer):
    """A choice as a student sees it: never whether it is correct."""

    class Meta:
        model = Choice
        fields = ["id", "text"]
        read_only_fields = fields


class StudentQuestionSerializer(serializers.ModelSerializer):
    """A question as a student sees it: never its accepted answers."""

    choices = StudentChoiceSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "text", "kind", "points", "order", "choices"]
        read_only_fields = fields


class QuizStudentDetailSerializer(QuizSerializer):
    """A published quiz for an enrolled student: questions and choices, no answers."""

    view = serializers.ChoiceField(
        choices=["student"], read_only=True, default="student", help_text="Which view this is."
    )
    questions = StudentQuestionSerializer(
        many=True,
        read_only=True,
        help_text="With a time limit: only while you hold an open attempt within its time "
        "(`start` first), else empty.",
    )

    class Meta(QuizSerializer.Meta):
        fields = [*QuizSerializer.Meta.fields, "view", "questions"]
        read_only_fields = fields


class QuizResultsQuestionSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    order = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    answered = serializers.IntegerField(help_text="Submitted answers to this question.")
    correct = serializers.IntegerField(help_text="Answers that earned full points.")
    correct_rate = serializers.FloatField(allow_null=True, help_text="0..1; null when unanswered.")


class QuizResultsSerializer(serializers.Serializer):
    quiz = serializers.IntegerField()
    attempts = serializers.IntegerField(help_text="Submitted attempts (graded or in review).")
    students = serializers.IntegerField()
    needs_review = serializers.IntegerField()
    average_percent = _points(allow_null=True)
    median_percent = _points(allow_null=True)
    pass_rate = serializers.FloatField(allow_null=True, help_text="0..1 of submitted attempts.")
    questions = QuizResultsQuestionSerializer(many=True, help_text="Hardest first.")


# --- taking a quiz -------------------------------------------------------------------


class QuizStartSerializer(serializers.ModelSerializer):
    submission_id = serializers.IntegerField(source="pk", read_only=True)

    class Meta:
        model = QuizSubmission
        fields = ["submission_id", "attempt", "started_at", "expires_at"]
        read_only_fields = fields


class SubmitAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    choices = serializers.ListField(
        child=serializers.IntegerField(), required=False, max_length=50, allow_empty=True
    )
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class QuizSubmitSerializer(serializers.Serializer):
    submission_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="The attempt from `start`; default: the open one.",
    )
    answers = SubmitAnswerSerializer(many=True, max_length=500)


class QuizAnswersSaveSerializer(serializers.Serializer):
    answers = SubmitAnswerSerializer(
        many=True,
        max_length=500,
        help_text="Each replaces the saved answer to its question; other saved answers stay.",
    )


class SavedAnswerSerializer(serializers.ModelSerializer):
    """An answer saved on an open attempt: what was chosen or written, nothing more."""

    choices = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Answer
        fields = ["question", "choices", "text"]
        read_only_fields = fields


class QuizSavedAnswersSerializer(serializers.ModelSerializer):
    """An open attempt with every answer saved on it so far."""

    submission_id = serializers.IntegerField(source="pk", read_only=True)
    answers = SavedAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = QuizSubmission
        fields = ["submission_id", "quiz", "attempt", "started_at", "expires_at", "answers"]
        read_only_fields = fields


class QuestionResultSerializer(serializers.ModelSerializer):
    question = serializers.IntegerField(source="question_id")
    correct = serializers.BooleanField(source="is_correct", allow_null=True)
    awarded_points = _points(allow_null=True)

    class Meta:
        model = Answer
        fields = ["question", "correct", "awarded_points"]
        read_only_fields = fields


class QuizSubmitResultSerializer(serializers.ModelSerializer):
    """The graded attempt, with per-question correctness (`null` while in review)."""

    score = _points()
    max_score = _points()
    percent = _points()
    results = QuestionResultSerializer(source="answers", many=True, read_only=True)

    class Meta:
        model = QuizSubmission
        fields = [
            "id",
            "quiz",
            "attempt",
            "score",
            "max_score",
            "percent",
            "passed",
            "status",
            "submitted_at",
            "results",
        ]
        read_only_fields = fields


# --- review --------------------------------------------------------------------------


class SubmissionStudentSerializer(UserSummaryWithEmailSerializer):
    # Keeps the schema component `SubmissionStudent` as it was: every field read-only.
    class Meta(UserSummaryWithEmailSerializer.Meta):
        read_only_fields = UserSummaryWithEmailSerializer.Meta.fields


class QuizSubmissionSerializer(serializers.ModelSerializer):
    """An attempt and its score."""

    course = serializers.IntegerField(source="quiz.course_id", read_only=True)
    student = SubmissionStudentSerializer(read_only=True)
    score = _points()
    max_score = _points()
    percent = _points()

    class Meta:
        model = QuizSubmission
        fields = [
            "id",
            "quiz",
            "course",
            "student",
            "attempt",
            "started_at",
            "expires_at",
            "submitted_at",
            "score",
            "max_score",
            "percent",
            "passed",
            "status",
        ]
        read_only_fields = fields


class SubmissionAnswerSerializer(serializers.ModelSerializer):
    """What was answered to a question and the points it earned (never the right answer)."""

    question_text = serializers.CharField(source="question.text", read_only=True)
    kind = serializers.ChoiceField(
        choices=Question.Kind.choices, source="question.kind", read_only=True
    )
    max_points = serializers.IntegerField(source="question.points", read_only=True)
    choices = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    correct = serializers.BooleanField(source="is_correct", allow_null=True, read_only=True)
    awarded_points = _points(allow_null=True, read_only=True)

    class Meta:
        model = Answer
        fields = [
            "question",
            "question_text",
            "kind",
            "max_points",
            "choices",
            "text",
            "awarded_points",
            "correct",
        ]
        read_only_fields = fields


class QuizSubmissionDetailSerializer(QuizSubmissionSerializer):
    """An attempt with its answers; correctness appears once the attempt is submitted."""

    answers = serializers.SerializerMethodField()

    class Meta(QuizSubmissionSerializer.Meta):
        fields = [*QuizSubmissionSerializer.Meta.fields, "answers"]
        read_only_fields = fields

    @extend_schema_field(SubmissionAnswerSerializer(many=True))
    def get_answers(self, submission: QuizSubmission) -> list[dict]:
        if submission.status == QuizSubmission.Status.IN_PROGRESS:
            return []
        return SubmissionAnswerSerializer(submission.answers.all(), many=True).data


class GradeAnswerSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=8, decimal_places=2)


class QuizSubmissionGradeSerializer(serializers.Serializer):
    answers = GradeAnswerSerializer(many=True, min_length=1, max_length=500)
