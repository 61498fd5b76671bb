"""Seed the benchmark's scaled data set: `manage.py portal_bench_seed [--scale 1.0]`.

Loads the demo site first (portal_demo), then every app's bulk seeder
registered with `@hooks.register("candor_bench_seeders")` as
`fn(*, context, scale, stdout)`, then the seeders in bench/seed.py. At scale 1.0 the data set is 10,000
questions, 50,000 answers, 20,000 reviews and 1,000,000 survey answers; each
seeder must use bulk paths (bulk_create, COPY), since the whole seed must take
under two minutes. Seeders are idempotent: they top up to the target counts.
"""

import importlib.util
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail import hooks

from portal.demo import load_portal_demo


def _bench_seeders() -> list:
    """The bulk seeders in bench/seed.py (`SEEDERS`), when the checkout has them."""
    path = Path(__file__).resolve().parents[3] / "bench" / "seed.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location("candor_bench_seed", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.SEEDERS)


class Command(BaseCommand):
    help = (
        "Seed the scaled benchmark data set (demo site plus every app's bulk seeder)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)

    def handle(self, *args, scale, **options):
        started = time.monotonic()
        call_command("portal_demo", stdout=self.stdout)
        context = load_portal_demo()
        for seeder in [*hooks.get_hooks("candor_bench_seeders"), *_bench_seeders()]:
            t0 = time.monotonic()
            seeder(context=context, scale=scale, stdout=self.stdout)
            self.stdout.write(
                f"  {seeder.__module__}.{seeder.__name__}: {time.monotonic() - t0:.1f}s"
            )
        self.stdout.write(f"seeded in {time.monotonic() - started:.1f}s")
