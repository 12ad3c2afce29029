"""Publishing a version: the dataset's query frozen into rows, counted, checksummed, cited.

``version_publish`` checks the request and numbers the new version under a lock on the
dataset, copying the dataset's definition onto it. A version of at most
``DATASET_PUBLISH_ASYNC_ROWS`` records is frozen at once, in the request's transaction;
a bigger one is frozen by the Celery task ``exchange.publish_dataset_version`` (status
``building`` meanwhile), enqueued when the transaction commits.

Freezing is one ``INSERT INTO dataset rows (...) SELECT ...`` over the records: the
database evaluates the query, generalises each place (exchange.datasets.query, the SQL twin
of observations.disclosure) and writes the rows; no record passes through Python. The row
count, the PAs that contributed, the checksum (read back from the rows) and the citation
follow, and the version is marked published. Nothing changes a published version's rows
afterwards: they are copies, not references.

Errors (DomainError codes): ``forbidden``, ``empty_dataset`` (the query selects no
record), the filter codes of exchange.exports.query.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from observations.access import Access, access_for
from observations.errors import DomainError, NotAllowed
from observations.models import ProtectedArea

from ..models import Dataset, DatasetRow, DatasetVersion
from . import checksum, citation, query

log = logging.getLogger(__name__)


def _records(access: Access, version: DatasetVersion | Dataset):
    return query.records_for(
        access=access,
        query=version.query,
        include_received=version.include_received,
        excluded=version.excluded_records,
    )


def _empty() -> DomainError:
    return DomainError(
        _("The dataset's query selects no record: there is nothing to publish."),
        "empty_dataset",
        field="query",
    )


def version_publish(*, access: Access, user, dataset: Dataset, note: str = "") -> DatasetVersion:
    """A new version of ``dataset``: published at once, or ``building`` for a worker."""
    if not access.can_manage_dataset(dataset):
        raise NotAllowed(_("Only national coordinators publish shared datasets."), "forbidden")
    # The stored query is checked again: the reference data may have changed since.
    query.clean_query(dataset.query)
    total = _records(access, dataset).count()
    if not total:
        raise _empty()
    with transaction.atomic():
        dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
        number = (dataset.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = DatasetVersion.objects.create(
            dataset=dataset,
            number=number,
            status=DatasetVersion.Status.BUILDING,
            note=(note or "").strip()[:5000],
            title=dataset.title,
            description_en=dataset.description_en,
            description_ru=dataset.description_ru,
            description_zh=dataset.description_zh,
            licence=dataset.licence,
            precision=dataset.precision,
            query=dataset.query,
            include_received=dataset.include_received,
            excluded_records=dataset.excluded_records,
            publisher=settings.NODE_NAME,
            published_by=user,
        )
        if total > settings.DATASET_PUBLISH_ASYNC_ROWS:
            transaction.on_commit(lambda: _enqueue(version.pk))
        else:
            _freeze(version, access)
    return version


def _enqueue(version_id) -> None:
    from .tasks import publish_dataset_version

    publish_dataset_version.delay(str(version_id))


def insert_rows(version: DatasetVersion, records) -> int:
    """``INSERT INTO <rows> (<columns>) SELECT <expressions> FROM <records' query>``."""
    expressions = query.row_expressions(version.pk, version.precision)
    aliases = {f"c{i}": expr for i, expr in enumerate(expressions.values())}
    select = records.annotate(**aliases).values_list(*aliases)
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(DatasetRow._meta.get_field(name).column) for name in expressions)
    table = quote(DatasetRow._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
    return DatasetRow.objects.filter(version=version).count()


def contributors_of(version: DatasetVersion) -> list[dict]:
    """The PAs whose records the version holds, by country and code, with their names."""
    ids = DatasetRow.objects.filter(version=version).values("protected_area_id").distinct()
    return [
        {
            "code": pa.code,
            "country": pa.country,
            "name_en": pa.name_en,
            "name_ru": pa.name_ru,
            "name_zh": pa.name_zh,
        }
        for pa in ProtectedArea.objects.filter(pk__in=ids).order_by("country", "code")
    ]


def _freeze(version: DatasetVersion, access: Access) -> None:
    """Write the rows and seal the version (inside the caller's transaction)."""
    rows = insert_rows(version, _records(access, version))
    if not rows:
        raise _empty()
    version.row_count = rows
    version.contributors = contributors_of(version)
    version.checksum = checksum.version_checksum(version)
    version.published_at = timezone.now()
    version.citation = citation.citation_line(
        title=version.title,
        number=version.number,
        published_at=version.published_at,
        contributors=version.contributors,
        licence=version.licence,
        checksum=version.checksum,
        node_name=version.publisher,
    )
    version.status = DatasetVersion.Status.PUBLISHED
    version.error = ""
    version.save()


def version_build(*, version_id) -> DatasetVersion:
    """The Celery task's body: freeze a ``building`` version. Idempotent: a version already
    published (or failed) is left alone; a retried build starts again from no rows."""
    try:
        with transaction.atomic():
            version = DatasetVersion.objects.select_for_update().get(pk=version_id)
            if version.status != DatasetVersion.Status.BUILDING:
                return version
            if version.published_by is None:
                raise DomainError(_("The publisher's account is gone."), "publisher_gone")
            DatasetRow.objects.filter(version=version).delete()
            _freeze(version, access_for(version.published_by))
    except Exception as exc:
        log.exception("dataset version %s failed", version_id)
        message = exc.message if isinstance(exc, DomainError) else exc.__class__.__name__
        DatasetVersion.objects.filter(pk=version_id, status=DatasetVersion.Status.BUILDING).update(
            status=DatasetVersion.Status.FAILED,
            error=gettext("The version could not be frozen: %(error)s") % {"error": message},
        )
        if not isinstance(exc, DomainError):
            raise
    return DatasetVersion.objects.get(pk=version_id)
