"""Shared datasets for joint workshops: frozen, versioned, reviewable (issue 8).

The parts, each named after what it does:

- ``definition``: what a coordinator writes (title, descriptions, licence, precision, the
  query) checked and stored; reviewers invited and removed;
- ``query``: the records a dataset's query selects, and each row's values as SQL
  expressions, places generalised by the disclosure policy's SQL twin;
- ``publish``: a new version, frozen by one ``INSERT ... SELECT`` (a Celery task for big
  ones), then counted, checksummed and cited;
- ``checksum`` and ``citation``: the version's SHA-256 and citation line;
- ``browse``: a version's rows with filters, summary tables, map points, flags;
- ``review``: comments on the dataset, comments and flags on its rows (Remarks, which
  travel to the record's owner through the change feed);
- ``compare``: what was added, removed and changed between two versions;
- ``download``: a version as CSV, XLSX or Darwin Core Archive, by exchange.exports;
- ``api`` and ``api_urls``: ``/api/v1/datasets/``; ``views``, ``forms`` and ``urls``: the
  pages under ``/exchange/datasets/``; ``tasks``: the Celery task that freezes big versions.
- ``permissions``: who reads and reviews a dataset.

Who may do what: ``permissions`` (who reads and reviews a dataset: its invited reviewers),
on the roles observations.access knows (``Access.can_manage_datasets``).
"""
