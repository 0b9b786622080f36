"""Demo quizzes: one per demo course with every question kind, a few graded attempts and an
accommodation."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from lms.courses.models import Course
from lms.enrollments.completion import enrollment_completion_check
from lms.enrollments.selectors import is_enrolled

from .models import Accommodation, Question, Quiz, QuizSubmission
from .services import accommodation_create, question_create, quiz_submission_submit

Kind = Question.Kind

# slug: (title, settings, [(kind, text, points, choices [(text, correct)], accepted answers)
#        + numeric questions' {numeric_answer, tolerance}]); an ordering question's choices
#        are listed in their right order.
QUIZZES = {
    "python-fundamentals": (
        "Python basics check",
        {"max_attempts": 3, "pass_percent": 60, "time_limit_minutes": None},
        [
            (
                Kind.SINGLE_CHOICE,
                "Which keyword defines a function?",
                1,
                [("def", True), ("func", False), ("function", False)],
                [],
            ),
            (
                Kind.MULTIPLE_CHOICE,
                "Which of these types are immutable?",
                2,
                [("tuple", True), ("str", True), ("list", False), ("dict", False)],
                [],
            ),
            (
                Kind.TRUE_FALSE,
                "Python lists are indexed from zero.",
                1,
                [("True", True), ("False", False)],
                [],
            ),
            (Kind.SHORT_ANSWER, "What does len([1, 2, 3]) return?", 1, [], ["3", "three"]),
        ],
    ),
    "django-rest-apis": (
        "REST fundamentals",
        {"max_attempts": 2, "pass_percent": 70, "time_limit_minutes": 15},
        [
            (
                Kind.SINGLE_CHOICE,
                "Which status code means a resource was created?",
                1,
                [("201", True), ("200", False), ("204", False), ("302", False)],
                [],
            ),
            (
                Kind.MULTIPLE_CHOICE,
                "Which HTTP methods are idempotent?",
                2,
                [("GET", True), ("PUT", True), ("DELETE", True), ("POST", False)],
                [],
            ),
            (
                Kind.TRUE_FALSE,
                "One DRF ViewSet can serve both list and detail routes.",
                1,
                [("True", True), ("False", False)],
                [],
            ),
            (
                Kind.SHORT_ANSWER,
                "Which DRF class turns model instances into JSON?",
                1,
                [],
                ["ModelSerializer", "serializer"],
            ),
            (
                Kind.NUMERIC,
                "Which status code means Not Found?",
                1,
                [],
                [],
                {"numeric_answer": Decimal("404"), "tolerance": Decimal("0")},
            ),
            (
                Kind.ORDERING,
                "Order these by how a DRF request is handled.",
                1,
                [("Authentication", False), ("Permissions", False), ("Throttling", False)],
                [],
            ),
        ],
    ),
    "data-science-draft": (
        "Data warm-up",
        {"max_attempts": None, "pass_percent": 50, "time_limit_minutes": 10},
        [
            (
                Kind.SINGLE_CHOICE,
                "Which library provides the DataFrame?",
                1,
                [("pandas", True), ("requests", False), ("pytest", False)],
                [],
            ),
            (
                Kind.MULTIPLE_CHOICE,
                "Which are measures of central tendency?",
                1,
                [("mean", True), ("median", True), ("variance", False)],
                [],
            ),
            (
                Kind.TRUE_FALSE,
                "Correlation implies causation.",
                1,
                [("True", False), ("False", True)],
                [],
            ),
            (Kind.SHORT_ANSWER, "What is the median of 1, 3 and 5?", 1, [], ["3", "three"]),
            (
                Kind.NUMERIC,
                "What is the mean of 1, 2 and 4? (two decimals)",
                1,
                [],
                [],
                {"numeric_answer": Decimal("2.33"), "tolerance": Decimal("0.01")},
            ),
            (
                Kind.ORDERING,
                "Order from smallest to largest.",
                1,
                [("0.1", False), ("0.5", False), ("2", False), ("10", False)],
                [],
            ),
        ],
    ),
    # li learns here (lms/enrollments/demo.py): a quiz with the numeric and ordering kinds.
    "git-step-by-step": (
        "Git in numbers and steps",
        {"max_attempts": 3, "pass_percent": 50},
        [
            (
                Kind.NUMERIC,
                "How many hexadecimal characters has a full SHA-1 commit id?",
                1,
                [],
                [],
                {"numeric_answer": Decimal("40"), "tolerance": Decimal("0")},
            ),
            (
                Kind.ORDERING,
                "Put the steps of saving a change in order.",
                1,
                [("git add", False), ("git commit", False), ("git push", False)],
                [],
            ),
        ],
    ),
}


def _quiz_for(slug: str, stdout) -> Quiz | None:
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        stdout.write(f"  quizzes: course {slug!r} is missing, skipped")
        return None
    title, settings, questions = QUIZZES[slug]
    quiz, created = Quiz.objects.update_or_create(
        course=course, title=title, defaults={**settings, "is_published": True}
    )
    if not quiz.questions.exists():
        for kind, text, points, choices, accepted, *numeric in questions:
            question_create(
                quiz=quiz,
                text=text,
                kind=kind,
                points=points,
                choices=[{"text": t, "is_correct": c} for t, c in choices],
                accepted_answers=accepted,
                **(numeric[0] if numeric else {}),
            )
    stdout.write(
        f"  quizzes: {'created' if created else 'kept'} {quiz.title!r} in {slug} "
        f"({quiz.questions.count()} questions)"
    )
    return quiz


def _answers(quiz: Quiz, *, short_text: str | None = None) -> list[dict]:
    """Right answers to every question; `short_text` replaces the short answer's."""
    answers = []
    for question in quiz.questions.prefetch_related("choices"):
        if question.kind == Kind.SHORT_ANSWER:
            text = short_text if short_text is not None else question.accepted_answers[0]
            answers.append({"question": question.pk, "text": text})
        elif question.kind == Kind.NUMERIC:
            answers.append({"question": question.pk, "number": question.numeric_answer})
        elif question.kind == Kind.ORDERING:
            order = [c.pk for c in question.choices.all()]  # authored order (Meta.ordering)
            answers.append({"question": question.pk, "order": order})
        else:
            correct = [c.pk for c in question.choices.all() if c.is_correct]
            answers.append({"question": question.pk, "choices": correct})
    return answers


