"""Exports of field records (CSV, XLSX, GeoJSON, Darwin Core Archive), built by a worker.

The modules, each named after what it does:

- ``query``: the filters of an export, the records they select, their columns;
  ``tabular``: the CSV, XLSX and GeoJSON writers; ``dwca/``: the Darwin Core Archive;
  ``dataset``: a shared dataset version's frozen rows as a download (exchange.datasets);
- ``service``: create (checked, enqueued), run (the Celery task's body), purge;
  ``tasks``: the Celery tasks; ``selectors``: which exports a user may follow;
- ``api``, ``api_urls``: the API (/api/v1/exports/); ``views``, ``forms``, ``labels``,
  ``urls``: the pages (/exchange/exports/).
"""
