"""Default shipping zones, methods and duty/tax rates, so a new store can ship worldwide.

    python manage.py seed_shipping [--reset | --if-empty]

Idempotent: it creates what is missing and leaves what the merchant has edited alone
(--reset puts the defaults back on the seeded zones, methods and rates; --if-empty does nothing
once any zone exists, so `make run` never brings back a zone the merchant deleted). Prices and
thresholds are in the base currency (SHOP_BASE_CURRENCY, USD by default).

The duty and tax figures are ILLUSTRATIVE, not advice: roughly the standard VAT/GST rate of
each country in 2024-2025, import duty of 2.5 % (EU/UK tariff on precious-metal jewelry,
HS 7113) or about 5 % elsewhere, and de minimis thresholds converted to USD (UK: 135 GBP,
EU: 150 EUR, Japan: 10,000 JPY, Gulf: 1,000 AED/SAR). Check the rules that apply to your
business before selling.
"""

from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django_countries import countries

from orders.models import DutyRate, ShippingMethod, ShippingZone

EU = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
]  # fmt: skip
GULF = ["AE", "SA", "QA", "KW", "BH", "OM"]
EAST_ASIA = ["CN", "JP", "KR", "HK", "TW", "MO", "MN"]
# Not served by default: no inhabitants (AQ, BV, HM) or under broad trade embargoes.
NOT_SERVED = {"AQ", "BV", "HM", "KP", "IR", "SY", "CU"}

STANDARD = {
    "en": "Standard shipping",
    "fr": "Livraison standard",
    "de": "Standardversand",
    "es": "Envío estándar",
    "ja": "通常配送",
    "zh-hans": "标准配送",
    "ar": "شحن عادي",
}
EXPRESS = {
    "en": "Express insured shipping",
    "fr": "Livraison express assurée",
    "de": "Versicherter Expressversand",
    "es": "Envío exprés asegurado",
    "ja": "保険付き速達",
    "zh-hans": "保价快递",
    "ar": "شحن سريع مؤمّن",
}

# zone name: (countries, [(code, names, carrier, price, free_over, min_days, max_days)])
ZONES = [
    ("United States", ["US"], [
        ("standard", STANDARD, "USPS", "8.00", "150.00", 3, 5),
        ("express", EXPRESS, "FedEx", "25.00", None, 1, 2),
    ]),
    ("European Union", EU, [
        ("standard", STANDARD, "DHL", "15.00", "300.00", 5, 8),
        ("express", EXPRESS, "DHL Express", "35.00", None, 2, 4),
    ]),
    ("United Kingdom", ["GB"], [
        ("standard", STANDARD, "Royal Mail", "15.00", "300.00", 5, 8),
        ("express", EXPRESS, "DHL Express", "35.00", None, 2, 4),
    ]),
    ("Gulf", GULF, [
        ("standard", STANDARD, "Aramex", "20.00", "500.00", 5, 9),
        ("express", EXPRESS, "DHL Express", "40.00", None, 3, 5),
    ]),
    ("East Asia", EAST_ASIA, [
        ("standard", STANDARD, "EMS", "20.00", "500.00", 6, 10),
        ("express", EXPRESS, "DHL Express", "40.00", None, 3, 5),
    ]),
    ("Rest of the world", None, [
        ("standard", STANDARD, "Postal service", "30.00", None, 7, 14),
        ("express", EXPRESS, "DHL Express", "60.00", None, 4, 7),
    ]),
]  # fmt: skip

