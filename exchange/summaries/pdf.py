"""The PDF of a summary (fpdf2): the documents of document.py side by side, Russian and
Chinese (and English when asked), with the trend chart.

Headings, paragraphs and facts are set in columns, one per language, each section's
columns starting level. Tables are set one per language, one under the other across the
page's width (a column would be too narrow), each with its own headers and its own number
formats. One font, Noto Sans CJK SC (fonts.py), embedded as a subset: the PDF shows the
same on any reader, and its text can be extracted (the tests do).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from . import charts
from .document import Document, Section, Table
from .fonts import font_path

# fontTools tells every table it subsets at INFO: not news for the node's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT = "noto"
GREEN, GREY, LIGHT = (45, 90, 61), (90, 96, 92), (232, 240, 234)
MARGIN, GAP, LINE = 12, 6, 1.15
# Characters the font lacks, and what stands in for them (Babel writes thin spaces).
SUBSTITUTES = str.maketrans({"\u202f": "\u00a0", "\u2009": "\u00a0", "\u200b": ""})


def _clean(text: str) -> str:
    return str(text).translate(SUBSTITUTES)


class SummaryPDF(FPDF):
    def __init__(self, title: str, made_at: dt.datetime):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        self.add_font(FONT, "", str(font_path()))
        # The subset's bounding boxes need not be measured again glyph by glyph when it is
        # saved (a fifth of the time of a PDF): readers take the font's box from its
        # descriptor, which fpdf2 writes from the whole font's head table.
        self.fonts[FONT].ttfont.recalcBBoxes = False
        self.set_font(FONT, size=9)
        self.set_title(_clean(title))
        self.set_creator("Amur Exchange")
        self.set_creation_date(made_at)  # when the figures were made, not when printed

    def footer(self):
        self.set_y(-MARGIN)
        self.set_font(FONT, size=7)
        self.set_text_color(*GREY)
        self.cell(0, 4, f"{self.page_no()} / {{nb}}", align="C")
        self.set_text_color(0, 0, 0)

    # --- columns -------------------------------------------------------------------
    @property
    def usable_width(self) -> float:
        return self.w - 2 * MARGIN

    def _block_height(self, lines, width) -> float:
        height = 0.0
        for text, size, _colour, space in lines:
            self.set_font(FONT, size=size)
            height += space + self.multi_cell(
                width, size * 0.3528 * 1.45, _clean(text), align="L", dry_run=True, output="HEIGHT"
            )
        return height

    def _block(self, lines, x, width) -> float:
        for text, size, colour, space in lines:
            self.set_y(self.get_y() + space)
            self.set_x(x)
            self.set_font(FONT, size=size)
            self.set_text_color(*colour)
            self.multi_cell(
                width,
                size * 0.3528 * 1.45,
                _clean(text),
                align="L",
                new_x=XPos.LEFT,
                new_y=YPos.NEXT,
            )
        self.set_text_color(0, 0, 0)
        return self.get_y()

    def columns(self, blocks: list[list[tuple]]) -> None:
        """One block of lines per language, side by side, starting level."""
        if not any(blocks):
            return
        n = len(blocks)
        width = (self.usable_width - GAP * (n - 1)) / n
        tallest = max(self._block_height(b, width) for b in blocks)
        room = self.h - self.b_margin - self.get_y()
        page = self.h - self.t_margin - self.b_margin
        if tallest > page:  # taller than a page: one language after the other
            for block in blocks:
                self._block(block, MARGIN, self.usable_width)
            return
        if tallest > room:
            self.add_page()
        top = self.get_y()
        bottom = top
        for i, block in enumerate(blocks):
            self.set_y(top)
            bottom = max(bottom, self._block(block, MARGIN + i * (width + GAP), width))
        self.set_y(bottom)

    # --- tables ----------------------------------------------------------------------
    def table_of(self, table: Table, language_name: str) -> None:
        self.set_font(FONT, size=7)
        self.set_text_color(*GREY)
        self.cell(0, 4, _clean(language_name), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)
        widths = table.weights or [2.5 if len(table.columns) > 3 else 2] + [1] * (
            len(table.columns) - 1
        )
        align = tuple("RIGHT" if numeric else "LEFT" for numeric in table.numeric)
        self.set_font(FONT, size=7.5)
        with self.table(
            col_widths=widths,
            text_align=align,
            headings_style=FontFace(emphasis="", fill_color=LIGHT, color=GREEN),
            line_height=7.5 * 0.3528 * 1.5,
            padding=0.8,
            borders_layout="SINGLE_TOP_LINE",
        ) as grid:
            header = grid.row()
            for label in table.columns:
                header.cell(_clean(label))
            for i, values in enumerate(table.rows):
                is_total = table.last_row_total and i == len(table.rows) - 1
                style = FontFace(fill_color=LIGHT) if is_total else None
                row = grid.row(style=style)
                for value in values:
                    row.cell(_clean(value))
        self.ln(2)


def _plain_svg(svg: bytes) -> bytes:
    """The chart without its <metadata> element, which fpdf2 does not read (and says so)."""
    return re.sub(rb"<metadata>.*?</metadata>", b"", svg, flags=re.S)


def _heading_lines(section: Section) -> list[tuple]:
    return [(section.heading, 11, GREEN, 3)]


def _text_lines(section: Section) -> list[tuple]:
    lines = [(p, 9, (0, 0, 0), 1) for p in section.paragraphs]
    lines += [(f"{label}: {value}", 9, (0, 0, 0), 0.6) for label, value in section.facts]
    return lines


def render(docs: list[Document], chart_svg: bytes | None, made_at: dt.datetime) -> bytes:
    """The PDF of the documents (one per language, side by side), with the trend chart
    (matplotlib's SVG, drawn as vectors) after the trend section."""
    pdf = SummaryPDF(" / ".join(d.title for d in docs), made_at)
    pdf.add_page()
    pdf.columns(
        [
            [
                (d.language_name, 7, GREY, 0),
                (d.title, 14, GREEN, 1),
                (d.subtitle, 10, (0, 0, 0), 1),
                (d.made, 7.5, GREY, 1),
            ]
            for d in docs
        ]
    )
    pdf.ln(2)
    for index, section in enumerate(docs[0].sections):
        group = [d.sections[index] for d in docs]
        pdf.columns([_heading_lines(s) + _text_lines(s) for s in group])
        if section.table is not None:
            pdf.ln(1)
            for doc, s in zip(docs, group, strict=True):
                pdf.table_of(s.table, doc.language_name)
        if section.key == "trend" and chart_svg:
            height = pdf.usable_width * charts.HEIGHT / charts.WIDTH
            if pdf.get_y() + height > pdf.h - pdf.b_margin:
                pdf.add_page()
            pdf.image(io.BytesIO(_plain_svg(chart_svg)), x=MARGIN, w=pdf.usable_width)
            pdf.ln(2)
    return bytes(pdf.output())
