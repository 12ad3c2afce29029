"""The records feature: observations and survey events, filed, changed and reviewed.

``kinds``: one description of each kind of record and its fields, which every path
(form, API, feed, sync, import, datasets) reads; ``services``: the writes;
``selectors``: the reads of the pages and the API; ``forms``, ``views`` and ``urls``:
the pages; ``api`` and ``api_urls``: /api/v1/observations/ and /api/v1/events/.
"""
