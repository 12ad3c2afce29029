"""The exchange with partner nodes, apart from the sync and the feed themselves
(exchange.sync, exchange.feed, exchange.client, exchange.signing).

- ``agreements``: changing a sharing agreement (saved, proposed, accepted, declined) and
  what follows from a change (re-evaluation, embargoes); ``terms``: an agreement's terms
  as plain data, checked, compared and worded for the pages;
- ``api``, ``api_urls``: the signed endpoints partner nodes call (``/api/v1/exchange/``:
  feed, agreement, photos); ``nonces``: the request nonces they may not replay;
- ``views``, ``forms``, ``urls``: the coordinators' pages (``/exchange/``: partners' sync
  state, agreements and proposals, the sent log);
- ``tasks``: the Celery tasks (sync with a partner, re-evaluation, embargoes, nonces).
"""
