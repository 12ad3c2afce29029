from django.core.management.base import BaseCommand, CommandError

from exchange import media_sync
from exchange.models import Node
from exchange.sync.pull import pull


class Command(BaseCommand):
    help = "Pull everything new from a partner now, in this process, and print what came."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--limit", type=int, default=None, help="page size")

    def handle(self, *args, code, limit, **options):
        partner = Node.objects.filter(code=code, active=True).first()
        if partner is None:
            raise CommandError(f"No active partner {code}.")
        try:
            result = pull(partner, limit=limit)
            photos = media_sync.fetch_missing(partner)
        except Exception as exc:  # noqa: BLE001 - shown to the operator, state keeps it too
            raise CommandError(f"sync from {code} failed: {type(exc).__name__}: {exc}") from exc
        self.stdout.write(
            f"pages {result.pages}, records {result.upserts}, withdrawn {result.tombstones}, "
            f"skipped {result.skipped}, refused {len(result.rejected)}, "
            f"photos {photos['fetched']}"
        )
