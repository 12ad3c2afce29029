from django.urls import path

from . import api

urlpatterns = [
    path("feed/", api.feed, name="exchange-feed"),
    path("agreement/", api.agreement, name="exchange-agreement"),
]
