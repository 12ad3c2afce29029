from django.core.management.base import BaseCommand

from exchange.signing import (
    generate_private_key,
    own_public_key_text,
    private_key_to_text,
    public_key_text,
)


class Command(BaseCommand):
    help = (
        "Without options: print this node's public key (give it to the partner). "
        "With --new: make a new key pair; put the private key in EXCHANGE_PRIVATE_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new", action="store_true", help="make a new key pair")

    def handle(self, *args, new=False, **options):
        if new:
            key = generate_private_key()
            self.stdout.write(f"EXCHANGE_PRIVATE_KEY={private_key_to_text(key)}")
            self.stdout.write(f"public key: {public_key_text(key)}")
        else:
            self.stdout.write(own_public_key_text())
