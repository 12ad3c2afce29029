"""What the API's input serializers share."""

from rest_framework import serializers


class PartialInput(serializers.Serializer):
    """An input that a PATCH uses too: with ``partial_update=True`` no field is required and
    none is filled in with its default, so a change names only what it changes and the
    service keeps the rest as stored."""

    def __init__(self, *args, partial_update=False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial_update:
            for field in self.fields.values():
                field.required = False
                field.default = serializers.empty
