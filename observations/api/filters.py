import django_filters

from ..models import Country, ProtectedArea, Species


class ProtectedAreaFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(choices=Country.choices)
    status = django_filters.ChoiceFilter(choices=ProtectedArea.Status.choices)

    class Meta:
        model = ProtectedArea
        fields = ["country", "status", "designation"]


class SpeciesFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(
        choices=Country.choices,
        method="filter_country",
        label="Species that are targets of the country's PAs",
    )

    class Meta:
        model = Species
        fields = ["group", "jointly_monitored", "country"]

    def filter_country(self, queryset, name, value):
        return queryset.filter(protected_areas__country=value).distinct()
