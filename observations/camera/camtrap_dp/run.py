"""What one Camtrap DP import carries from table to table: who imports into which PA, the
package's key (ids are derived from it), the rows' errors and the tally."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...models import Species
from ...validation import Reference
from .reading import _Rows

# Our field names as the package's columns, for a row error of the validation service.
COLUMNS = {
    "started_at": "deploymentStart",
    "ended_at": "deploymentEnd",
    "latitude": "latitude",
    "longitude": "longitude",
    "protected_area": "deploymentID",
    "working_until": "deploymentEnd",
    "station": "locationName",
    "observed_at": "eventStart",
    "species": "scientificName",
    "count": "count",
    "individual": "individualID",
    "evidence": "observationType",
}


@dataclass
class ImportResult:
    deployments: int = 0
    media: int = 0
    media_files: int = 0
    sequences: int = 0
    classifications: int = 0
    observations: int = 0
    unchanged: int = 0
    taxa_not_monitored: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return dict(self.__dict__)


class ImportRun:
    """One import's state, handed to each table's step (deployment_rows, media_rows,
    events, observation_rows)."""

    def __init__(self, *, access, user, pa, package, archive):
        self.access, self.user, self.pa = access, user, pa
        self.package, self.archive = package, archive
        self.rows = _Rows()
        self.result = ImportResult()
        self.ref = Reference()
        self.species = {sp.scientific_name.lower(): sp for sp in Species.objects.all()}
        self.stored_files: list[str] = []
        self.to_ingest: list[str] = []
        self.failed_deployments: set[str] = set()  # their rows' errors are enough

    def invalid(self, table: str, number: int, exc) -> None:
        """The validation service's problems with one row (a RecordInvalid), as row errors."""
        for name, problems in exc.errors.items():
            for problem in problems:
                self.rows.error(table, number, COLUMNS.get(name, name), problem.message)
