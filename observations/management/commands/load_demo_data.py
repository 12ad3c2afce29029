from django.core.management.base import BaseCommand

from observations.demo import demo_data_present, ensure_demo_users, make_demo_data


class Command(BaseCommand):
    help = (
        "Create the demo users and fill this node with synthetic records (clearly marked as "
        "such). Records are made only once; --force adds another batch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="add records even if present")
        parser.add_argument("--years", type=int, default=3)

    def handle(self, *args, **options):
        users = ensure_demo_users()
        self.stdout.write(f"demo users: {', '.join(u.username for u in users)}")
        if demo_data_present() and not options["force"]:
            self.stdout.write("demo records already present: nothing added")
            return
        result = make_demo_data(years=options["years"])
        self.stdout.write(
            f"demo records: {result['events']} events, {result['observations']} observations "
            f"in {result['pas']} protected areas"
        )
