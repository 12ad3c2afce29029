"""A record's remarks (comments, flags, answers) and its reopening, which needs a reason."""

from django.urls import path

from . import views

urlpatterns = [
    path("records/<uuid:pk>/reopen/", views.record_reopen, name="record-reopen"),
    path("records/<uuid:pk>/remarks/", views.record_remark, name="record-remark"),
    path(
        "records/<uuid:pk>/remarks/<uuid:remark_pk>/answer/",
        views.remark_answer,
        name="remark-answer",
    ),
]
