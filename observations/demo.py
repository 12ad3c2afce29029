"""Synthetic demo data: plausible monitoring records for the last three years.

Every record made here has ``source="demo"`` and a note saying it is
synthetic, and the pages mark it so: nobody should mistake it for real
monitoring data. Records are made for the PAs of this node's own country
only (the other side's records arrive through the exchange, as in real
life). The generator is deterministic (a fixed random seed) so that two runs
on two machines show the same demo.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .models import (
    Individual,
    IndividualCode,
    Membership,
    Observation,
    ProtectedArea,
    RecordStatus,
    Role,
    Species,
    SurveyEvent,
)
from .models.records import RecordSource

SYNTHETIC_NOTE = "[synthetic demo data]"
DEMO_TEAM = "demo team"
DEMO_REJECTION = "demo: location outside the route"
DEMO_LABEL_SUFFIX = " (demo)"
# The demo data's own markers, in its records' notes, team, rejection reasons and animal
# labels: data (the same on a Russian and a Chinese node), not words of the interface.
DEMO_NOTES = (SYNTHETIC_NOTE, DEMO_TEAM, DEMO_REJECTION, DEMO_LABEL_SUFFIX.strip())
TIGER = "Panthera tigris altaica"
LEOPARD = "Panthera pardus orientalis"
CATS = {TIGER, LEOPARD}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    pa_code: str | None = None
    country: str = ""


DEMO_USERS = [
    DemoUser("ranger_ru", Role.RANGER, pa_code="RU-KHANKAISKY"),
    DemoUser("ranger_cn", Role.RANGER, pa_code="CN-XINGKAIHU"),
    DemoUser("manager_ru", Role.PA_MANAGER, pa_code="RU-KHANKAISKY"),
    DemoUser("manager_cn", Role.PA_MANAGER, pa_code="CN-XINGKAIHU"),
    DemoUser("coordinator_ru", Role.COORDINATOR, country="RU"),
    DemoUser("coordinator_cn", Role.COORDINATOR, country="CN"),
    DemoUser("reviewer", Role.REVIEWER),
    DemoUser("admin", Role.ADMIN),
]

# Which species to simulate where the seed table names no joint species for a PA,
# chosen by the PA's habitat as the source table gives it.
WETLAND_SPECIES = ["Grus japonensis", "Antigone vipio", "Ciconia boyciana", "Ciconia nigra"]
FOREST_SPECIES = ["Ciconia nigra"]


def ensure_demo_users(password: str | None = None) -> list:
    """Create (or reset) the demo users and their memberships. Idempotent."""
    password = password or settings.DEMO_PASSWORD
    User = get_user_model()
    pas = {pa.code: pa for pa in ProtectedArea.objects.all()}
    users = []
    for spec in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=spec.username)
        user.set_password(password)
        user.is_staff = user.is_superuser = spec.role == Role.ADMIN
        user.save()
        pa = pas.get(spec.pa_code) if spec.pa_code else None
        Membership.objects.get_or_create(
            user=user, role=spec.role, protected_area=pa, country=spec.country
        )
        users.append(user)
    return users


def demo_data_present() -> bool:
    return Observation.objects.filter(source=RecordSource.DEMO).exists()


def _species_for(pa: ProtectedArea, species: dict[str, Species]) -> list[Species]:
    chosen = list(pa.target_species.all())
    if not chosen:
        habitat = (pa.habitat or "").lower()
        names = WETLAND_SPECIES if ("wetland" in habitat or "fresh" in habitat) else FOREST_SPECIES
        chosen = [species[n] for n in names if n in species]
    return chosen


def _aware(day: datetime, hour: int, rng: random.Random, pa: ProtectedArea) -> datetime:
    local = day.replace(hour=hour, minute=rng.randrange(60), tzinfo=pa.tz)
    return local.astimezone(UTC)


def _status(rng: random.Random, when: datetime, now: datetime) -> str:
    if now - when < timedelta(days=20):
        return rng.choice([RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.SUBMITTED])
    return RecordStatus.VERIFIED if rng.random() < 0.95 else RecordStatus.REJECTED


@transaction.atomic
def make_demo_data(*, years: int = 3, seed: int = 20261121, node: str | None = None) -> dict:
    """Fill this node with synthetic records for its own country's PAs."""
    node = node or settings.NODE_CODE
    rng = random.Random(f"{seed}-{node}")  # each node its own records (and UUIDs)
    now = timezone.now()
    start = now - timedelta(days=365 * years)
    species = {s.scientific_name: s for s in Species.objects.all()}
    User = get_user_model()
    rangers = {
        m.protected_area_id: m.user
        for m in Membership.objects.filter(role=Role.RANGER).select_related("user")
    }
    pas = list(
        ProtectedArea.objects.filter(
            country=node, status=ProtectedArea.Status.EXISTING, centroid_lat__isnull=False
        ).prefetch_related("target_species")
    )
    individuals = _make_individuals(rng, species, node)
    events, observations = [], []
    for pa in pas:
        author = rangers.get(pa.pk) or User.objects.filter(username="admin").first()
        for sp in _species_for(pa, species):
            cat = sp.scientific_name in CATS
            # Cats: winter snow-track routes and camera checks; birds: counts in the season.
            months = [1, 2, 3, 11, 12] if cat else [4, 5, 6, 7, 8]
            day = start
            while day < now:
                if day.month in months and rng.random() < 0.25:
                    event, obs = _make_event(rng, pa, sp, day, now, author, individuals, node)
                    events.append(event)
                    observations.extend(obs)
                day += timedelta(days=7)
    bulk_create_with_history(events, SurveyEvent, batch_size=1000)
    bulk_create_with_history(observations, Observation, batch_size=1000)
    return {"events": len(events), "observations": len(observations), "pas": len(pas)}