def _attempt(quiz: Quiz, email: str, stdout, *, short_text: str | None = None) -> None:
    student = get_user_model().objects.filter(email=email).first()
    if student is None or not is_enrolled(student, quiz.course_id):
        stdout.write(f"  quizzes: {email} is not enrolled in {quiz.course.slug}, no attempt")
        return
    if QuizSubmission.objects.filter(quiz=quiz, student=student).exists():
        stdout.write(f"  quizzes: {email} already attempted {quiz.title!r}")
        return
    submission = quiz_submission_submit(
        quiz=quiz, student=student, answers=_answers(quiz, short_text=short_text)
    )
    stdout.write(
        f"  quizzes: {email} scored {submission.percent}% on {quiz.title!r} ({submission.status})"
    )


def seed(stdout) -> None:
    """Create the demo quizzes and attempts; running it twice changes nothing."""
    quizzes = {slug: _quiz_for(slug, stdout) for slug in QUIZZES}
    python = quizzes["python-fundamentals"]
    if python is None:
        return
    _attempt(python, "li@example.com", stdout)
    li = get_user_model().objects.filter(email="li@example.com").first()
    if li is not None:
        done = enrollment_completion_check(student=li, course_id=python.course_id)
        stdout.write(
            f"  quizzes: li's course completion check: {'completed' if done else 'not yet'}"
        )
    _attempt(python, "maria@example.com", stdout, short_text="the number of items")
    _accommodation(python, "noor@example.com", stdout)


def _accommodation(quiz: Quiz, email: str, stdout) -> None:
    """Extra time and one more attempt for a student (as for a documented need)."""
    student = get_user_model().objects.filter(email=email).first()
    if student is None or not is_enrolled(student, quiz.course_id):
        stdout.write(f"  quizzes: {email} is not enrolled in {quiz.course.slug}, no accommodation")
        return
    if Accommodation.objects.filter(quiz=quiz, student=student).exists():
        stdout.write(f"  quizzes: {email} already has an accommodation at {quiz.title!r}")
        return
    accommodation_create(
        quiz=quiz,
        student=student,
        acting_user=quiz.course.instructor,
        extra_minutes=10,
        extra_attempts=1,
    )
    stdout.write(f"  quizzes: {email} gets 10 extra minutes and 1 extra attempt at {quiz.title!r}")
