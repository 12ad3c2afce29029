"""Remarks: comments, flags and their answers on a record, from this node's people or the
partner's (they travel with the feed). Rooms: ``models``, ``services`` (the writes),
``selectors`` (a record's remarks for its page), ``api``, ``views``, ``urls``, ``api_urls``."""
