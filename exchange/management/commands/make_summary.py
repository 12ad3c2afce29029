import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from exchange.summaries import html, service
from observations.errors import DomainError


class Command(BaseCommand):
    help = (
        "Make a population-status summary now, in this process, and write its PDFs and HTML "
        "into a folder, e.g. make_summary --species panthera-tigris-altaica --year 2025 "
        "--scope joint. It is stored like one asked for on the pages (and shown there)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--species", required=True, help="scientific name or its slug")
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--year", help="e.g. 2025")
        period.add_argument("--season", help="e.g. 2025-winter")
        period.add_argument("--campaign", help="a census campaign's id")
        parser.add_argument("--scope", default="joint", choices=["joint", "country", "pa"])
        parser.add_argument("--country", default="", help="RU or CN, with --scope country")
        parser.add_argument("--pa", default="", help="a PA code, with --scope pa")
        parser.add_argument(
            "--out", default="var/summaries", help="folder for the files (made if missing)"
        )

    def handle(self, *args, **o):
        try:
            summary = service.summary_create(
                access=None,
                user=None,
                species=o["species"],
                scope=o["scope"],
                country=o["country"],
                protected_area=o["pa"],
                year=o["year"],
                season=o["season"],
                campaign=o["campaign"],
                enqueue=False,
            )
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        start = time.perf_counter()
        summary = service.summary_run(summary_id=summary.pk)
        took = time.perf_counter() - start
        if summary.status != "done":
            raise CommandError(f"the summary failed: {summary.error_code} {summary.detail}")
        out = Path(o["out"])
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for field, english in ((summary.pdf, False), (service.english_pdf(summary), True)):
            path = out / service.filename(summary, "pdf", english=english)
            with field.open("rb") as fh:
                path.write_bytes(fh.read())
            written.append(path)
        with translation.override("en"):
            for english in (False, True):
                path = out / service.filename(summary, "html", english=english)
                path.write_text(html.standalone(summary, english=english), encoding="utf-8")
                written.append(path)
            name = html.describe(summary)
        figures = summary.figures
        self.stdout.write(
            f"{name['species']}, {name['period']}, {name['scope']}: total {summary.total} "
            f"({figures['basis']}), {figures['records']} records counted, made in {took:.2f} s"
        )
        self.stdout.write(f"summary {summary.pk} (page: /en/exchange/summaries/{summary.pk}/)")
        for path in written:
            self.stdout.write(f"  {path}")
