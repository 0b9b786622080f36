"""End-to-end journey of an instructor through the HTTP API only: build, publish, grade."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from lms.users.tests.factories import InstructorFactory, StudentFactory

from .helpers import API, PDF_BYTES, content_of, correct_answers, login, path_of, results

pytestmark = pytest.mark.django_db


def test_instructor_builds_a_course_with_a_pdf_and_a_quiz_and_grades_a_student(deliver):
    teacher, _ = login(InstructorFactory(first_name="Grace").email)
    anonymous = APIClient()

    # The instructor creates a draft course, a module and two lessons
    made = teacher.post(
        f"{API}courses/", {"title": "Shell scripting", "description": "Pipes.", "price": "0.00"}
    )
    assert made.status_code == 201, made.content
    course_id = made.json()["id"]
    assert made.json()["is_published"] is False
    module = teacher.post(f"{API}modules/", {"course": course_id, "title": "Basics"})
    assert module.status_code == 201, module.content
    lesson_ids = []
    for title in ("Pipes", "Redirects"):
        lesson = teacher.post(
            f"{API}lessons/", {"module": module.json()["id"], "title": title, "content": "Read."}
        )
        assert lesson.status_code == 201, lesson.content
        lesson_ids.append(lesson.json()["id"])

    # It uploads a PDF to the first lesson (multipart, real PDF bytes)
    uploaded = teacher.post(
        f"{API}content-items/",
        {
            "lesson": lesson_ids[0],
            "kind": "pdf",
            "title": "Cheat sheet",
            "file": SimpleUploadedFile("cheat.pdf", PDF_BYTES, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.content
    item_id = uploaded.json()["id"]

    # Drafts are invisible to students; publishing puts the course in the catalog
    student, _ = login(StudentFactory().email)
    assert student.post(f"{API}enrollments/", {"course": course_id}).status_code == 400
    assert course_id not in [c["id"] for c in results(anonymous.get(f"{API}courses/"))]
    published = teacher.patch(f"{API}courses/{course_id}/", {"is_published": True})
    assert published.status_code == 200, published.content
    assert course_id in [c["id"] for c in results(anonymous.get(f"{API}courses/"))]

    # An enrolled student downloads the PDF through the URL the API returns
    assert (
        deliver(lambda: student.post(f"{API}enrollments/", {"course": course_id})).status_code
        == 201
    )
    item = student.get(f"{API}content-items/{item_id}/")
    assert item.status_code == 200
    assert item.json()["file_name"] == "cheat.pdf"
    signed = APIClient().get(path_of(item.json()["file"]))  # an <a href>: no header
    assert signed.status_code == 200
    assert content_of(signed) == PDF_BYTES
    with_header = student.get(f"{API}content-items/{item_id}/download/")
    assert with_header.status_code == 200
    assert content_of(with_header).startswith(b"%PDF-")

    # An outsider student and anonymous reach neither the item nor its download
    outsider, _ = login(StudentFactory().email)
    assert outsider.get(f"{API}content-items/{item_id}/").status_code == 404
    assert outsider.get(f"{API}content-items/{item_id}/download/").status_code == 404
    # (anonymous may read preview items, so a closed one is simply not found for them)
    assert anonymous.get(f"{API}content-items/{item_id}/").status_code == 404
    assert anonymous.get(f"{API}content-items/{item_id}/download/").status_code == 404
    assert b"%PDF" not in anonymous.get(f"{API}content-items/{item_id}/download/").content
    assert outsider.get(f"{API}content-items/", {"lesson_id": lesson_ids[0]}).status_code == 403

    # The instructor builds a quiz with all four question kinds and publishes it
    quiz = teacher.post(
        f"{API}quizzes/",
        {"course": course_id, "lesson": lesson_ids[1], "title": "Check", "pass_percent": 60},
    )
    assert quiz.status_code == 201, quiz.content
    quiz_id = quiz.json()["id"]
    questions = [
        {
            "text": "Which pipes stdout?",
            "kind": "single_choice",
            "points": 1,
            "choices": [{"text": "|", "is_correct": True}, {"text": ">", "is_correct": False}],
        },
        {
            "text": "Which redirect?",
            "kind": "multiple_choice",
            "points": 2,
            "choices": [
                {"text": ">", "is_correct": True},
                {"text": ">>", "is_correct": True},
                {"text": "|", "is_correct": False},
            ],
        },
        {
            "text": "cat reads files.",
            "kind": "true_false",
            "points": 1,
            "choices": [
                {"text": "True", "is_correct": True},
                {"text": "False", "is_correct": False},
            ],
        },
        {
            "text": "Explain tee.",
            "kind": "short_answer",
            "points": 3,
            "accepted_answers": ["copies stdin to stdout and files"],
        },
    ]
    for payload in questions:
        made = teacher.post(f"{API}questions/", {"quiz": quiz_id, **payload}, format="json")
        assert made.status_code == 201, made.content
    assert teacher.patch(f"{API}quizzes/{quiz_id}/", {"is_published": True}).status_code == 200
    authored = teacher.get(f"{API}quizzes/{quiz_id}/").json()["questions"]
    assert [q["kind"] for q in authored] == [q["kind"] for q in questions]

    # The student completes both lessons and takes the quiz; the short answer needs review
    for lesson_id in lesson_ids:
        done = deliver(lambda lid=lesson_id: student.post(f"{API}lessons/{lid}/complete/"))
        assert done.status_code == 200, done.content
    answers = correct_answers(authored)
    answers[3]["text"] = "It splits the stream into a file as well"
    assert student.post(f"{API}quizzes/{quiz_id}/start/").status_code == 201
    submitted = deliver(
        lambda: student.post(f"{API}quizzes/{quiz_id}/submit/", {"answers": answers}, format="json")
    )
    assert submitted.status_code == 201, submitted.content
    assert submitted.json()["status"] == "needs_review"
    assert submitted.json()["passed"] is False
    (enrollment,) = results(student.get(f"{API}enrollments/"))
    assert enrollment["status"] == "active"

    # The instructor finds the attempt in review and grades the short answer
    (pending,) = results(
        teacher.get(f"{API}quiz-submissions/", {"quiz_id": quiz_id, "status": "needs_review"})
    )
    short = authored[3]["id"]
    # The student sees their own attempt but may not grade it
    assert (
        student.patch(
            f"{API}quiz-submissions/{pending['id']}/grade/",
            {"answers": [{"question": short, "points": 3}]},
            format="json",
        ).status_code
        == 403
    )
    graded = deliver(
        lambda: teacher.patch(
            f"{API}quiz-submissions/{pending['id']}/grade/",
            {"answers": [{"question": short, "points": 3}]},
            format="json",
        )
    )
    assert graded.status_code == 200, graded.content
    assert graded.json()["passed"] is True

    # The student passes, the course completes, a certificate is issued
    mine = student.get(f"{API}quiz-submissions/{pending['id']}/").json()
    assert (mine["status"], mine["passed"]) == ("graded", True)
    assert student.get(f"{API}enrollments/{enrollment['id']}/").json()["status"] == "completed"
    (certificate,) = results(student.get(f"{API}certificates/"))
    assert certificate["course"] == course_id or certificate["course"]["id"] == course_id
