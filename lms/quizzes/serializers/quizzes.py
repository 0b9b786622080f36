"""Quizzes and questions as authors and students read them; students' never carry answers."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.courses.models import Course, Lesson
from lms.courses.selectors import courses_visible_to

from ..models import Choice, Question, Quiz
from ..selectors import quizzes_findable_by
from ..shuffle import attempt_order


def _caller(serializer):
    """The user of the request in the context (None when built without one)."""
    return getattr(serializer.context.get("request"), "user", None)


def number_field(**kwargs) -> serializers.DecimalField:
    """A number as numeric questions store it: up to 12 digits before the point and 6 after."""
    return serializers.DecimalField(
        max_digits=18, decimal_places=6, coerce_to_string=False, **kwargs
    )


def points_field(**kwargs) -> serializers.DecimalField:
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
    available_from = serializers.DateTimeField(
        allow_null=True, required=False, help_text="Attempts start from then on (null: at once)."
    )
    due_at = serializers.DateTimeField(
        allow_null=True,
        required=False,
        help_text="After `available_from` (else 400). No attempt starts after it, and open "
        "attempts close at it (plus the grace period), graded on their saved answers.",
    )
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
            "available_from",
            "due_at",
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
    numeric_answer = number_field(
        allow_null=True, required=False, help_text="numeric questions only: the right number."
    )
    tolerance = number_field(
        allow_null=True,
        required=False,
        min_value=0,
        help_text="numeric questions only: an answer within this distance of "
        "`numeric_answer` is right (default 0).",
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
        fields = [
            "id",
            "quiz",
            "text",
            "kind",
            "points",
            "order",
            "choices",
            "accepted_answers",
            "numeric_answer",
            "tolerance",
        ]
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
    """A question as a student sees it: never its answer; an ordering question's choices
    shuffled for the attempt (context `shuffle`: student id and attempt number)."""

    choices = serializers.SerializerMethodField(
        help_text="An ordering question's choices come shuffled, the same way throughout "
        "an attempt: their order here is not the answer."
    )

    class Meta:
        model = Question
        fields = ["id", "text", "kind", "points", "order", "choices"]
        read_only_fields = fields

    @extend_schema_field(StudentChoiceSerializer(many=True))
    def get_choices(self, question: Question) -> list[dict]:
        choices = list(question.choices.all())
        if question.kind == Question.Kind.ORDERING:
            choices = attempt_order(choices, question_id=question.pk, **self.context["shuffle"])
        return StudentChoiceSerializer(choices, many=True).data


class MyLimitsSerializer(serializers.Serializer):
    """A student's effective limits at a quiz, their accommodation applied."""

    max_attempts = serializers.IntegerField(allow_null=True, help_text="null: unlimited.")
    attempts_used = serializers.IntegerField()
    time_limit_minutes = serializers.IntegerField(allow_null=True, help_text="null: none.")
    due_at = serializers.DateTimeField(allow_null=True, help_text="null: none.")


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
    my_limits = MyLimitsSerializer(read_only=True)

    class Meta(QuizSerializer.Meta):
        fields = [*QuizSerializer.Meta.fields, "view", "questions", "my_limits"]
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
    average_percent = points_field(allow_null=True)
    median_percent = points_field(allow_null=True)
    pass_rate = serializers.FloatField(allow_null=True, help_text="0..1 of submitted attempts.")
    questions = QuizResultsQuestionSerializer(many=True, help_text="Hardest first.")
