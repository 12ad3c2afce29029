"""The records' API: ``filters``, ``serializers`` and ``views`` (routed by records.api_urls)."""
