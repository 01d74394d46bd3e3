"""`manage.py seed_demo`: fills an empty store with the demo catalog (see demo/seed.py)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.models import Product
from demo.seed import DEFAULT_PRODUCTS, DEFAULT_SEED, CatalogNotEmpty, seed_demo


class Command(BaseCommand):
    help = (
        "Creates a believable multilingual demo jewelry store: categories, materials, "
        "gemstones, products with variants and drawn pictures, collections, exchange rates, "
        "shoppers and a merchant account. The same --seed always gives the same catalog."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the store already has products (used by `make run`).",
        )
        parser.add_argument(
            "--products",
            type=int,
            default=DEFAULT_PRODUCTS,
            help=f"How many products to create (default {DEFAULT_PRODUCTS}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same catalog (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Processes drawing product pictures (default: one per CPU, at most 4).",
        )

    def handle(self, *args, **options) -> None:
        if options["products"] < 1:
            raise CommandError("--products must be at least 1.")
        existing = Product.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(f"The store already has {existing} products; nothing to do.")
            return
        verbose = options["verbosity"] > 1
        self.stdout.write(
            f"Creating the demo store ({options['products']} products, seed {options['seed']})…"
        )
        try:
            report = seed_demo(
                products=options["products"],
                seed=options["seed"],
                processes=options["jobs"],
                log=self.stdout.write if verbose else None,
            )
        except CatalogNotEmpty as exc:
            raise CommandError(str(exc)) from exc
        for label, count in report.counts.items():
            if label != "merchant created":
                self.stdout.write(f"  {label:<20} {count:>6}")
        self.stdout.write(self.style.SUCCESS(f"Demo store ready in {report.elapsed:.1f} seconds."))
        if report.login_line:
            self.stdout.write(report.login_line)
            self.stdout.write(f"(saved in {report.login_file}, readable by you only)")
        else:
            self.stdout.write(
                "The merchant account merchant@example.com already exists; "
                "its password was left unchanged."
            )
