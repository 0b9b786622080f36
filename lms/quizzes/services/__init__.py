"""Every state change of quizzes: authoring (`authoring.py`) and attempts (`attempts.py`)."""

from .accommodations import accommodation_create, accommodation_delete, accommodation_update
from .attempts import (
    quiz_attempt_answers_save,
    quiz_attempt_start,
    quiz_attempts_close_expired,
    quiz_submission_grade,
    quiz_submission_submit,
)
from .authoring import (
    QUESTIONS_LOCKED,
    accepted_answers_cleaned,
    question_create,
    question_delete,
    question_errors,
    question_update,
    quiz_create,
    quiz_delete,
    quiz_duplicate,
    quiz_lesson_check,
    quiz_update,
    quiz_window_check,
)

__all__ = [
    "QUESTIONS_LOCKED",
    "accepted_answers_cleaned",
    "accommodation_create",
    "accommodation_delete",
    "accommodation_update",
    "question_create",
    "question_delete",
    "question_errors",
    "question_update",
    "quiz_attempt_answers_save",
    "quiz_attempt_start",
    "quiz_attempts_close_expired",
    "quiz_create",
    "quiz_delete",
    "quiz_duplicate",
    "quiz_lesson_check",
    "quiz_submission_grade",
    "quiz_submission_submit",
    "quiz_update",
    "quiz_window_check",
]
