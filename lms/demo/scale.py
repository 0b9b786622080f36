"""Production-size data for benchmarks (`manage.py seed_scale`): bulk SQL on PostgreSQL.

Every row is generated inside PostgreSQL (`INSERT ... SELECT` over `generate_series`), in
batches, `ON CONFLICT DO NOTHING` (the big tables in one transaction with their plain
indexes rebuilt after, `bulk.py`): a rerun (or a run after
an interrupted one) adds only what is missing. Scale rows are recognisable: emails
`scale-...@scale.example`, slugs `scale-...`. Columns other apps add later are filled with
their model defaults, so the seed keeps working as the models grow.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Model

from lms.courses.models import ContentItem, Course, Lesson, Module
from lms.enrollments.models import Enrollment, LessonProgress
from lms.quizzes.models import Choice, Question, Quiz, QuizSubmission
from lms.users.models import User

from . import bulk

PASSWORD = "scale-demo-2026"
BIG_COURSE_SLUG = "scale-big-course"
MODULES_PER_COURSE = 2
LESSONS_PER_MODULE = 5
PROGRESS_PER_ENROLLMENT = 5
QUESTIONS_PER_QUIZ = 4
#: One graded attempt for every this many enrollments.
SUBMISSION_EVERY = 4
BATCH = 100_000


@dataclass(frozen=True)
class ScaleSizes:
    students: int
    courses: int
    enrollments: int
    big_course_students: int = 10_000

    @property
    def instructors(self) -> int:
        return max(1, self.courses // 10)

    @property
    def per_student(self) -> int:
        return -(-self.enrollments // self.students)  # ceil

    @property
    def course_step(self) -> int:
        """Distance between a student's courses: distinct courses for every enrollment."""
        return max(1, self.courses // self.per_student)


@dataclass
class Stage:
    name: str
    total: int
    run: Callable[[], Iterator[int]]  # yields rows handled so far (batches)


def _batches(total: int, step: Callable[[int, int], None]) -> Iterator[int]:
    for low in range(0, total, BATCH):
        high = min(total, low + BATCH)
        step(low, high)
        yield high


def _users(role: User.Role, kind: str, count: int, password: str) -> Iterator[int]:
    def step(low: int, high: int) -> None:
        bulk.insert_select(
            User,
            {
                "email": f"'scale-{kind}-' || g || '@scale.example'",
                "password": "p.hash",
                "first_name": f"'{kind.title()}'",
                "last_name": "'No. ' || g",
                "role": f"'{role}'",
                "cohort": "'scale-' || mod(g, 20)",
                "is_active": "true",
                "is_staff": "false",
                "is_superuser": "false",
                "date_joined": "now()",
            },
            "FROM generate_series(%s::bigint, %s::bigint) AS g CROSS JOIN (SELECT %s AS hash) AS p",
            [low, high - 1, password],
        )

    return _batches(count, step)


# Index -> id of the scale students and courses, for joins (temporary, this session only).
MAPS = """
CREATE TEMP TABLE IF NOT EXISTS scale_students (idx int PRIMARY KEY, id bigint);
CREATE TEMP TABLE IF NOT EXISTS scale_courses (idx int PRIMARY KEY, id bigint);
TRUNCATE scale_students, scale_courses;
INSERT INTO scale_students
    SELECT split_part(split_part(email, '@', 1), '-', 3)::int, id FROM users_user
    WHERE email LIKE 'scale-student-%@scale.example';
INSERT INTO scale_courses
    SELECT split_part(slug, '-', 3)::int, id FROM courses_course
    WHERE slug LIKE 'scale-course-%';
ANALYZE scale_students;
ANALYZE scale_courses
"""
SCALE_COURSE = "(c.slug LIKE 'scale-course-%%' OR c.slug = %s)"


def _maps() -> None:
    with connection.cursor() as cursor:
        for statement in MAPS.split(";"):
            cursor.execute(statement)


def _courses(sizes: ScaleSizes) -> Iterator[int]:
    bulk.insert_select(
        Course,
        {
            "title": "CASE WHEN g = 0 THEN 'Scale: the big course' ELSE 'Scale course ' || g END",
            "slug": f"CASE WHEN g = 0 THEN '{BIG_COURSE_SLUG}' ELSE 'scale-course-' || (g - 1) END",
            "description": "'A generated course for benchmarks.'",
            "instructor_id": "i.id",
            "price": "0",
            "currency": "'USD'",
            "is_published": "true",
        },
        "FROM generate_series(0, %s::bigint) AS g JOIN users_user i ON i.email = "
        "'scale-instructor-' || mod(g, %s::bigint) || '@scale.example'",
        [sizes.courses, sizes.instructors],
    )
    yield sizes.courses + 1
    for model, given, source in _content_statements():
        bulk.insert_select(model, given, source, [BIG_COURSE_SLUG])
    _maps()
    yield sizes.courses + 1


def _content_statements() -> list[tuple[type[Model], dict[str, str], str]]:
    return [
        (
            Module,
            {"course_id": "c.id", "title": "'Module ' || m", "order": "m"},
            f"FROM courses_course c CROSS JOIN generate_series(1, {MODULES_PER_COURSE}) AS m "
            f"WHERE {SCALE_COURSE}",
        ),
        (
            Lesson,
            {
                "module_id": "m.id",
                "title": "'Lesson ' || l",
                "content": "'Generated lesson text.'",
                "order": "l",
                "duration_minutes": "10",
                "is_preview": '(m."order" = 1 AND l = 1)',
            },
            "FROM courses_module m JOIN courses_course c ON c.id = m.course_id "
            f"CROSS JOIN generate_series(1, {LESSONS_PER_MODULE}) AS l WHERE {SCALE_COURSE}",
        ),
        (
            ContentItem,
            {"lesson_id": "l.id", "kind": "'text'", "title": "'Notes'", "text": "'Read me.'"}
            | {"order": "1"},
            "FROM courses_lesson l JOIN courses_module m ON m.id = l.module_id "
            f"JOIN courses_course c ON c.id = m.course_id WHERE {SCALE_COURSE}",
        ),
        (
            Quiz,
            {"course_id": "c.id", "title": "'Check'", "is_published": "true"}
            | {"max_attempts": "3", "pass_percent": "60"},
            f"FROM courses_course c WHERE {SCALE_COURSE} AND NOT EXISTS "
            "(SELECT 1 FROM quizzes_quiz q WHERE q.course_id = c.id)",
        ),
        (
            Question,
            {"quiz_id": "q.id", "text": "'Question ' || n", "kind": "'single_choice'"}
            | {"points": "1", "order": "n"},
            "FROM quizzes_quiz q JOIN courses_course c ON c.id = q.course_id "
            f"CROSS JOIN generate_series(1, {QUESTIONS_PER_QUIZ}) AS n WHERE {SCALE_COURSE}",
        ),
        (
            Choice,
            {"question_id": "x.id", "text": "CASE WHEN k = 1 THEN 'Yes' ELSE 'No' END"}
            | {"is_correct": "k = 1"},
            "FROM quizzes_question x JOIN quizzes_quiz q ON q.id = x.quiz_id "
            "JOIN courses_course c ON c.id = q.course_id CROSS JOIN generate_series(1, 2) AS k "
            f"WHERE {SCALE_COURSE} AND NOT EXISTS "
            "(SELECT 1 FROM quizzes_choice y WHERE y.question_id = x.id)",
        ),
    ]


def _enrollments(sizes: ScaleSizes) -> Iterator[int]:
    def step(low: int, high: int) -> None:
        bulk.insert_select(
            Enrollment,
            {
                "student_id": "s.id",
                "course_id": "c.id",
                "status": "'active'",
                "created_at": "now() - mod(e, 100000) * interval '1 minute'",
            },
            "FROM generate_series(%s::bigint, %s::bigint) AS e "
            "JOIN scale_students s ON s.idx = mod(e, %s::bigint) "
            "JOIN scale_courses c ON c.idx = mod(mod(e, %s::bigint) + (e / %s::bigint) * %s, %s)",
            [low, high - 1, *[sizes.students] * 3, sizes.course_step, sizes.courses],
        )

    if bulk.count(ENROLLED, [BIG_COURSE_SLUG]) >= sizes.enrollments + sizes.big_course_students:
        yield sizes.enrollments  # already there (a rerun)
        return
    with bulk.bulk_load(Enrollment):
        yield from _batches(sizes.enrollments, step)
    bulk.insert_select(
        Enrollment,
        {"student_id": "s.id", "course_id": "c.id", "status": "'active'"},
        "FROM scale_students s JOIN courses_course c ON c.slug = %s WHERE s.idx < %s::int",
        [BIG_COURSE_SLUG, sizes.big_course_students],
    )


ENROLLED = (
    "SELECT count(*) FROM enrollments_enrollment e JOIN courses_course c ON c.id = e.course_id "
    f"WHERE {SCALE_COURSE}"
)


def _scale_enrollment_ids() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(min(e.id), 0), coalesce(max(e.id), -1) FROM enrollments_enrollment e "
            "JOIN courses_course c ON c.id = e.course_id WHERE " + SCALE_COURSE,
            [BIG_COURSE_SLUG],
        )
        return cursor.fetchone()


