"""Summary pages, under /exchange/summaries/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.summary_list, name="summaries-page"),
    path("<uuid:pk>/", views.summary_page, name="summary-page"),
]
