"""Sign-in: django-axes' counting of failed attempts and the lock page (``logins``,
``views``) and the API's token endpoint (``api``)."""
