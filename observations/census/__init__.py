"""Joint census campaigns: one feature package, in the rooms every feature has.

- ``models``: campaigns, counts, double-count flags (re-exported by observations.models);
- ``services``: the writes (``campaigns``, ``counts``, ``reconciliation``);
- ``selectors``: the reads the pages and the API share (participation, the joint total);
- ``forms`` and ``views``: the pages, their URL list in ``urls``;
- ``api``: serializers and viewsets, their URL list in ``api_urls``.

Who may do what is answered by observations.access (its census block).
"""
