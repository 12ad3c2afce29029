"""Population-status summaries (issue 7): per species, per period (a year, a season or a
census campaign), per scope (one PA, one country, joint), in Russian and Chinese side by
side (English on request), as a page, an HTML file and a PDF.

The modules, each named after what it does:

- ``periods``, ``scope``: what a summary covers; ``context``: the PAs in scope, the
  counted records, the periods of the trend;
- ``figures`` (with ``census``, ``individuals``, ``camera``, ``breeding``): the figures,
  from database aggregates; ``targets``: the programme's targets from the seeds;
- ``fingerprint``: what the figures were made from, and the "outdated" check;
- ``labels``, ``formatting``, ``findings``, ``document``: the figures worded in one
  language; ``charts``, ``pdf``, ``fonts``: the chart and the PDF;
- ``service``: create, build (the Celery task's body), the monthly schedule; ``tasks``:
  the Celery tasks; ``selectors``: which summaries a user may read;
- ``api``, ``api_urls``: the API (/api/v1/summaries/); ``views``, ``forms``, ``urls``: the
  pages (/exchange/summaries/).
"""
