"""Camtrap DP 1.0 (TDWG's Camera Trap Data Package): export and import.

A package is a zip of ``datapackage.json`` and three CSV tables, ``deployments.csv``,
``media.csv`` and ``observations.csv``, whose columns follow the official table schemas
(version 1.0.2, kept in ``schemas/`` beside this module with their source and licence; the
tests validate our packages against them with ``frictionless``, without a network).

**Export** (``camtrap_dp_export``) leaves the node, so:

- a package is made to be published, so a deployment's position is the one the
  disclosure policy shows the public (observations.disclosure: the station rule, the
  centre of its 10 km cell or coarser, whatever was or was not classified there yet),
  with ``coordinateUncertainty`` the cell's half-diagonal; the camera's serial number and
  the photos' file names stay home;
- photos showing people that no coordinator released are left out, with their
  media-level observations; deployments still out (no end) and photos or sequences
  without a time (the standard requires one) are left out too;
- no EXIF goes into ``exifData``; with ``include_media`` the photos are added under
  ``media/`` as observations.camera.outgoing makes them (no GPS, no maker notes);
- no personal names: ``classifiedBy`` is the observer's pseudonymous code.

Our ids (UUIDs) become the package's ``deploymentID``, ``mediaID``, ``eventID`` (a
sequence) and ``observationID`` (a classification); observations are at event level.

**Import** (``camtrap_dp_import``) takes a zip from TRAPPER, Agouti, Wildlife Insights or
this node, into one protected area that the importer may record in. Everything is checked
first and written in one transaction, or nothing is (``PackageInvalid`` lists each broken
row: table, row number, field, message). Deployments go through the deployment service
(and so the one validation service: the PA's rules, the Amur basin, times); media rows
become photos "not on this node" (their ``filePath`` kept) unless the zip carries the
file, which is then checked and stored like an upload; events become sequences (photos
not in any event are grouped by the usual gap); every observation row becomes a
classification (a ``human`` or ``vehicle`` one marks its photos, or its event's, as
showing people: observations.camera.people), and animal observations of species this
node monitors also become Observation records (evidence "camera", source "file
import"), at event level, or from the media-level rows of an event that has none. Ids
are derived from the package's id and the row's id (or taken as they are when they are
our own UUIDs), so importing the same package twice creates nothing new.
"""

from .export import camtrap_dp_export
from .importer import camtrap_dp_import
from .reading import PackageInvalid, RowError
from .run import ImportResult

__all__ = ["ImportResult", "PackageInvalid", "RowError", "camtrap_dp_export", "camtrap_dp_import"]