def _by_enrollment_ids(
    model: type[Model], have: str, expected: str, statement: Callable[[int, int], None]
) -> Iterator[int]:
    """Run `statement` over the scale enrollments' id range in batches, unless the table
    already holds (`have`, SQL count) the rows it should (`expected`): a rerun."""
    first, last = _scale_enrollment_ids()
    if bulk.count(have, [BIG_COURSE_SLUG]) >= bulk.count(expected, [BIG_COURSE_SLUG]):
        yield last - first + 1
        return
    done = 0
    with bulk.bulk_load(model):
        for low in range(first, last + 1, BATCH):
            high = min(last + 1, low + BATCH)
            statement(low, high)
            done += high - low
            yield done


LESSON_POSITIONS = """
FROM enrollments_enrollment e
JOIN courses_course c ON c.id = e.course_id
JOIN courses_module m ON m.course_id = c.id
JOIN courses_lesson l ON l.module_id = m.id
WHERE e.id >= %s AND e.id < %s AND {scale}
  AND (m."order" - 1) * {per_module} + l."order" <= {progress}
"""


def _progress() -> Iterator[int]:
    source = LESSON_POSITIONS.format(
        scale=SCALE_COURSE, per_module=LESSONS_PER_MODULE, progress=PROGRESS_PER_ENROLLMENT
    )

    def step(low: int, high: int) -> None:
        bulk.insert_select(
            LessonProgress,
            {"enrollment_id": "e.id", "lesson_id": "l.id", "completed_at": "e.created_at"},
            source,
            [low, high, BIG_COURSE_SLUG],
        )

    have = (
        "SELECT count(*) FROM enrollments_lessonprogress p "
        "JOIN enrollments_enrollment e ON e.id = p.enrollment_id "
        f"JOIN courses_course c ON c.id = e.course_id WHERE {SCALE_COURSE}"
    )
    expected = ENROLLED.replace("count(*)", f"count(*) * {PROGRESS_PER_ENROLLMENT}")
    return _by_enrollment_ids(LessonProgress, have, expected, step)


