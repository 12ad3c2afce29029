"""The bilingual output: the PDF (its text extracted and read back), the HTML file and the
page, Russian and Chinese side by side with English on request, numbers and dates as each
language writes them, and a chart labelled in both languages."""

import io
import re

import pytest
from pypdf import PdfReader

from exchange.models import Summary
from exchange.summaries import charts, service
from exchange.summaries import pdf as summary_pdf
from exchange.summaries.fonts import font_path

from .summary_stories import CRANE, TIGER, client, make_cranes, make_tigers

pytestmark = pytest.mark.django_db


def squeezed(text: str) -> str:
    """pypdf may set spaces between the glyphs of fpdf2's output, and reads its two-byte
    glyph codes with a NUL before each character (MuPDF reads the same file cleanly):
    compare without either."""
    return re.sub(r"[\s\x00]+", "", text)


def made(**request) -> Summary:
    summary = service.summary_create(access=None, user=None, enqueue=False, **request)
    return service.summary_run(summary_id=summary.pk)


def pdf_text(data: bytes) -> str:
    return squeezed("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def tiger_summary(people):
    make_tigers(people)
    return made(species=TIGER, scope="joint", year=2025)


def test_the_font_comes_with_the_project_s_dependencies():
    path = font_path()
    assert path.is_file() and path.name == "NotoSansCJKsc-Regular.otf"
    assert "mplfonts" in path.parts  # the PyPI package, not a font of this machine


def test_the_pdf_holds_russian_and_chinese_text(tiger_summary):
    assert tiger_summary.status == "done", tiger_summary.detail
    with tiger_summary.pdf.open("rb") as fh:
        data = fh.read()
    reader = PdfReader(io.BytesIO(data))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("NotoSansCJKSC" in name for name in fonts), fonts  # embedded, not assumed
    text = pdf_text(data)
    for words in (
        "амурский тигр",  # the species in Russian
        "东北虎",  # and in Chinese
        "Большехехцирский государственный природный заповедник",
        "大赫黑契尔自然保护区",
        "Россия",  # the country names from the catalogues
        "俄罗斯",
    ):
        assert squeezed(words) in text, words
    # 2.67 detections per 100 trap-nights, as each language writes it
    assert "2,67" in text and "2.67" in text
    assert "AmurTiger" not in text  # no English column unless asked


def test_the_pdf_with_english_has_a_third_column(tiger_summary, people):
    answer = client(people.coordinator_ru).get(
        f"/api/v1/summaries/{tiger_summary.pk}/pdf/?english=1"
    )
    text = pdf_text(b"".join(answer.streaming_content))
    assert squeezed("Amur tiger") in text and "东北虎" in text and "амурскийтигр" in text


def test_dates_are_written_per_language(people):
    campaigns = make_cranes(people)
    summary = made(species=CRANE, scope="joint", campaign=str(campaigns[2025].pk))
    with summary.pdf.open("rb") as fh:
        text = pdf_text(fh.read())
    assert squeezed("10 мая 2025 г.") in text  # the count window in Russian
    assert "2025年5月10日" in text  # and in Chinese
    assert squeezed("Учёт журавлей на озере Ханка 2025") in text
    assert "兴凯湖鹤类同步调查2025" in text


def test_the_chart_is_labelled_in_both_languages(tiger_summary):
    text = charts.chart_text(tiger_summary.figures)
    assert text["total"] == "Итого / 总数"
    assert "амурский тигр" in text["title"] and "东北虎" in text["title"]
    assert text["countries"] == {"CN": "Китай / 中国", "RU": "Россия / 俄罗斯"}
    assert tiger_summary.chart_svg.lstrip().startswith("<?xml")
    assert "<svg" in tiger_summary.chart_svg


def test_the_page_sets_russian_and_chinese_side_by_side(tiger_summary, people, client):
    client.force_login(people.manager_ru)
    page = client.get(f"/en/exchange/summaries/{tiger_summary.pk}/").content.decode()
    assert page.count('<section lang="ru">') == page.count('<section lang="zh-hans">') > 5
    assert '<section lang="en">' not in page
    assert "амурский тигр" in page and "东北虎" in page
    assert "<svg" in page  # the chart, inline
    assert "?en=1" in page  # the English switch
    english = client.get(f"/en/exchange/summaries/{tiger_summary.pk}/?en=1").content.decode()
    assert english.count('<section lang="en">') == english.count('<section lang="ru">')
    assert "summary-row langs-3" in english


def test_the_html_file_stands_alone(tiger_summary, people):
    answer = client(people.reviewer).get(f"/api/v1/summaries/{tiger_summary.pk}/html/")
    html = answer.content.decode()
    assert "attachment" in answer["Content-Disposition"]
    assert "<style>" in html and ".summary-row" in html  # its style inline
    assert "<svg" in html and "<link" not in html  # nothing loaded from elsewhere
    assert "2,67" in html and "2.67" in html


def test_a_failed_build_is_recorded_on_the_summary(people, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no paper")

    monkeypatch.setattr(summary_pdf, "render", broken)
    summary = service.summary_create(
        access=None, user=None, species=TIGER, scope="joint", year=2025, enqueue=False
    )
    with pytest.raises(RuntimeError):
        service.summary_run(summary_id=summary.pk)
    summary.refresh_from_db()
    assert (summary.status, summary.error_code) == ("failed", "build_failed")
    answer = client(people.coordinator_ru).get(f"/api/v1/summaries/{summary.pk}/")
    assert answer.json()["error"]
