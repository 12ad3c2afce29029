from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange.models import FreeText, Node
from exchange.partners.agreements import agreement_save
from observations.errors import DomainError
from observations.models import ProtectedArea, RecordStatus, Species


class Command(BaseCommand):
    help = (
        "Set what this node shares with a partner (the same as the agreement page). "
        "Example: exchange_agreement CN --species 'Panthera tigris altaica' --precision "
        "'Panthera tigris altaica=10km'. The node's operator runs it; with --user the change "
        "is made as that user, who must be one of this node's own coordinators (or an admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument(
            "--species", nargs="*", help="scientific names (default: the six joint)"
        )
        parser.add_argument(
            "--protected-areas", nargs="*", default=[], help="PA codes (default: all)"
        )
        parser.add_argument(
            "--statuses", nargs="*", default=[str(s) for s in RecordStatus.SHARED_BY_DEFAULT]
        )
        parser.add_argument("--embargo-days", type=int, default=0)
        parser.add_argument("--precision", nargs="*", default=[], help="NAME=exact|1km|10km|pa")
        parser.add_argument("--media", default="thumbnails", choices=["none", "thumbnails", "full"])
        parser.add_argument("--licence", default="CC-BY-4.0")
        parser.add_argument(
            "--free-text",
            default=FreeText.WITHHOLD,
            choices=FreeText.values,
            help="notes, remarks, station names: withhold (default) or redact",
        )
        parser.add_argument("--inactive", action="store_true")
        parser.add_argument(
            "--user", help="username the change is made as (checked like the agreement page)"
        )

    def handle(self, *args, **o):
        partner = Node.objects.filter(code=o["code"]).first()
        if partner is None:
            raise CommandError(f"No partner {o['code']}: add it with exchange_partner first.")
        if o["species"] is None:
            species = list(Species.objects.filter(jointly_monitored=True))
        else:
            species = list(Species.objects.filter(scientific_name__in=o["species"]))
            if len(species) != len(set(o["species"])):
                raise CommandError("Unknown species among: " + ", ".join(o["species"]))
        pas = list(ProtectedArea.objects.filter(code__in=o["protected_areas"]))
        precision = {}
        for pair in o["precision"]:
            name, _, value = pair.rpartition("=")
            if value not in {"exact", "1km", "10km", "pa"} or not name:
                raise CommandError(f"Bad precision {pair!r}: use NAME=exact|1km|10km|pa")
            precision[name] = value
        user = None
        if o["user"]:
            user = get_user_model().objects.filter(username=o["user"]).first()
            if user is None:
                raise CommandError(f"No user {o['user']!r}.")
        try:
            agreement = agreement_save(
                partner=partner,
                user=user,  # None: the operator, nobody to check
                species=species,
                protected_areas=pas,
                statuses=o["statuses"],
                embargo_days=o["embargo_days"],
                precision=precision,
                media_level=o["media"],
                licence=o["licence"],
                free_text=o["free_text"],
                active=not o["inactive"],
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"agreement with {partner.code}: version {agreement.version}")
