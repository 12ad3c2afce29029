"""Page URLs of joint census campaigns, under /<lang>/census/ (observations.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list, name="census-list"),
    path("new/", views.campaign_create, name="census-create"),
    path("<uuid:pk>/", views.campaign_detail, name="census-detail"),
    path("<uuid:pk>/submit/", views.count_submit, name="census-count-submit"),
    path("<uuid:pk>/reconcile/", views.campaign_reconcile, name="census-reconcile"),
    path("counts/<uuid:pk>/edit/", views.count_edit, name="census-count-edit"),
    path("counts/<uuid:pk>/confirm/", views.count_confirm, name="census-count-confirm"),
    path("flags/<uuid:pk>/resolve/", views.flag_resolve, name="census-flag-resolve"),
]
