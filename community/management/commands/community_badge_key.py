"""Show the badge signing key's public half, or print a new private key for CANDOR_BADGE_SIGNING_KEY."""

import json

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand

from community import badge_signing


class Command(BaseCommand):
    help = (
        "Print the published JWK of the badge signing key (creating the key file on first use), "
        "or with --new a new Ed25519 private key (PEM) to put in CANDOR_BADGE_SIGNING_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new", action="store_true", help="print a new private key; changes nothing")

    def handle(self, *args, new=False, **options):
        if new:
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            self.stdout.write(pem.decode(), ending="")
            return
        self.stdout.write(json.dumps(badge_signing.public_jwk(), indent=2))
