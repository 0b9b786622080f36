"""Render a certificate as a one-page PDF with reportlab, in embedded Unicode fonts."""

from io import BytesIO
from pathlib import Path

from django.conf import settings
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .models import Certificate

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, FALLBACK = "LMS-Sans", "LMS-Sans-Bold", "LMS-Fallback"
for _name, _file in (
    (REGULAR, "DejaVuSans.ttf"),
    (BOLD, "DejaVuSans-Bold.ttf"),
    (FALLBACK, "DroidSansFallbackFull.ttf"),
):
    pdfmetrics.registerFont(TTFont(_name, FONTS / _file))


def certificate_verify_url(certificate: Certificate) -> str:
    """The frontend page that checks this certificate (printed, and in the QR code)."""
    return f"{settings.FRONTEND_URL}/certificates/verify/{certificate.code}"


def _has_glyph(font: str, char: str) -> bool:
    return ord(char) in pdfmetrics.getFont(font).face.charToGlyph


def _runs(text: str, font: str) -> list[tuple[str, str]]:
    """`text` cut into (font, piece) runs: `font` where it has the glyph, else the fallback
    (CJK and other scripts DejaVu lacks)."""
    runs: list[tuple[str, str]] = []
    for char in text:
        use = font if char.isspace() or _has_glyph(font, char) else FALLBACK
        if runs and runs[-1][0] == use:
            runs[-1] = (use, runs[-1][1] + char)
        else:
            runs.append((use, char))
    return runs


def _draw_centred(pdf: canvas.Canvas, x: float, y: float, text: str, font: str, size: float):
    runs = _runs(text, font)
    x -= sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in runs) / 2
    for name, piece in runs:
        pdf.setFont(name, size)
        pdf.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, name, size)


def _draw_qr(pdf: canvas.Canvas, value: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(value)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x, y)


def certificate_pdf_render(certificate: Certificate) -> bytes:
    """The certificate as PDF bytes: the name as issued, course, date, code, verification URL."""
    course = certificate.enrollment.course
    buffer = BytesIO()
    width, height = landscape(A4)
    middle = width / 2
    # Uncompressed pages keep the text greppable, which tests and indexers rely on.
    pdf = canvas.Canvas(
        buffer, pagesize=(width, height), pageCompression=0, invariant=1, initialFontName=REGULAR
    )
    pdf.setTitle(f"Certificate {certificate.code}")
    pdf.setAuthor("LMS")
    pdf.setLineWidth(3)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)
    _draw_centred(pdf, middle, height - 5 * cm, "Certificate of Completion", BOLD, 34)
    _draw_centred(pdf, middle, height - 7.5 * cm, "This certifies that", REGULAR, 16)
    _draw_centred(pdf, middle, height - 9.5 * cm, certificate.name_as_issued, BOLD, 28)
    _draw_centred(pdf, middle, height - 11.5 * cm, "has completed the course", REGULAR, 16)
    _draw_centred(pdf, middle, height - 13.3 * cm, course.title, BOLD, 22)
    issued = certificate.issued_at.date().isoformat()
    url = certificate_verify_url(certificate)
    _draw_centred(
        pdf, middle, 4 * cm, f"Issued {issued} - verification code {certificate.code}", REGULAR, 12
    )
    _draw_centred(pdf, middle, 3.3 * cm, f"Verify at {url}", REGULAR, 10)
    _draw_qr(pdf, url, width - 5.5 * cm, 2.2 * cm, 3 * cm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