def _submissions() -> Iterator[int]:
    def step(low: int, high: int) -> None:
        bulk.insert_select(
            QuizSubmission,
            {
                "quiz_id": "q.id",
                "student_id": "e.student_id",
                "attempt": "1",
                "started_at": "e.created_at",
                "submitted_at": "e.created_at + interval '5 minutes'",
                "score": "mod(e.id, 5)",
                "max_score": str(QUESTIONS_PER_QUIZ),
                "percent": f"mod(e.id, 5) * 100.0 / {QUESTIONS_PER_QUIZ}",
                "passed": f"mod(e.id, 5) * 100.0 / {QUESTIONS_PER_QUIZ} >= q.pass_percent",
                "status": "'graded'",
            },
            "FROM enrollments_enrollment e JOIN courses_course c ON c.id = e.course_id "
            "JOIN quizzes_quiz q ON q.course_id = c.id "
            f"WHERE e.id >= %s AND e.id < %s AND mod(e.id, {SUBMISSION_EVERY}) = 0 "
            f"AND {SCALE_COURSE}",
            [low, high, BIG_COURSE_SLUG],
        )

    have = (
        "SELECT count(*) FROM quizzes_quizsubmission s JOIN quizzes_quiz q ON q.id = s.quiz_id "
        f"JOIN courses_course c ON c.id = q.course_id WHERE {SCALE_COURSE}"
    )
    expected = f"{ENROLLED} AND mod(e.id, {SUBMISSION_EVERY}) = 0"
    return _by_enrollment_ids(QuizSubmission, have, expected, step)


def stages(sizes: ScaleSizes) -> list[Stage]:
    """The seed's steps in order, each with the rows it handles (for a progress bar)."""
    password = make_password(PASSWORD)  # one hash for every scale account
    enrollments = sizes.enrollments + sizes.big_course_students
    return [
        Stage(
            "instructors",
            sizes.instructors,
            lambda: _users(User.Role.INSTRUCTOR, "instructor", sizes.instructors, password),
        ),
        Stage(
            "students",
            sizes.students,
            lambda: _users(User.Role.STUDENT, "student", sizes.students, password),
        ),
        Stage("courses, content, quizzes", sizes.courses + 1, lambda: _courses(sizes)),
        Stage("enrollments", sizes.enrollments, lambda: _enrollments(sizes)),
        Stage("lesson progress (by enrollment)", enrollments, _progress),
        Stage("quiz submissions (by enrollment)", enrollments, _submissions),
    ]


def analyze() -> None:
    """Fresh planner statistics: the benchmark should see the plans production would."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
