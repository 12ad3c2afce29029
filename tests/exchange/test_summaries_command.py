"""A sample summary is one command from the data: ``manage.py make_summary`` makes it in
its own process, stores it, and writes its PDFs and HTML files into a folder."""

import pytest
from django.core.management import CommandError, call_command

from exchange.models import Summary

from .summary_stories import make_tigers

pytestmark = pytest.mark.django_db


def test_make_summary_writes_the_files(people, tmp_path, capsys):
    make_tigers(people)
    out = tmp_path / "summaries"  # made by the command
    call_command(
        "make_summary",
        "--species",
        "panthera-tigris-altaica",
        "--year",
        "2025",
        "--out",
        str(out),
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "amur-summary-panthera-tigris-altaica-2025-joint-en.html",
        "amur-summary-panthera-tigris-altaica-2025-joint-en.pdf",
        "amur-summary-panthera-tigris-altaica-2025-joint.html",
        "amur-summary-panthera-tigris-altaica-2025-joint.pdf",
    ]
    assert (out / names[-1]).read_bytes().startswith(b"%PDF")
    summary = Summary.objects.get()
    assert (summary.status, summary.total) == ("done", 3)
    assert "total 3 (individuals)" in capsys.readouterr().out


def test_make_summary_says_what_is_wrong(seeds, tmp_path):
    with pytest.raises(CommandError, match="unknown_species"):
        call_command("make_summary", "--species", "panthera-leo", "--year", "2025")
