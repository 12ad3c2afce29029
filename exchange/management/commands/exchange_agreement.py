from django.core.management.base import BaseCommand, CommandError

from exchange.agreements import agreement_save
from exchange.models import Node
from observations.models import ProtectedArea, Species


class Command(BaseCommand):
    help = (
        "Set what this node shares with a partner (the same as the agreement page). "
        "Example: exchange_agreement CN --species 'Panthera tigris altaica' --precision "
        "'Panthera tigris altaica=10km'"
    )

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument(
            "--species", nargs="*", help="scientific names (default: the six joint)"
        )
        parser.add_argument(
            "--protected-areas", nargs="*", default=[], help="PA codes (default: all)"
        )
        parser.add_argument("--statuses", nargs="*", default=["verified"])
        parser.add_argument("--embargo-days", type=int, default=0)
        parser.add_argument("--precision", nargs="*", default=[], help="NAME=exact|1km|10km|pa")
        parser.add_argument("--media", default="thumbnails", choices=["none", "thumbnails", "full"])
        parser.add_argument("--licence", default="CC-BY-4.0")
        parser.add_argument("--inactive", action="store_true")

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
        agreement = agreement_save(
            partner=partner,
            user=None,
            species=species,
            protected_areas=pas,
            statuses=o["statuses"],
            embargo_days=o["embargo_days"],
            precision=precision,
            media_level=o["media"],
            licence=o["licence"],
            active=not o["inactive"],
        )
        self.stdout.write(f"agreement with {partner.code}: version {agreement.version}")
