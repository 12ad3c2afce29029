"""Pages of the exchange with its partners, at the root of /exchange/."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="exchange-overview"),
    path("<str:code>/sync/", views.sync_now, name="exchange-sync-now"),
    path("<str:code>/agreement/", views.agreement_edit, name="exchange-agreement-edit"),
    path(
        "<str:code>/agreement/propose/",
        views.agreement_propose_view,
        name="exchange-agreement-propose",
    ),
    path(
        "<str:code>/agreement/proposals/<int:pk>/accept/",
        views.proposal_accept_view,
        name="exchange-proposal-accept",
    ),
    path(
        "<str:code>/agreement/proposals/<int:pk>/decline/",
        views.proposal_decline_view,
        name="exchange-proposal-decline",
    ),
    path("<str:code>/log/", views.sent_log, name="exchange-sent-log"),
]
