"""Server-rendered pages. Thin: check access, call a selector or a service, render.

``reference``: the dashboard, protected areas and species. ``records``: the
record form (new and edit), "my records", the record page and the PA
manager's review queue; ``history`` shapes a record's change history for its
page; ``remarks``: comments, flags and their answers. Anything a user may not
see answers 404, never 403.
"""

from .records import (
    my_records,
    record_create,
    record_delete,
    record_detail,
    record_edit,
    record_review,
    record_submit,
    review_queue,
)
from .reference import (
    dashboard,
    protected_area_detail,
    protected_area_list,
    species_detail,
    species_list,
)
from .remarks import record_remark, record_reopen, remark_answer

__all__ = [
    "dashboard",
    "my_records",
    "protected_area_detail",
    "protected_area_list",
    "record_create",
    "record_delete",
    "record_detail",
    "record_edit",
    "record_remark",
    "record_reopen",
    "record_review",
    "remark_answer",
    "record_submit",
    "review_queue",
    "species_detail",
    "species_list",
]
