"""Render a certificate as a one-page PDF with reportlab."""

from io import BytesIO

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from .models import Certificate


def certificate_pdf_render(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes: student, course, date and verification code."""
    enrollment = certificate.enrollment
    student, course = enrollment.student, enrollment.course
    buffer = BytesIO()
    width, height = landscape(A4)
    # Uncompressed pages keep the text greppable, which tests and indexers rely on.
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=0, invariant=1)
    pdf.setTitle(f"Certificate {certificate.code}")
    pdf.setAuthor("LMS")
    pdf.setLineWidth(3)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)
    pdf.setFont("Helvetica-Bold", 34)
    pdf.drawCentredString(width / 2, height - 5 * cm, "Certificate of Completion")
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 7.5 * cm, "This certifies that")
    pdf.setFont("Helvetica-Bold", 28)
    pdf.drawCentredString(width / 2, height - 9.5 * cm, student.full_name)
    pdf.setFont("Helvetica", 16)
    pdf.drawCentredString(width / 2, height - 11.5 * cm, "has completed the course")
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(width / 2, height - 13.3 * cm, course.title)
    pdf.setFont("Helvetica", 12)
    issued = certificate.issued_at.date().isoformat()
    pdf.drawCentredString(
        width / 2, 3.5 * cm, f"Issued {issued} - verification code {certificate.code}"
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
