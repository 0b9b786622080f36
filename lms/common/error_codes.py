"""The stable error `code`s a client may branch on (the schema, guide and a test read it)."""

#: code -> (HTTP status, what it tells a client). A test holds every code the source raises
#: here; the schema's `Error.code` and docs/frontend-guide.md list them from it.
ERROR_CODES: dict[str, tuple[int, str]] = {
    # Sessions and credentials
    "not_authenticated": (401, "No credentials sent: sign in."),
    "token_not_valid": (
        401,
        "The access token is expired, malformed or revoked: refresh it once "
        "(`POST token/refresh/`) and retry.",
    ),
    "session_expired": (
        401,
        "`token/refresh/` refused the refresh token (spent, expired or revoked): sign in again.",
    ),
    "no_active_account": (401, "Login refused: wrong email or password, or an inactive account."),
    "authentication_failed": (401, "The credentials were refused: sign in again."),
    "bad_authorization_header": (401, "The Authorization header is not `Bearer <token>`."),
    "user_not_found": (401, "The token's user no longer exists: sign in again."),
    "user_inactive": (401, "The account is deactivated."),
    "email_not_verified": (403, "Email verification is mandatory: verify the address first."),
    # Access
    "permission_denied": (403, "Signed in, but this role may not do this."),
    "not_available": (403, "Not available to the caller now."),
    "not_enrolled": (403, "Enroll in the course first."),
    "lesson_locked": (403, "The lesson unlocks later (`available_at`) or after earlier lessons."),
    "not_found": (404, "Unknown, or not visible to the caller."),
    # Enrollment and payment
    "already_enrolled": (409, "The caller is already enrolled in the course."),
    "course_full": (409, "The course has no seat left."),
    "payment_required": (402, "A paid course: start a checkout (`payments/checkout/`)."),
    "checkout_in_progress": (409, "A checkout for this course is already pending."),
    "prerequisites_not_met": (409, "Complete the courses listed in `missing` first."),
    "coupon_in_use": (409, "Payments redeemed this coupon: deactivate it instead of deleting."),
    "invalid_payload": (400, "A payment provider's webhook payload was refused."),
    # Quizzes
    "attempts_exhausted": (409, "No attempt left on this quiz."),
    "attempt_in_progress": (409, "Another attempt was started at the same time."),
    "attempt_not_started": (409, "Start an attempt first (`quizzes/{id}/start/`)."),
    "already_submitted": (409, "This attempt was submitted already."),
    "quiz_empty": (409, "The quiz has no questions yet."),
    "quiz_not_open": (409, "The quiz window has not opened yet."),
    "quiz_closed": (409, "The quiz window has closed."),
    "accommodation_exists": (409, "The student already has an accommodation at this quiz."),
    "time_is_up": (400, "The attempt's time ran out: it was closed with the saved answers."),
    # Generic
    "conflict": (409, "Conflicts with the current state."),
    "last_admin": (
        409,
        "The last active admin cannot lose the role, be deactivated or erase their account.",
    ),
    "invalid": (400, "The request was refused as it is."),
    "parse_error": (400, "The body is not valid JSON (or not the declared type)."),
    "bad_request": (400, "The request could not be read."),
    "method_not_allowed": (405, "This method is not allowed here."),
    "not_acceptable": (406, "No representation for the Accept header."),
    "unsupported_media_type": (415, "Send JSON (or multipart where a file is uploaded)."),
    "throttled": (429, "Too many requests: wait `Retry-After` seconds."),
    "service_unavailable": (503, "A dependency is down or not configured: retry later."),
    "static_files_missing": (503, "The docs pages need `collectstatic` (debug is off)."),
    "server_error": (500, "A bug: nothing a client can fix."),
}


def error_codes_markdown() -> str:
    """The catalogue as a Markdown table (the schema's description of `Error.code`)."""
    rows = [
        f"| `{code}` | {status} | {meaning} |" for code, (status, meaning) in ERROR_CODES.items()
    ]
    return "\n".join(["| code | status | meaning |", "|---|---|---|", *rows])
