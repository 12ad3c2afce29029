import django_filters
from django.utils.translation import gettext as _

from ..errors import DomainError
from ..models import Country, ProtectedArea, Species

# Query parameters every list understands besides its filters (pages, format).
PAGING_PARAMETERS = frozenset({"cursor", "limit", "offset", "format"})


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that refuses parameters it does not know (400, translated) instead of
    ignoring them. A reader who types ``latitude__gte=44.96`` must not get an answer that
    looks filtered but is not, nor any filter on the stored place: places are filtered
    with ``bbox``, on the place the reader is shown (observations.disclosure)."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        unknown = sorted(set(data or ()) - set(self.filters) - PAGING_PARAMETERS)
        if unknown:
            raise DomainError(
                _("Unknown filter: %(value)s. Known: %(known)s.")
                % {"value": ", ".join(unknown)[:200], "known": ", ".join(sorted(self.filters))},
                "unknown_filter",
                field=unknown[0][:50],
            )


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
