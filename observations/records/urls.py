"""The record pages (under the language prefix, included by config.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("records/new/", views.record_create, name="record-create"),
    path("records/mine/", views.my_records, name="my-records"),
    path("records/<uuid:pk>/", views.record_detail, name="record-detail"),
    path("records/<uuid:pk>/edit/", views.record_edit, name="record-edit"),
    path("records/<uuid:pk>/submit/", views.record_submit, name="record-submit"),
    path("records/<uuid:pk>/delete/", views.record_delete, name="record-delete"),
    path("records/<uuid:pk>/review/", views.record_review, name="record-review"),
    path("review/", views.review_queue, name="review-queue"),
]
