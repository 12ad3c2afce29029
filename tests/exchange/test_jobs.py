"""The one progress rule of every background job (observations.jobs.BackgroundJob)."""

import pytest

from exchange.models import ExportJob, Summary
from observations.jobs import BackgroundJob
from observations.models import ImportJob


@pytest.mark.parametrize("model", [ImportJob, ExportJob, Summary])
def test_every_job_model_is_a_background_job(model):
    assert issubclass(model, BackgroundJob)
    assert model.Status is BackgroundJob.Status


@pytest.mark.parametrize("model", [ImportJob, ExportJob, Summary])
@pytest.mark.parametrize(
    ("status", "processed", "total", "percent"),
    [
        ("pending", 0, 0, 0),
        ("running", 2000, 8000, 25),
        ("running", 8000, 8000, 99),
        ("done", 0, 0, 100),
        ("failed", 2000, 8000, 25),  # a failed job stops where it stopped, never at 100
        ("failed", 0, 0, 0),
    ],
)
def test_one_progress_rule(model, status, processed, total, percent):
    job = model(status=status, processed_rows=processed, total_rows=total)
    assert job.percent == percent
    assert job.is_finished == (status in ("done", "failed"))
