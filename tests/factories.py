"""factory-boy factories for the records the stories build most: people with a role,
survey events and observations.

They write rows directly, as the stories' own builders did (no service, no history of a
user's action): a story that needs the services' checks calls the services. Only what a
row cannot do without has a default; everything else keeps the model's default, so a
factory-made record is the record the story spells out.
"""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from observations.models import Membership, Observation, Role, Species, SurveyEvent

UTC = dt.UTC


class UserFactory(DjangoModelFactory):
    """A user with the password "demo" and, unless ``membership=None``, one membership:
    ``UserFactory(membership__role=Role.RANGER, membership__protected_area=pa)``."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    password = factory.django.Password("demo")
    membership = factory.RelatedFactory(
        "tests.factories.MembershipFactory", factory_related_name="user"
    )


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, membership=None)
    role = Role.RANGER
    protected_area = None
    country = ""


class SurveyEventFactory(DjangoModelFactory):
    """A verified survey of a month at ``protected_area`` (required)."""

    class Meta:
        model = SurveyEvent

    kind = "snow_track"
    started_at = dt.datetime(2024, 1, 20, 1, 0, tzinfo=UTC)
    ended_at = factory.LazyAttribute(lambda e: e.started_at + dt.timedelta(days=30))
    status = "verified"


class ObservationFactory(DjangoModelFactory):
    """A verified single sighting at the centre of ``protected_area`` (required).

    ``species`` may be a Species or its scientific name."""

    class Meta:
        model = Observation

    species = "Panthera tigris altaica"
    observed_at = dt.datetime(2024, 1, 20, 3, 0, tzinfo=UTC)
    latitude = factory.LazyAttribute(lambda o: o.protected_area.centroid_lat)
    longitude = factory.LazyAttribute(lambda o: o.protected_area.centroid_lon)
    count = 1
    evidence = "sighting"
    status = "verified"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        if isinstance(kwargs.get("species"), str):
            kwargs["species"] = Species.objects.get(scientific_name=kwargs["species"])
        return super()._create(model_class, *args, **kwargs)
