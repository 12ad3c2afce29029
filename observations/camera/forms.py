"""Forms of the camera-trap pages. They parse what a person typed; the rules are the
services' (observations.camera.deployments, .classify), whose RecordInvalid or DomainError
is put back on the field it concerns."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..models import Deployment
from ..validation import RecordInvalid

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTime(forms.DateTimeField):
    """A wall-clock time in the PA's zone (datetime-local input); the service converts it."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)

    def __init__(self, **kwargs):
        super().__init__(input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and value.tzinfo is not None:
            value = value.replace(tzinfo=None)  # the PA's local time, not the server's
        return value


class DeploymentForm(forms.Form):
    protected_area = forms.ChoiceField(label=_("Protected area"))
    station = forms.CharField(label=_("Station"), max_length=100)
    started_at = LocalDateTime(label=_("Set up (local time)"))
    ended_at = LocalDateTime(label=_("Collected (local time)"), required=False)
    latitude = forms.FloatField(label=_("Latitude"))
    longitude = forms.FloatField(label=_("Longitude"))
    camera_make = forms.CharField(label=_("Camera make"), max_length=100, required=False)
    camera_model = forms.CharField(label=_("Camera model"), max_length=100, required=False)
    camera_serial = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    camera_height_m = forms.DecimalField(
        label=_("Camera height (m)"), max_digits=4, decimal_places=2, required=False
    )
    camera_heading = forms.IntegerField(label=_("Heading (°)"), required=False)
    bait = forms.BooleanField(label=_("Bait used"), required=False)
    feature_type = forms.ChoiceField(
        label=_("Feature"), choices=Deployment.FeatureType.choices, required=False
    )
    habitat = forms.CharField(label=_("Habitat"), max_length=200, required=False)
    problem = forms.ChoiceField(
        label=_("Problem"), choices=Deployment.Problem.choices, required=False
    )
    working_until = LocalDateTime(
        label=_("Camera worked until (local time)"),
        required=False,
        help_text=_("Only when it failed before it was collected: effort counts until then."),
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, access: Access, deployment: Deployment | None = None, **kwargs):
        if deployment is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(deployment)
        super().__init__(*args, **kwargs)
        pas = access.recordable_pas().order_by("code")
        self.fields["protected_area"].choices = [(pa.code, pa.name) for pa in pas]
        if deployment is not None:
            self.fields["protected_area"].disabled = True
            self.fields["protected_area"].choices = [
                (deployment.event.protected_area.code, deployment.event.protected_area.name)
            ]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if self.fields["protected_area"].disabled:
            data.pop("protected_area", None)  # a deployment stays in its PA
        for name in ("feature_type", "problem"):
            data[name] = data.get(name) or ""
        return data

    def add_invalid(self, exc: RecordInvalid) -> None:
        for name, problems in exc.errors.items():
            target = name if name in self.fields else None
            for problem in problems:
                self.add_error(target, str(problem.message))


def initial_of(deployment: Deployment) -> dict:
    event = deployment.event
    zone = event.protected_area.tz

    def local(value):
        return value.astimezone(zone).replace(tzinfo=None) if value else None

    return {
        "protected_area": event.protected_area.code,
        "station": deployment.station,
        "started_at": local(event.started_at),
        "ended_at": local(event.ended_at),
        "latitude": event.latitude,
        "longitude": event.longitude,
        "camera_make": deployment.camera_make,
        "camera_model": deployment.camera_model,
        "camera_serial": deployment.camera_serial,
        "camera_height_m": deployment.camera_height_m,
        "camera_heading": deployment.camera_heading,
        "bait": deployment.bait,
        "feature_type": deployment.feature_type,
        "habitat": deployment.habitat,
        "problem": deployment.problem,
        "working_until": local(deployment.working_until),
        "notes": event.notes,
    }
