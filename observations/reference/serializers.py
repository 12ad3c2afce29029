from rest_framework import serializers

from ..models import ProtectedArea, Species


class SpeciesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Species
        fields = [
            "id",
            "scientific_name",
            "name_en",
            "name_ru",
            "name_zh",
            "group",
            "iucn_category",
            "cites_appendix",
            "counting_unit",
            "allowed_units",
            "allowed_evidence",
            "sensitivity",
            "jointly_monitored",
            "target_value",
            "target_year",
        ]


class ProtectedAreaSerializer(serializers.ModelSerializer):
    transboundary_partner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    target_species = serializers.SlugRelatedField(
        slug_field="scientific_name", many=True, read_only=True
    )

    class Meta:
        model = ProtectedArea
        fields = [
            "code",
            "country",
            "status",
            "name_en",
            "name_ru",
            "name_zh",
            "designation",
            "level",
            "province",
            "area_ha",
            "targets",
            "habitat",
            "target_species",
            "time_zone",
            "centroid_lat",
            "centroid_lon",
            "transboundary_partner",
            "note",
        ]
