"""Server-side grading: checking answers, and `submission_grade`, the one way to score."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from lms.common.exceptions import DomainError

from .models import Answer, Choice, Question, Quiz, QuizSubmission

Kind = Question.Kind
Status = QuizSubmission.Status
ONE_CORRECT_KINDS = (Kind.SINGLE_CHOICE, Kind.TRUE_FALSE)
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


class AnswersInvalid(DomainError):
    """Answers that do not fit the quiz (400): one error object per given item, in order."""


@dataclass
class AnswerInput:
    """One validated answer: the question and what the student chose or wrote."""

    question: Question
    choices: list[Choice] = field(default_factory=list)
    text: str = ""
    #: A numeric question's answer (None: not answered).
    number: Decimal | None = None
    #: An ordering question's choice ids in the student's order (empty: not answered).
    order: list[int] = field(default_factory=list)


#: The answer fields each kind takes; any other one given is a 400.
FIELD_OF_KIND = {
    Kind.SHORT_ANSWER: "text",
    Kind.NUMERIC: "number",
    Kind.ORDERING: "order",
}
ANSWER_WITH = {
    "choices": "Answer a choice question with `choices`.",
    "text": "Answer a short-answer question with `text`.",
    "number": "Answer a numeric question with `number`.",
    "order": "Answer an ordering question with `order`.",
}


def _wrong_field(question: Question, raw: dict) -> dict | None:
    """The error for an answer field that does not fit the question's kind, if any."""
    expected = FIELD_OF_KIND.get(question.kind, "choices")
    given = {
        "choices": bool(raw.get("choices")),
        "text": bool((raw.get("text") or "").strip()),
        "number": raw.get("number") is not None,
        "order": bool(raw.get("order")),
    }
    for name, present in given.items():
        if present and name != expected:
            return {name: [ANSWER_WITH[expected]]}
    return None


def _validated_order(question: Question, order: list[int]) -> dict | None:
    """The error of an ordering answer that is not every choice exactly once, if any."""
    if order and sorted(order) != sorted(c.pk for c in question.choices.all()):
        return {"order": ["Give every choice of this question exactly once."]}
    return None


def validated_answers(quiz: Quiz, raw_answers: list[dict]) -> list[AnswerInput]:
    """Check every answer belongs to this quiz and fits its question's kind (400 otherwise)."""
    questions = {q.pk: q for q in quiz.questions.prefetch_related("choices").order_by("order")}
    errors: dict[int, dict] = {}
    seen: set[int] = set()
    validated = []
    for index, raw in enumerate(raw_answers):
        question = questions.get(raw["question"])
        if question is None:
            errors[index] = {"question": ["This question is not part of this quiz."]}
            continue
        if question.pk in seen:
            errors[index] = {"question": ["This question is answered twice."]}
            continue
        seen.add(question.pk)
        wrong = _wrong_field(question, raw)
        if wrong:
            errors[index] = wrong
            continue
        chosen_ids = raw.get("choices") or []
        if question.kind == Kind.SHORT_ANSWER:
            validated.append(AnswerInput(question=question, text=(raw.get("text") or "").strip()))
            continue
        if question.kind == Kind.NUMERIC:
            validated.append(AnswerInput(question=question, number=raw.get("number")))
            continue
        if question.kind == Kind.ORDERING:
            order = list(raw.get("order") or [])
            errors_of_order = _validated_order(question, order)
            if errors_of_order:
                errors[index] = errors_of_order
                continue
            validated.append(AnswerInput(question=question, order=order))
            continue
        by_id = {c.pk: c for c in question.choices.all()}
        if any(pk not in by_id for pk in chosen_ids):
            errors[index] = {"choices": ["A choice does not belong to this question."]}
            continue
        if len(set(chosen_ids)) != len(chosen_ids):
            errors[index] = {"choices": ["A choice is given twice."]}
            continue
        if question.kind in ONE_CORRECT_KINDS and len(chosen_ids) > 1:
            errors[index] = {"choices": ["Choose one option."]}
            continue
        validated.append(AnswerInput(question=question, choices=[by_id[pk] for pk in chosen_ids]))
    if errors:
        raise AnswersInvalid({"answers": [errors.get(i, {}) for i in range(len(raw_answers))]})
    return validated


def score_answer(
    question: Question, given: AnswerInput | None
) -> tuple[Decimal | None, bool | None]:
    """(awarded points, correct) for one question; (None, None) waits for an instructor."""
    full = Decimal(question.points)
    if question.kind == Kind.NUMERIC:
        number = given.number if given else None
        if number is not None and abs(number - question.numeric_answer) <= question.tolerance:
            return full, True
        return Decimal(0), False
    if question.kind == Kind.ORDERING:
        authored = [c.pk for c in sorted(question.choices.all(), key=lambda c: (c.position, c.pk))]
        if given and given.order == authored:
            return full, True
        return Decimal(0), False
    if question.kind == Kind.SHORT_ANSWER:
        text = given.text if given else ""
        if not text:
            return Decimal(0), False
        accepted = {a.strip().casefold() for a in question.accepted_answers}
        if text.casefold() in accepted:
            return full, True
        return None, None
    chosen = {c.pk for c in given.choices} if given else set()
    correct = {c.pk for c in question.choices.all() if c.is_correct}
    if chosen and chosen == correct:
        return full, True
    return Decimal(0), False


