"""Listing, verifying and downloading certificates."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from lms.enrollments.completion import certificate_issue
from lms.enrollments.models import Enrollment
from lms.enrollments.tests.factories import CertificateFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/certificates/"


@pytest.fixture
def certificate(student, instructor):
    student.first_name, student.last_name = "Maria", "Garcia"
    student.save()
    return CertificateFactory(
        enrollment__student=student,
        enrollment__course__title="Python Fundamentals",
        enrollment__course__instructor=instructor,
    )


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_student_lists_own_certificates(auth_client, student, certificate):
    CertificateFactory()  # someone else's

    response = auth_client(student).get(URL)

    assert _ids(response) == {certificate.pk}
    row = response.json()["results"][0]
    assert row["code"] == certificate.code
    assert row["student_name"] == "Maria Garcia"
    assert row["course"]["title"] == "Python Fundamentals"


def test_admin_lists_all_certificates(auth_client, admin, certificate):
    other = CertificateFactory()

    assert _ids(auth_client(admin).get(URL)) == {certificate.pk, other.pk}


@pytest.mark.parametrize("role", ["other_student", "instructor"])
def test_others_list_none_and_get_404(request, auth_client, certificate, role):
    client = auth_client(request.getfixturevalue(role))

    assert _ids(client.get(URL)) == set()
    assert client.get(f"{URL}{certificate.pk}/").status_code == 404
    assert client.get(f"{URL}{certificate.pk}/pdf/").status_code == 404


def test_certificate_list_needs_authentication(api_client):
    assert api_client.get(URL).status_code == 401


def test_certificate_list_runs_constant_queries(auth_client, admin, assert_constant_queries):
    CertificateFactory()
    client = auth_client(admin)

    def call():
        assert client.get(URL, {"page_size": 100}).status_code == 200

    assert_constant_queries(call, lambda: CertificateFactory.create_batch(29))


def test_anyone_verifies_a_code(api_client, certificate):
    response = api_client.get(f"{URL}verify/{certificate.code}/")

    assert response.status_code == 200
    assert response.json() == {
        "code": certificate.code,
        "student_name": "Maria Garcia",
        "course_title": "Python Fundamentals",
        "issued_at": response.json()["issued_at"],
    }
    assert response.json()["issued_at"].startswith(str(certificate.issued_at.date()))


def test_unknown_code_is_404(api_client, certificate):
    assert api_client.get(f"{URL}verify/NOPE-{certificate.code}x/").status_code == 404


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _pdf_fonts(content: bytes) -> set[str]:
    page = PdfReader(BytesIO(content)).pages[0]
    return {font["/BaseFont"] for font in page["/Resources"]["/Font"].values()}


@pytest.mark.parametrize("role", ["student", "admin"])
def test_owner_and_admin_download_a_real_pdf(request, auth_client, certificate, role):
    response = auth_client(request.getfixturevalue(role)).get(f"{URL}{certificate.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")
    text = _pdf_text(response.content)
    assert "Maria Garcia" in text
    assert "Python Fundamentals" in text
    assert certificate.code in text


def test_pdf_needs_authentication(api_client, certificate):
    assert api_client.get(f"{URL}{certificate.pk}/pdf/").status_code == 401


def test_pdf_prints_any_name_in_embedded_fonts(auth_client, student, certificate, settings):
    settings.FRONTEND_URL = "https://learn.example.com"
    certificate.student_name = "Zoë Łukasz 李雷"
    certificate.save()

    response = auth_client(student).get(f"{URL}{certificate.pk}/pdf/")

    text = _pdf_text(response.content)
    assert "Zoë Łukasz" in text and "李雷" in text
    assert f"https://learn.example.com/certificates/verify/{certificate.code}" in text
    fonts = _pdf_fonts(response.content)
    assert any("DejaVuSans" in font for font in fonts) and any("Droid" in font for font in fonts)


def test_the_name_stays_as_issued_after_a_profile_edit(api_client, auth_client, student):
    student.first_name, student.last_name = "Zoë", "Łukasz"
    student.save()
    enrollment = EnrollmentFactory(student=student, status=Enrollment.Status.COMPLETED)
    certificate = certificate_issue(enrollment=enrollment)
    student.first_name, student.last_name = "Changed", "Later"
    student.save()

    verified = api_client.get(f"{URL}verify/{certificate.code}/").json()
    listed = auth_client(student).get(URL).json()["results"][0]
    pdf = _pdf_text(auth_client(student).get(f"{URL}{certificate.pk}/pdf/").content)

    assert verified["student_name"] == listed["student_name"] == "Zoë Łukasz"
    assert "Zoë Łukasz" in pdf and "Changed" not in pdf


def test_the_signed_pdf_url_works_without_a_header(api_client, auth_client, student, certificate):
    pdf_url = auth_client(student).get(f"{URL}{certificate.pk}/").json()["pdf_url"]

    response = api_client.get(pdf_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Maria Garcia" in _pdf_text(response.content)


def test_a_signed_pdf_url_opens_only_its_own_certificate(
    api_client, auth_client, student, certificate
):
    other = CertificateFactory()
    pdf_url = auth_client(student).get(f"{URL}{certificate.pk}/").json()["pdf_url"]
    token = pdf_url.split("token=", 1)[1]

    assert api_client.get(f"{URL}{other.pk}/pdf/", {"token": token}).status_code == 403
    assert api_client.get(f"{URL}{certificate.pk}/pdf/", {"token": "forged"}).status_code == 403


def test_a_signed_pdf_url_expires(api_client, auth_client, student, certificate, settings):
    pdf_url = auth_client(student).get(f"{URL}{certificate.pk}/").json()["pdf_url"]
    settings.COURSES_DOWNLOAD_LINK_SECONDS = -1

    response = api_client.get(pdf_url)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
