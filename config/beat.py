"""Celery beat's schedule: the periodic sweeps (`celery -A config beat`)."""

# `celery -A config beat` sends the expiry sweep every minute (it grades the answers saved on
# attempts whose time ran out). Without a broker nothing runs beat, so the entry is inert;
# a sweep that waited longer than its interval in the queue is dropped, the next one follows.
BEAT_SCHEDULE = {
    "close-expired-quiz-attempts": {
        "task": "lms.quizzes.tasks.close_expired_quiz_attempts",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Webhook deliveries whose retry is due (cron runs `manage.py webhooks_retry` without beat).
    "retry-due-webhooks": {
        "task": "lms.webhooks.tasks.webhooks_retry_due",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
