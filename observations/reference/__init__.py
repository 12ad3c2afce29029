"""The reference lists every record points at: protected areas and species, and the
dashboard that counts what a user may see. Rooms: ``selectors``, ``api`` (with its
``serializers``), ``views``, ``urls``, ``api_urls``. The models stay in observations.models
(places, species): every feature uses them."""
