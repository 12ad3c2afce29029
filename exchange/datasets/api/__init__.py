"""API of shared datasets: ``/api/v1/datasets/``.

- ``GET /`` the datasets you may read; ``POST /`` a new one (coordinators):
  ``{"title", "description_en", "description_ru", "description_zh", "licence",
  "precision", "query": {<exchange.exports.query filters>}, "include_received",
  "excluded_records"}``.
- ``GET|PATCH /{id}/``; ``POST /{id}/publish/`` ``{"note"}``: 201 with the published
  version, or 202 while a worker freezes a big one.
- ``GET /{id}/versions/``, ``GET /{id}/versions/{n}/`` (row count, checksum, citation...).
- ``GET /{id}/versions/{n}/rows/`` with the filters of exchange.datasets.browse (species,
  protected_area, country, status, evidence, origin, observed_from, observed_to, flags),
  ``limit``/``offset``; ``GET .../rows/{record_id}/`` one row with its remarks;
  ``POST .../rows/{record_id}/remarks/`` ``{"kind": "comment"|"flag", "reason", "text"}``.
- ``GET /{id}/versions/{n}/summary/`` tables; ``GET .../map/`` the generalised places
  (GeoJSON); ``POST .../downloads/`` ``{"format": "csv"|"xlsx"|"dwca", "language"}``: 202
  with the export job (followed at ``/api/v1/exports/{job}/``).
- ``GET /{id}/compare/?from=1&to=2`` (a number or a version's id) and
  ``GET /{id}/compare/csv/?from=1&to=2``.
- ``GET /{id}/flags/?state=open|closed``; ``GET|POST /{id}/comments/`` ``{"text",
  "version"}``; ``GET|POST /{id}/reviewers/`` ``{"username"}``, ``DELETE
  /{id}/reviewers/{user_id}/``.

A dataset you may not read answers 404; one you read but may not manage answers 403 to
changes. Errors are ``{"code", "detail", "field"?}`` in the request's language.
"""
