from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Individual,
    IndividualCode,
    Membership,
    Observation,
    ProtectedArea,
    Species,
    SurveyEvent,
)


@admin.register(ProtectedArea)
class ProtectedAreaAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_en",
        "name_ru",
        "name_zh",
        "country",
        "status",
        "area_ha",
        "four_eyes",
    ]
    list_filter = ["country", "status", "designation", "four_eyes"]
    search_fields = ["code", "name_en", "name_ru", "name_zh"]
    filter_horizontal = ["target_species"]
    autocomplete_fields = ["transboundary_partner"]


@admin.register(Species)
class SpeciesAdmin(admin.ModelAdmin):
    list_display = [
        "scientific_name",
        "name_en",
        "name_ru",
        "name_zh",
        "iucn_category",
        "cites_appendix",
        "sensitivity",
        "jointly_monitored",
    ]
    list_filter = ["group", "jointly_monitored", "sensitivity", "iucn_category"]
    search_fields = ["scientific_name", "name_en", "name_ru", "name_zh"]


class IndividualCodeInline(admin.TabularInline):
    model = IndividualCode
    extra = 1


@admin.register(Individual)
class IndividualAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "species", "sex", "origin_node", "first_seen"]
    list_filter = ["species", "sex", "origin_node"]
    search_fields = ["label", "codes__code"]
    inlines = [IndividualCodeInline]


@admin.register(SurveyEvent)
class SurveyEventAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "protected_area", "kind", "status", "origin_node"]
    list_filter = ["kind", "status", "origin_node", "protected_area__country"]
    search_fields = ["team", "protocol", "notes"]
    raw_id_fields = ["protected_area", "created_by", "updated_by"]
    date_hierarchy = "started_at"


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = [
        "observed_at",
        "species",
        "protected_area",
        "count",
        "evidence",
        "status",
        "origin_node",
        "source",
    ]
    list_filter = ["status", "evidence", "source", "origin_node", "species"]
    search_fields = ["notes", "observer_code"]
    raw_id_fields = ["event", "individual", "created_by", "updated_by", "reviewed_by"]
    list_select_related = ["species", "protected_area"]
    date_hierarchy = "observed_at"


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "protected_area", "country"]
    list_filter = ["role", "country"]
    search_fields = ["user__username", "protected_area__code"]
    autocomplete_fields = ["protected_area"]
