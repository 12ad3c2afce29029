"""Export pages, under /exchange/exports/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.export_list, name="exports-page"),
    path("<uuid:pk>/", views.export_page, name="export-page"),
]
