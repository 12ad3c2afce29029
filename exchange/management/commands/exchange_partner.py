from django.core.management.base import BaseCommand, CommandError

from exchange.models import Node, SyncState


class Command(BaseCommand):
    help = "Add or change a partner node (its code, base URL and public key)."

    def add_arguments(self, parser):
        parser.add_argument("code", choices=["RU", "CN", "MN"])
        parser.add_argument("--url", required=True, help="the partner's base URL")
        parser.add_argument("--public-key", required=True, help="the partner's public key")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--reset", action="store_true", help="pull everything again from the start"
        )

    def handle(self, *args, code, url, public_key, name, reset, **options):
        from django.conf import settings

        if code == settings.NODE_CODE:
            raise CommandError("A node is not its own partner.")
        node, created = Node.objects.update_or_create(
            code=code, defaults={"base_url": url, "public_key": public_key, "name": name}
        )
        state, _ = SyncState.objects.get_or_create(partner=node)
        if reset:
            state.checkpoint = 0
            state.save(update_fields=["checkpoint"])
        self.stdout.write(f"partner {code} {'added' if created else 'updated'}: {url}")
