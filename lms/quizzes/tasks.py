"""Background jobs for quizzes."""

import logging

from celery import shared_task

from .services import quiz_attempts_close_expired

logger = logging.getLogger(__name__)


@shared_task
def close_expired_quiz_attempts() -> int:
    """Close open attempts whose time ran out (schedule it every few minutes with beat)."""
    closed = quiz_attempts_close_expired()
    logger.info("Closed %s expired quiz attempts", closed)
    return closed
