"""Pages of the exchange (under the language prefix): one include per feature package.

The partners' pages come last: their ``<code>/...`` paths must not shadow the features'.
"""

from django.urls import include, path

urlpatterns = [
    path("exports/", include("exchange.exports.urls")),
    path("summaries/", include("exchange.summaries.urls")),
    path("datasets/", include("exchange.datasets.urls")),
    path("", include("exchange.partners.urls")),
]