def saved_answers(submission: QuizSubmission) -> list[AnswerInput]:
    """The answers stored on an attempt so far (saved while it is open)."""
    stored = submission.answers.select_related("question").prefetch_related("choices")
    return [
        AnswerInput(
            question=a.question,
            choices=list(a.choices.all()),
            text=a.text,
            number=a.number,
            order=list(a.choice_order),
        )
        for a in stored
    ]


def _store(submission: QuizSubmission, answers: list[AnswerInput], scores: list[tuple]) -> None:
    """Write one Answer row (with its choices) per item; `scores` are (points, correct) pairs."""
    rows = [
        Answer(
            submission=submission,
            question=answer.question,
            text=answer.text,
            number=answer.number,
            choice_order=answer.order,
            awarded_points=points,
            is_correct=correct,
        )
        for answer, (points, correct) in zip(answers, scores, strict=True)
    ]
    Answer.objects.bulk_create(rows)
    if rows and rows[0].pk is None:  # backends without RETURNING
        by_question = {a.question_id: a for a in submission.answers.all()}
        rows = [by_question[row.question_id] for row in rows]
    Answer.choices.through.objects.bulk_create(
        [
            Answer.choices.through(answer_id=row.pk, choice_id=choice.pk)
            for row, answer in zip(rows, answers, strict=True)
            for choice in answer.choices
        ]
    )


def save_answers(submission: QuizSubmission, answers: list[AnswerInput]) -> None:
    """Store validated answers on an open attempt, replacing earlier ones to the same questions.

    Saved answers carry no points and no correctness until the attempt is graded.
    """
    submission.answers.filter(question__in=[a.question.pk for a in answers]).delete()
    _store(submission, answers, [(None, None)] * len(answers))


def submission_grade(
    submission: QuizSubmission,
    *,
    now=None,
    answers: Sequence[AnswerInput] = (),
    review_points: Sequence[dict] = (),
) -> QuizSubmission:
    """Score an attempt and save score, percent, status and `passed`: the one way it is graded.

    An open attempt is closed at `now`: its saved answers merged with `answers` (these win
    per question) are scored automatically, one stored answer per question of the quiz. A
    submitted attempt takes an instructor's `review_points` (`[{question, points}]`, short
    answers only; 400 otherwise) and is rescored. Course completion is the caller's next step.
    """
    if submission.status == Status.IN_PROGRESS:
        awarded = _close(submission, answers, now)
    else:
        awarded = _review(submission, review_points)
    _apply_score(submission, awarded)
    return submission


def _close(submission: QuizSubmission, answers: Sequence[AnswerInput], now) -> list[Decimal | None]:
    given = {a.question.pk: a for a in saved_answers(submission)}
    given.update({a.question.pk: a for a in answers})
    submission.answers.all().delete()
    questions = list(submission.quiz.questions.prefetch_related("choices").order_by("order"))
    final = [given.get(q.pk) or AnswerInput(question=q) for q in questions]
    scores = [score_answer(q, given.get(q.pk)) for q in questions]
    _store(submission, final, scores)
    submission.max_score = sum((Decimal(q.points) for q in questions), Decimal(0))
    submission.submitted_at = now
    return [points for points, _ in scores]


def review_points_check(submission: QuizSubmission, points: Sequence[dict]) -> dict[int, Answer]:
    """Check an instructor's `[{question, points}]` against the attempt's answers (400 if
    one is not a short answer of it, is given twice or is out of range); its answers."""
    answers = {a.question_id: a for a in submission.answers.select_related("question")}
    errors: dict[int, dict] = {}
    seen: set[int] = set()
    for index, item in enumerate(points):
        answer = answers.get(item["question"])
        if answer is None:
            errors[index] = {"question": ["This question is not part of this attempt."]}
        elif answer.question.kind != Kind.SHORT_ANSWER:
            errors[index] = {"question": ["Only short answers are graded by hand."]}
        elif answer.question_id in seen:
            errors[index] = {"question": ["This question is graded twice."]}
        elif not 0 <= item["points"] <= answer.question.points:
            errors[index] = {"points": [f"Must be between 0 and {answer.question.points}."]}
        seen.add(item["question"])
    if errors:
        raise AnswersInvalid({"answers": [errors.get(i, {}) for i in range(len(points))]})
    return answers


def _review(submission: QuizSubmission, points: Sequence[dict]) -> list[Decimal | None]:
    answers = review_points_check(submission, points)
    for item in points:
        answer = answers[item["question"]]
        answer.awarded_points = item["points"]
        answer.is_correct = item["points"] == answer.question.points
        answer.save(update_fields=["awarded_points", "is_correct"])
    return [a.awarded_points for a in answers.values()]


def _apply_score(submission: QuizSubmission, awarded: list[Decimal | None]) -> None:
    """Set score, percent, status and `passed` from the awarded points and save them."""
    submission.score = sum((p for p in awarded if p is not None), Decimal(0))
    # A quiz worth no points cannot be failed.
    percent = submission.score * HUNDRED / submission.max_score if submission.max_score else HUNDRED
    submission.percent = percent.quantize(CENT, rounding=ROUND_HALF_UP)
    waiting = any(p is None for p in awarded)
    submission.status = Status.NEEDS_REVIEW if waiting else Status.GRADED
    submission.passed = not waiting and submission.percent >= submission.quiz.pass_percent
    submission.save(
        update_fields=[
            "score",
            "max_score",
            "percent",
            "passed",
            "status",
            "submitted_at",
            "updated_at",
        ]
    )