# Catalogue code prefixes per node: Russian catalogues say T-12, Chinese ones AT-033.
PREFIXES = {"RU": {TIGER: "T", LEOPARD: "L"}, "CN": {TIGER: "AT", LEOPARD: "AL"}}


def _make_individuals(rng, species, node) -> dict[str, list[Individual]]:
    """A few known tigers and leopards of this node's own catalogue (matching them with the
    other side's catalogue is a reviewed decision, not demo data)."""
    result = {}
    prefixes = PREFIXES.get(node, {TIGER: f"{node}-T", LEOPARD: f"{node}-L"})
    for name, n in [(TIGER, 8), (LEOPARD, 5)]:
        if name not in species:
            continue
        animals = []
        for i in range(1, n + 1):
            code = f"{prefixes[name]}-{i:02d}" if node == "RU" else f"{prefixes[name]}-{30 + i:03d}"
            existing = IndividualCode.objects.filter(catalogue=node, code=code).first()
            if existing:
                animals.append(existing.individual)
                continue
            ind = Individual.objects.create(
                label=f"{code}{DEMO_LABEL_SUFFIX}",
                species=species[name],
                origin_node=node,
                sex=rng.choice(["male", "female"]),
                notes=SYNTHETIC_NOTE,
            )
            IndividualCode.objects.create(individual=ind, catalogue=node, code=code)
            animals.append(ind)
        result[name] = animals
    return result


def _jitter(pa: ProtectedArea, rng: random.Random) -> tuple[float, float]:
    return (
        round(pa.centroid_lat + rng.uniform(-0.06, 0.06), 6),
        round(pa.centroid_lon + rng.uniform(-0.08, 0.08), 6),
    )


def _make_event(rng, pa, sp, day, now, author, individuals, node):
    cat = sp.scientific_name in CATS
    kind = (
        rng.choice(["snow_track", "camera_trap"])
        if cat
        else rng.choice(["point_count", "nest_survey", "transect"])
    )
    started = _aware(day, rng.choice([6, 7, 8, 9]), rng, pa)
    ended = started + timedelta(hours=rng.randint(2, 8))
    lat, lon = _jitter(pa, rng)
    status = _status(rng, started, now)
    event = SurveyEvent(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        origin_node=node,
        protected_area=pa,
        kind=kind,
        started_at=started,
        ended_at=ended,
        latitude=lat,
        longitude=lon,
        effort_km=Decimal(rng.randint(5, 25)) if kind in ("snow_track", "transect") else None,
        effort_trap_nights=Decimal(rng.randint(20, 60)) if kind == "camera_trap" else None,
        effort_hours=Decimal(rng.randint(2, 8)),
        team=DEMO_TEAM,
        status=status,
        notes=SYNTHETIC_NOTE,
        created_by=author,
        updated_by=author,
    )
    observations = []
    for _ in range(rng.randint(1, 3)):
        if cat:
            evidence = "camera" if kind == "camera_trap" else rng.choice(["track", "track", "scat"])
            count = 1
            unit = "individuals"
        else:
            evidence = "nest" if kind == "nest_survey" else rng.choice(["sighting", "call"])
            count = rng.randint(1, 4) if evidence == "nest" else rng.randint(1, 30)
            unit = "nests" if evidence == "nest" else "individuals"
        obs_lat, obs_lon = _jitter(pa, rng)
        individual = None
        if cat and evidence == "camera" and individuals.get(sp.scientific_name):
            individual = rng.choice(individuals[sp.scientific_name])
        observations.append(
            Observation(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                origin_node=node,
                event=event,
                protected_area=pa,
                species=sp,
                observed_at=started + timedelta(minutes=rng.randint(0, 120)),
                latitude=obs_lat,
                longitude=obs_lon,
                coordinate_uncertainty_m=rng.choice([10, 30, 100]),
                count=count,
                count_min=max(0, count - 2) if count > 5 else None,
                count_max=count + 3 if count > 5 else None,
                unit=unit,
                evidence=evidence,
                individual=individual,
                status=status,
                rejection_reason=DEMO_REJECTION if status == "rejected" else "",
                notes=SYNTHETIC_NOTE,
                observer_code=f"{node}-OBS-{rng.randint(1, 12):03d}",
                source=RecordSource.DEMO,
                created_by=author,
                updated_by=author,
            )
        )
    return event, observations
