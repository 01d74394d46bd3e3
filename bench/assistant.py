"""Shop assistant benchmark (issue 14): order-status questions resolved without a person in
scripted conversations in the seven languages, reply time per turn (warm, with the store's
search and database lookups), and the memory the assistant adds to a web process.

    .venv/bin/python bench/assistant.py [--repeat 5]

Everything goes through assistant.services.assistant_reply, the call the API makes: the real
understanding (ai.services.assistant_understand: language, intent, entities), the dialogue,
the store's search, recommendations, help retrieval, orders, shipping zones and duty rates, and
the writes of both messages. It uses a scratch SQLite database in a temporary folder: a small
catalog (the search tests' six pieces in seven languages), the demo store's help pages and FAQ,
the default shipping zones, and seeded orders of a guest and a signed-in customer.

"Resolved without a person": the conversation ends with the assistant showing the order's
status (its number in a reply understood as order_status) and was never handed to people.
Each script is one way shoppers ask (the number and e-mail in one message; the number first,
then the e-mail when asked; a signed-in customer asking about "my order"); the wording is the
shopper's own in each language.

Memory: the process's resident set size (RSS, /proc/self/status) after Django, the catalog and
one warm search (what a web process has anyway), then after the assistant's warm-up (the
intent model, the entity tables, the help index), and after the timed turns.

Prints Markdown to paste into docs/benchmarks.md ("## Shop assistant"). Timings on a shared
machine are noisy: compare figures within one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGUAGES = ("en", "fr", "de", "es", "ja", "zh-hans", "ar")
GUEST_EMAIL = "lea.martin@example.com"
CUSTOMER_EMAIL = "kenji@example.com"

# Per language: (number and e-mail in one message), (number first, then the e-mail when asked),
# and what a signed-in customer types. {number} and {email} are filled in.
SCRIPTS: dict[str, dict[str, list[str] | str]] = {
    "en": {
        "one": ["hi, where is my order {number}? I used {email}"],
        "two": ["has order {number} shipped yet", "{email}"],
        "signed_in": "where's my parcel??",
    },
    "fr": {
        "one": ["bonjour, où en est ma commande {number} ? mon mail c'est {email}"],
        "two": ["ma commande {number} est partie ?", "c'est {email}"],
        "signed_in": "elle arrive quand ma commande",
    },
    "de": {
        "one": ["Hallo, wo ist meine Bestellung {number}? Meine E-Mail: {email}"],
        "two": ["wurde bestellung {number} schon verschickt", "{email}"],
        "signed_in": "wann kommt mein paket",
    },
    "es": {
        "one": ["hola, dónde está mi pedido {number}? mi correo es {email}"],
        "two": ["mi pedido {number} ya salio?", "es {email}"],
        "signed_in": "cuando llega mi pedido",
    },
    "ja": {
        "one": ["注文番号{number}の配送状況を教えてください。メールは{email}です"],
        "two": ["{number} の注文はもう発送されましたか", "{email}"],
        "signed_in": "注文した商品はいつ届きますか",
    },
    "zh-hans": {
        "one": ["你好，我的订单{number}到哪了？邮箱是{email}"],
        "two": ["订单{number}发货了吗", "{email}"],
        "signed_in": "我的快递什么时候到",
    },
    "ar": {
        "one": ["مرحبا، أين طلبي رقم {number}؟ بريدي الإلكتروني {email}"],
        "two": ["هل تم شحن الطلب {number}", "{email}"],
        "signed_in": "متى يصل طلبي",
    },
}

# Timed turns: a search, a follow-up refining it, a product question, shipping, an order.
LATENCY_TURNS: dict[str, list[str]] = {
    "en": ["gold rings under 1000", "and in white gold?", "what's your return policy?"],
    "fr": ["bague saphir or blanc", "et en platine ?", "livraison en France combien de temps"],
    "de": ["Ohrringe mit Perlen", "und in Gold?", "wie pflege ich Silberschmuck"],
    "es": ["collar de rubí", "y en oro rosa?", "cuánto tarda el envío a España"],
    "ja": ["サファイアの指輪", "プラチナはありますか", "指輪のサイズの測り方"],
    "zh-hans": ["蓝宝石戒指", "有铂金的吗", "怎么退货"],
    "ar": ["خاتم ياقوت أزرق", "وبالذهب الأبيض؟", "كم يستغرق الشحن"],
}


# Warm-up: other texts than the timed ones, so that the timed turns meet texts the process has
# not seen (the understanding and the help retrieval cache what they embedded).
WARM_UP: dict[str, list[str]] = {
    "en": ["hello", "pearl earrings", "how do I measure my ring size"],
    "fr": ["salut", "collier en or", "comment entretenir l'argent"],
    "de": ["hallo", "Diamantring", "Rücksendung wie"],
    "es": ["buenas", "pendientes de oro", "cómo pago"],
    "ja": ["こんにちは", "パールのピアス", "返品したい"],
    "zh-hans": ["你好", "珍珠耳环", "怎么付款"],
    "ar": ["مرحبا", "أقراط لؤلؤ", "كيف أدفع"],
}


def configure_environment() -> str:
    scratch = tempfile.mkdtemp(prefix="bench-assistant-")
    os.environ["SHOP_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    os.environ["STATICFILES_BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    os.environ["SHOP_ALLOW_TEST_GATEWAY"] = "true"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.pop("DATABASE_URL", None)
    # The built-in intent model as a web process finds it: trained once and cached on disk
    # (ai/assistant/backends.py); a fresh checkout trains it on the first run.
    os.environ.setdefault("AI_ASSISTANT_DIR", str(ROOT / "var" / "models" / "assistant"))
    return scratch


def rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.machine()}, {platform.system()}"


def build_store():
    """Catalog, help content, shipping zones, orders; returns (customer, orders by language)."""
    from django.core.management import call_command
    from django.utils import timezone

    from ai import services as ai_services
    from content.services import read_content_file, store_content_load
    from customers.models import User
    from orders.models import Order, OrderStatus, OrderStatusEvent
    from shop.models import ExchangeRate
    from tests.ai.test_search_query import search_catalog

    for currency, rate in [("EUR", "0.92"), ("GBP", "0.79"), ("JPY", "151.5")]:
        ExchangeRate.objects.create(currency=currency, rate=Decimal(rate))
    call_command("seed_shipping", verbosity=0)
    search_catalog()
    ai_services.search_reindex()
    store_content_load(data=read_content_file())
    customer = User.objects.create_user(email=CUSTOMER_EMAIL, password="bench-pass-phrase!")

    def order(number: str, *, email: str, user=None, language: str = "en") -> Order:
        placed = Order.objects.create(
            number=number,
            email=email,
            user=user,
            status=OrderStatus.SHIPPED,
            language=language,
            currency="EUR",
            exchange_rate=Decimal("0.92"),
            shipping_name="Léa Martin",
            shipping_line1="10 rue de Rivoli",
            shipping_city="Paris",
            shipping_postal_code="75001",
            shipping_country="FR",
            shipping_method_name="Standard",
            carrier="Colissimo",
            tracking_number="6A12345678901",
            subtotal=Decimal("900.00"),
            shipping_cost=Decimal("0.00"),
            duties=Decimal("0.00"),
            taxes=Decimal("180.00"),
            total=Decimal("1080.00"),
            total_in_currency=Decimal("993.60"),
            shipped_at=timezone.now(),
        )
        for before, after in (("", "pending"), ("pending", "paid"), ("paid", "shipped")):
            OrderStatusEvent.objects.create(order=placed, from_status=before, to_status=after)
        return placed

    orders = {}
    for index, language in enumerate(LANGUAGES):
        orders[language] = order(
            f"261207-BNC{'ABCDEFG'[index]}2345", email=GUEST_EMAIL, language=language
        )
    order("261206-KNJX2345", email=CUSTOMER_EMAIL, user=customer, language="ja")
    return customer, orders


STAGES: dict[str, list[float]] = {"understand": [], "dialogue": []}


def run_script(messages: list[str], *, language: str, user=None, session_key: str = ""):
    """Plays a conversation; returns (resolved, [reply per turn], [seconds per turn]).

    Each turn is timed whole (understanding, look-ups, writes) and in two parts: the
    understanding alone (ai.services.assistant_understand) and the rest (assistant_reply given
    that understanding)."""
    from ai import services as ai_services
    from assistant import services

    conversation = services.conversation_get_or_create(
        user=user, session_key=session_key, language=language
    )
    replies, seconds, resolved = [], [], False
    for text in messages:
        started = time.perf_counter()
        understanding = ai_services.assistant_understand(
            text, language_hint=language, currency="EUR"
        )
        understood = time.perf_counter()
        result = services.assistant_reply(
            conversation=conversation,
            text=text,
            user=user,
            session_key=session_key,
            language=language,
            currency="EUR",
            understanding=understanding,
        )
        done = time.perf_counter()
        seconds.append(done - started)
        STAGES["understand"].append(understood - started)
        STAGES["dialogue"].append(done - understood)
        conversation = result.conversation
        reply = result.reply
        replies.append(reply)
        if result.handoff:
            return False, replies, seconds
    last = replies[-1]
    resolved = last is not None and last.intent == "order_status" and last.answered
    return resolved, replies, seconds


def order_status_share(customer, orders) -> tuple[dict, list]:
    """Share of scripted order-status conversations resolved without a person, per language."""
    results: dict[str, list[bool]] = {}
    failures = []
    for language in LANGUAGES:
        number = orders[language].number
        scripts = SCRIPTS[language]
        runs = [
            ([m.format(number=number, email=GUEST_EMAIL) for m in scripts["one"]], None),
            ([m.format(number=number, email=GUEST_EMAIL) for m in scripts["two"]], None),
            ([scripts["signed_in"]], customer),
        ]
        for index, (messages, user) in enumerate(runs):
            session = "" if user else f"bench-{language}-{index}"
            resolved, replies, _seconds = run_script(
                messages, language=language, user=user, session_key=session
            )
            results.setdefault(language, []).append(resolved)
            if not resolved:
                failures.append(
                    (language, messages, [(r.intent, r.text[:90]) if r else None for r in replies])
                )
    return results, failures


def latency(repeat: int) -> tuple[list[float], list[float]]:
    """Seconds per turn of the timed conversations: the first round (texts new to the
    process) and the next `repeat - 1` rounds (the same texts again)."""
    first, again = [], []
    for round_ in range(repeat):
        for language, messages in LATENCY_TURNS.items():
            _resolved, _replies, seconds = run_script(
                messages, language=language, session_key=f"lat-{language}-{round_}"
            )
            (first if round_ == 0 else again).extend(seconds)
    return first, again


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the timed turns")
    args = parser.parse_args()
    configure_environment()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # in-memory e-mail backend
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0, interactive=False)

    from ai import services as ai_services

    customer, orders = build_store()
    ai_services.search_products("ring", language="en")  # what a web process has warm anyway
    rss_before = rss_mib()

    started = time.perf_counter()
    for language, messages in WARM_UP.items():  # warm-up: model, tables, help index
        run_script(messages, language=language, session_key=f"warm-{language}")
    warm_up = time.perf_counter() - started
    rss_warm = rss_mib()

    shares, failures = order_status_share(customer, orders)
    for values in STAGES.values():
        values.clear()
    first, again = latency(args.repeat)
    new_turns = len(first)
    rss_after = rss_mib()

    print(
        f"\nShop assistant, {date.today()}, {machine()}, Python {platform.python_version()}, "
        f"SQLite; {len(settings.LANGUAGES)} languages; load average "
        f"{os.getloadavg()[0]:.1f} (other work on the machine slows every figure)\n"
    )
    print("| language | order-status conversations | resolved without a person | share |")
    print("| --- | ---: | ---: | ---: |")
    total = resolved = 0
    for language in LANGUAGES:
        done = shares[language]
        total += len(done)
        resolved += sum(done)
        print(f"| {language} | {len(done)} | {sum(done)} | {sum(done) / len(done):.2f} |")
    print(f"| all | {total} | {resolved} | **{resolved / total:.2f}** (goal >= 0.80) |")
    print()
    print("| reply time per turn, warm | turns | p50 ms | p95 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: |")

    def row(label: str, values: list[float], goal: str = "") -> None:
        print(
            f"| {label} | {len(values)} | {statistics.median(values) * 1000:.0f} | "
            f"{percentile(values, 0.95) * 1000:.0f}{goal} | {max(values) * 1000:.0f} |"
        )

    row("search, refine, help/shipping; texts new to the process", first, " (goal < 300)")
    row(
        "of which: understanding (intent model, language, entities)",
        STAGES["understand"][:new_turns],
    )
    row("of which: dialogue, search/help/DB look-ups, writes", STAGES["dialogue"][:new_turns])
    if again:
        row(f"the same texts again ({args.repeat - 1} more rounds)", again)
    print()
    print("| memory (RSS) | MiB |")
    print("| --- | ---: |")
    print(f"| after Django, catalog and a warm search | {rss_before:.0f} |")
    print(f"| after the assistant's warm-up ({warm_up:.1f} s) | {rss_warm:.0f} |")
    print(f"| after the timed turns | {rss_after:.0f} |")
    print(f"| **added by the assistant** | **{rss_after - rss_before:.0f}** |")
    if failures:
        print("\nNot resolved:")
        for language, messages, replies in failures:
            print(f"- {language}: {messages} -> {replies}")


if __name__ == "__main__":
    main()
