"""The Darwin Core Archive: event core (with effort, in Humboldt extension terms where they
fit), occurrence extension, ``meta.xml`` and ``eml.xml``, deflated into one zip.

Every column is defined once (``Column``): a DwC term, a Django expression evaluated by the
database, and how its value is written. On PostgreSQL each data file is
``COPY (SELECT ...) TO STDOUT`` on a second connection, in one REPEATABLE READ read-only
transaction (events and occurrences of one snapshot), written straight into the zip entry:
the database builds and generalises the rows (the disclosure policy's SQL twin) while Python
deflates the previous ones, and memory stays flat. Elsewhere (SQLite, the laptop) the same
query is read with a chunked cursor and the same values written by Python.

Files are tab-separated UTF-8 without quoting (``fieldsEnclosedBy=""``): tabs, line breaks
and the unit separator in free text become spaces, so no value can break a row (codes,
numbers and identifiers cannot hold them and are written as they are).

The modules, each doing one job:

- ``licences``: the licences of exports and datasets, by their names in the metadata;
- ``columns``: a column of a row (``Column``: a term, its expression, how it is written),
  the place terms the disclosure policy decides, the terms' URIs;
- ``terms``: which terms the event core and the occurrence rows have, in which order:
  those of the records' fields from their description (observations.records.kinds:
  ``dwc``), and the archive's own (constants, computed ones); the "incidental" core rows;
- ``rows``: the rows written as text, by ``COPY`` (PostgreSQL) or by Python (elsewhere);
- ``meta``: ``meta.xml`` (which file holds which terms) and ``eml.xml`` (the metadata);
- ``archive``: the archives put together (an export's, a dataset version's).
"""
