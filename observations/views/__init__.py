"""Server-rendered pages. Thin: check access, call a selector or a service, render.

``reference``: the dashboard, protected areas and species (the record pages are
observations.records.views); ``history`` shapes a record's change history for its
page; ``remarks``: comments, flags and their answers. Anything a user may not
see answers 404, never 403.
"""

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
    "protected_area_detail",
    "protected_area_list",
    "record_remark",
    "record_reopen",
    "remark_answer",
    "species_detail",
    "species_list",
]
