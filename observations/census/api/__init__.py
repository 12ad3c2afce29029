"""The census API: ``serializers`` (what requests say, what answers show) and ``views``
(the viewsets); their URL list is observations.census.api_urls."""
