from django.core.management.base import BaseCommand

from observations.seeds import load_seeds


class Command(BaseCommand):
    help = "Load protected areas and species from seeds/ (idempotent: run it as often as you like)."

    def handle(self, *args, **options):
        for name, result in load_seeds().items():
            self.stdout.write(
                f"{name}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged"
            )
