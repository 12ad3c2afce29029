"""Pages of the file import (upload, preview, progress, templates), under /<lang>/imports/."""

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("", views.upload, name="import-upload"),
    path("<uuid:pk>/", views.job_detail, name="import-job"),
    path("<uuid:pk>/confirm/", views.job_confirm, name="import-confirm-page"),
    re_path(
        r"^template-(?P<language>en|ru|zh)\.(?P<fmt>csv|xlsx)$",
        views.template_file,
        name="import-template",
    ),
]
