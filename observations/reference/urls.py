"""Pages of the reference lists: the dashboard, protected areas and species."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("protected-areas/", views.protected_area_list, name="pa-list"),
    path("protected-areas/<str:code>/", views.protected_area_detail, name="pa-detail"),
    path("species/", views.species_list, name="species-list"),
    path("species/<int:pk>/", views.species_detail, name="species-detail"),
]