# country: (duty %, tax %, tax name, no duty under, in the base currency)
EU_VAT = {
    "AT": "20", "BE": "21", "BG": "20", "HR": "25", "CY": "19", "CZ": "21", "DK": "25",
    "EE": "22", "FI": "25.5", "FR": "20", "DE": "19", "GR": "24", "HU": "27", "IE": "23",
    "IT": "22", "LV": "21", "LT": "21", "LU": "17", "MT": "18", "NL": "21", "PL": "23",
    "PT": "23", "RO": "19", "SK": "20", "SI": "22", "ES": "21", "SE": "25",
}  # fmt: skip
DUTY_RATES = {
    "GB": ("2.5", "20", "VAT", "171.00"),
    **{code: ("2.5", vat, "VAT", "163.00") for code, vat in EU_VAT.items()},
    "CH": ("0", "8.1", "VAT", "0"),
    "NO": ("0", "25", "VAT", "0"),
    "AE": ("5", "5", "VAT", "272.00"),
    "SA": ("5", "15", "VAT", "267.00"),
    "QA": ("5", "0", "VAT", "820.00"),
    "KW": ("5", "0", "VAT", "0"),
    "BH": ("5", "10", "VAT", "0"),
    "OM": ("5", "5", "VAT", "0"),
    "CN": ("10", "13", "VAT", "0"),
    "JP": ("5.2", "10", "Consumption tax", "66.00"),
    "KR": ("8", "10", "VAT", "150.00"),
    "HK": ("0", "0", "Tax", "0"),
    "SG": ("0", "9", "GST", "0"),
    "AU": ("5", "10", "GST", "650.00"),
    "NZ": ("5", "15", "GST", "0"),
    "CA": ("8.5", "5", "GST", "110.00"),
    "IN": ("20", "3", "IGST", "0"),
}


def rest_of_world() -> list[str]:
    listed = set(EU) | set(GULF) | set(EAST_ASIA) | {"US", "GB"}
    return sorted(code for code, _name in countries if code not in listed | NOT_SERVED)


class Command(BaseCommand):
    help = "Creates default shipping zones, methods and illustrative duty/tax rates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="put the default values back on seeded rows"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when a shipping zone already exists (used by `make run`)",
        )

    @transaction.atomic
    def handle(self, *args, reset: bool = False, if_empty: bool = False, **options):
        if if_empty and ShippingZone.objects.exists():
            self.stdout.write("Shipping zones already exist; nothing to do.")
            return
        created = {"zones": 0, "methods": 0, "rates": 0}
        for position, (name, zone_countries, methods) in enumerate(ZONES):
            zone_countries = zone_countries if zone_countries is not None else rest_of_world()
            zone = ShippingZone.objects.filter(name=name).first()
            if zone is None:
                zone = ShippingZone(name=name, countries=zone_countries, position=position)
                zone.full_clean()
                zone.save()
                created["zones"] += 1
            elif reset:
                zone.countries, zone.position = zone_countries, position
                zone.full_clean()
                zone.save()
            existing = {method.code: method for method in zone.methods.all()}
            for code, names, carrier, price, free_over, min_days, max_days in methods:
                method = existing.get(code)
                if method is not None and not reset:
                    continue
                if method is None:
                    method = ShippingMethod(zone=zone, code=code)
                    created["methods"] += 1
                method.carrier = carrier
                method.price = Decimal(price)
                method.free_over = Decimal(free_over) if free_over else None
                method.min_days, method.max_days = min_days, max_days
                method.is_active = True
                for language, label in names.items():
                    method.set_current_language(language)
                    method.name = label
                method.set_current_language("en")
                method.full_clean()
                method.save()

        existing_rates = {rate.country.code: rate for rate in DutyRate.objects.all()}
        for country, (duty, tax, tax_name, free_under) in DUTY_RATES.items():
            rate = existing_rates.get(country)
            if rate is not None and not reset:
                continue
            rate = rate or DutyRate(country=country)
            created["rates"] += rate.pk is None
            rate.duty_percent, rate.tax_percent = Decimal(duty), Decimal(tax)
            rate.tax_name, rate.duty_free_under = tax_name, Decimal(free_under)
            rate.full_clean()
            rate.save()
        self.stdout.write(
            f"Shipping: {created['zones']} zones, {created['methods']} methods and "
            f"{created['rates']} duty/tax rates created."
        )
