"""Demo catalog: a free course, a paid one, a draft and a learning path (sequential, drip
release, a prerequisite), with content of every kind."""

import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from .models import ContentItem, Course, Lesson, Module

User = get_user_model()
DEMO_PASSWORD = "learn-demo-2026"

Kind = ContentItem.Kind

# slug: (title, instructor email, price, capacity, published, description, modules)
# modules: [(title, [(lesson title, minutes, is_preview, [(kind, title, value)])])]
COURSES = {
    "python-fundamentals": (
        "Python Fundamentals",
        "ada@example.com",
        Decimal("0.00"),
        None,
        True,
        "Variables, control flow, functions and the standard library, from zero.",
        [
            (
                "Getting started",
                [
                    (
                        "Welcome and setup",
                        10,
                        True,
                        [
                            (
                                Kind.VIDEO,
                                "Installing Python",
                                "https://www.youtube.com/watch?v=YYXdXT2l-Gg",
                            ),
                            (
                                Kind.TEXT,
                                "Course overview",
                                "# Welcome\n\nIn this course you will *write Python*.",
                            ),
                        ],
                    ),
                    (
                        "Your first program",
                        15,
                        False,
                        [
                            (Kind.PDF, "Cheat sheet", "python-cheat-sheet.pdf"),
                            (
                                Kind.LINK,
                                "The Python tutorial",
                                "https://docs.python.org/3/tutorial/",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Core language",
                [
                    (
                        "Control flow",
                        20,
                        False,
                        [
                            (
                                Kind.TEXT,
                                "if, for, while",
                                "```python\nfor i in range(3):\n    print(i)\n```",
                            )
                        ],
                    ),
                    (
                        "Functions",
                        25,
                        False,
                        [(Kind.FILE, "Exercises", "functions-exercises.txt")],
                    ),
                ],
            ),
        ],
    ),
    "django-rest-apis": (
        "Building REST APIs with Django",
        "ada@example.com",
        Decimal("49.00"),
        30,
        True,
        "Design, build and test a versioned REST API with Django and DRF.",
        [
            (
                "Foundations",
                [
                    (
                        "What makes an API RESTful",
                        12,
                        True,
                        [
                            (
                                Kind.VIDEO,
                                "REST in ten minutes",
                                "https://www.youtube.com/watch?v=lsMQRaeKNDk",
                            ),
                            (
                                Kind.LINK,
                                "DRF quickstart",
                                "https://www.django-rest-framework.org/tutorial/quickstart/",
                            ),
                        ],
                    ),
                    (
                        "Models and serializers",
                        30,
                        False,
                        [(Kind.PDF, "Serializer reference", "serializers.pdf")],
                    ),
                ],
            ),
            (
                "Security",
                [
                    (
                        "Authentication with JWT",
                        25,
                        False,
                        [
                            (
                                Kind.TEXT,
                                "Tokens",
                                "Access tokens are short-lived; refresh tokens rotate.",
                            )
                        ],
                    ),
                    (
                        "Permissions",
                        20,
                        False,
                        [(Kind.FILE, "Permission matrix", "permission-matrix.csv")],
                    ),
                ],
            ),
            (
                "Shipping",
                [
                    (
                        "Testing and deployment",
                        35,
                        False,
                        [(Kind.TEXT, "Checklist", "- tests\n- CI\n- deploy")],
                    )
                ],
            ),
        ],
    ),
    "data-science-draft": (
        "Data Science with Python (draft)",
        "alan@example.com",
        Decimal("0.00"),
        None,
        False,
        "NumPy, pandas and plotting. Work in progress.",
        [
            (
                "NumPy",
                [
                    (
                        "Arrays",
                        20,
                        True,
                        [
                            (Kind.TEXT, "Why arrays", "Vectorised maths beats Python loops."),
                            (Kind.PDF, "NumPy basics", "numpy-basics.pdf"),
                        ],
                    )
                ],
            ),
            (
                "pandas",
                [
                    (
                        "DataFrames",
                        25,
                        False,
                        [
                            (Kind.LINK, "pandas docs", "https://pandas.pydata.org/docs/"),
                            (
                                Kind.VIDEO,
                                "pandas in 10 minutes",
                                "https://www.youtube.com/watch?v=_T8LGqJtuGc",
                            ),
                            (Kind.FILE, "Sample data", "sample-data.csv"),
                        ],
                    )
                ],
            ),
        ],
    ),
    "git-step-by-step": (
        "Git, Step by Step",
        "alan@example.com",
        Decimal("0.00"),
        None,
        True,
        "A learning path: each lesson opens when the one before it is done; the "
        "collaboration module opens a week after you enroll. Complete the "
        "fundamentals course first.",
        [
            (
                "Your first repository",
                [
                    (
                        "Why version control",
                        10,
                        True,
                        [(Kind.TEXT, "Snapshots", "Git records snapshots of your project.")],
                    ),
                    (
                        "init, add, commit",
                        15,
                        False,
                        [(Kind.TEXT, "Commands", "```\ngit init\ngit add .\ngit commit\n```")],
                    ),
                    (
                        "Reading the history",
                        15,
                        False,
                        [(Kind.PDF, "git log cheat sheet", "git-log.pdf")],
                    ),
                ],
            ),
            (
                "Collaboration",
                [
                    (
                        "Branches and merges",
                        20,
                        False,
                        [(Kind.LINK, "Pro Git: branching", "https://git-scm.com/book/en/v2")],
                    ),
                    (
                        "Remotes and pull requests",
                        20,
                        False,
                        [(Kind.TEXT, "Remotes", "push, fetch, pull; review before merging.")],
                    ),
                ],
            ),
        ],
    ),
}


#: Learning paths: slug -> (sequential, {module order: release_days}, prerequisite slugs).
PATHS = {
    "git-step-by-step": (True, {2: 7}, ["python-fundamentals"]),
}


def demo_pdf(title: str) -> bytes:
    """A one-page PDF, generated so the demo needs no binary files in the repository."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 20)
    page.drawString(72, 770, title)
    page.setFont("Helvetica", 12)
    page.drawString(72, 740, "Demo material for the LMS.")
    page.showPage()
    page.save()
    return buffer.getvalue()


def _instructor(email: str):
    user, created = User.objects.get_or_create(
        email=email, defaults={"role": User.Role.INSTRUCTOR, "first_name": email.split("@")[0]}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _seed_item(lesson: Lesson, order: int, kind: str, title: str, value: str) -> None:
    fields = {"kind": kind, "title": title, "url": "", "text": ""}
    if kind in (Kind.VIDEO, Kind.LINK):
        fields["url"] = value
    elif kind == Kind.TEXT:
        fields["text"] = value
    item, _ = ContentItem.objects.update_or_create(lesson=lesson, order=order, defaults=fields)
    if kind in (Kind.PDF, Kind.FILE) and not item.file:
        data = demo_pdf(title) if kind == Kind.PDF else f"{title}\nname,value\na,1\n".encode()
        item.file.save(value, ContentFile(data), save=True)
    elif kind not in (Kind.PDF, Kind.FILE) and item.file:
        item.file.delete(save=True)


def seed(stdout) -> None:
    """Create or refresh the demo courses; running it twice changes nothing."""
    for slug, (title, email, price, capacity, published, description, modules) in COURSES.items():
        course, created = Course.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "instructor": _instructor(email),
                "price": price,
                "currency": "USD",
                "capacity": capacity,
                "is_published": published,
                "description": description,
                "sequential": PATHS.get(slug, (False, {}, []))[0],
            },
        )
        release_days = PATHS.get(slug, (False, {}, []))[1]
        for m_order, (m_title, lessons) in enumerate(modules, start=1):
            module, _ = Module.objects.update_or_create(
                course=course,
                order=m_order,
                defaults={"title": m_title, "release_days": release_days.get(m_order)},
            )
            for l_order, (l_title, minutes, preview, items) in enumerate(lessons, start=1):
                lesson, _ = Lesson.objects.update_or_create(
                    module=module,
                    order=l_order,
                    defaults={
                        "title": l_title,
                        "duration_minutes": minutes,
                        "is_preview": preview,
                        "content": f"## {l_title}\n\nRead the material below, then practise.",
                    },
                )
                for i_order, (kind, i_title, value) in enumerate(items, start=1):
                    _seed_item(lesson, i_order, kind, i_title, value)
        stdout.write(f"{'Created' if created else 'Updated'} course {slug}\n")
    for slug, (_sequential, _release_days, required) in PATHS.items():
        Course.objects.get(slug=slug).prerequisites.set(Course.objects.filter(slug__in=required))
