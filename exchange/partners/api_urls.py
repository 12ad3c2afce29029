"""Endpoints that partner nodes call, under /api/v1/exchange/ (exchange.partners.api)."""

from django.urls import path

from . import api

urlpatterns = [
    path("feed/", api.feed, name="exchange-feed"),
    path("agreement/", api.agreement, name="exchange-agreement"),
    path("media/<str:sha256>/<str:variant>/", api.media_file, name="exchange-media"),
]
