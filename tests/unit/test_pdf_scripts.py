"""PDFs that would run something when opened are refused (issue 13 item 18)."""

import io
import zlib

import pytest
from fpdf import FPDF

from app.domain.uploads import PDF_SCRIPT_MESSAGE, pdf_script_problem


def crafted(*objects: bytes) -> bytes:
    """A small PDF made of the given object bodies (the first one is the catalogue)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    for number, body in enumerate(objects, start=1):
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    out.write(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    return out.getvalue()


PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def compressed_object_stream(body: bytes) -> bytes:
    data = zlib.compress(body)
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream"
    )


def test_an_ordinary_pdf_is_accepted():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Giay xac nhan")
    assert pdf_script_problem(bytes(pdf.output())) is None
    assert pdf_script_problem(crafted(b"<< /Type /Catalog /Pages 2 0 R >>", PAGES, PAGE)) is None


def test_an_open_action_that_only_goes_to_a_page_is_accepted():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>"
    assert pdf_script_problem(crafted(catalog, PAGES, PAGE)) is None


@pytest.mark.parametrize(
    "catalog",
    [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /AA << /WC << /S /JavaScript /JS (x) >> >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (x) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction<</S/JavaScript/JS(x)>> >>",
    ],
)
def test_scripts_and_automatic_actions_are_refused(catalog):
    assert pdf_script_problem(crafted(catalog, PAGES, PAGE)) == PDF_SCRIPT_MESSAGE


def test_a_script_hidden_in_a_compressed_object_stream_is_refused():
    hidden = compressed_object_stream(b"4 0 << /S /JavaScript /JS (app.alert(1)) >>")
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
    assert pdf_script_problem(crafted(catalog, PAGES, PAGE, hidden)) == PDF_SCRIPT_MESSAGE


def test_a_compressed_stream_without_scripts_is_accepted():
    content = compressed_object_stream(b"BT /F1 12 Tf (Giay xac nhan) Tj ET")
    catalog = b"<< /Type /Catalog /Pages 2 0 R >>"
    assert pdf_script_problem(crafted(catalog, PAGES, PAGE, content)) is None


def test_a_broken_stream_does_not_stop_the_check():
    broken = b"<< /Length 5 >>\nstream\nnot zlib\nendstream"
    catalog = b"<< /Type /Catalog /Pages 2 0 R /AA << >> >>"
    assert pdf_script_problem(crafted(broken, catalog, PAGES, PAGE)) == PDF_SCRIPT_MESSAGE
    assert pdf_script_problem(crafted(b"<< /Type /Catalog >>", broken)) is None
