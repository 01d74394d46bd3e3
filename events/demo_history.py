"""Demo shopping history for the recommender: deterministic interaction events for seed_demo.

Each demo shopper (the 60 demo customers and a few hundred guest sessions) gets a country and
its language, one or two favourite categories, a favourite "style" (a hidden group of products:
think of one designer's line), and a price band. They view products drawn from a long-tailed
popularity curve tilted towards their tastes, put some in the bag, buy some of those (and now
and then a matching piece of the same style from another category) and add a few to the
wishlist. There is thus something to learn beyond "most popular", as in a real store.

The same seed always gives the same events; about 20 000 events, written with bulk_create in
well under a second or two.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict

from catalog.selectors import published_products
from customers.models import User

from .models import InteractionEvent
from .signals import announce_interaction_history_seeded

COUNTRIES = (
    ("US", "en", 26),
    ("GB", "en", 10),
    ("FR", "fr", 12),
    ("DE", "de", 10),
    ("ES", "es", 8),
    ("CN", "zh-hans", 12),
    ("JP", "ja", 10),
    ("AE", "ar", 8),
)
STYLES = 8
GUEST_SESSIONS = 700
DEFAULT_SEED = 7


def _rng(seed: int, step: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}:history:{step}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _weighted(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items drawn with the given weights."""
    chosen, pool, pool_weights = [], list(items), list(weights)
    for _ in range(min(k, len(pool))):
        total = sum(pool_weights)
        if total <= 0:
            break
        pick, index = rng.random() * total, 0
        while index < len(pool_weights) - 1 and pick > pool_weights[index]:
            pick -= pool_weights[index]
            index += 1
        chosen.append(pool.pop(index))
        pool_weights.pop(index)
    return chosen


def plan_history(
    *,
    products: list[tuple[int, int | None, float]],
    user_ids: list[int],
    seed: int = DEFAULT_SEED,
    guests: int = GUEST_SESSIONS,
) -> list[dict]:
    """The events, as dicts for InteractionEvent, from (product id, category id, price) rows."""
    if not products:
        return []
    rng = _rng(seed, "plan")
    products = sorted(products)
    ids = [pk for pk, _category, _price in products]
    category = {pk: cat for pk, cat, _price in products}
    price = {pk: float(p or 0) for pk, _cat, p in products}
    # A long tail: a few products everybody looks at, most seen by few.
    shuffled = ids[:]
    rng.shuffle(shuffled)
    base = {pk: 1.0 / (rank + 8) ** 0.9 for rank, pk in enumerate(shuffled)}
    style = {pk: rng.randrange(STYLES) for pk in ids}
    by_style = defaultdict(list)
    for pk in ids:
        by_style[style[pk]].append(pk)
    categories = sorted({cat for cat in category.values() if cat is not None})
    prices = sorted(price.values())
    countries = [c for c, _lang, _w in COUNTRIES]
    country_weights = [w for _c, _lang, w in COUNTRIES]
    language_of = {c: lang for c, lang, _w in COUNTRIES}
    # Each country leans towards two styles (local taste).
    country_styles = {c: (rng.randrange(STYLES), rng.randrange(STYLES)) for c in countries}

    shoppers = [("user", pk) for pk in sorted(user_ids)] + [
        ("session", f"demo-guest-{n:04d}") for n in range(guests)
    ]
    events = []
    for kind, ident in shoppers:
        r = _rng(seed, f"shopper:{kind}:{ident}")
        country = _weighted(r, countries, country_weights, 1)[0]
        liked_styles = {r.randrange(STYLES), country_styles[country][r.randrange(2)]}
        liked_categories = set(r.sample(categories, k=min(len(categories), r.choice((1, 2, 2, 3)))))
        band = r.choice((0.25, 0.5, 0.75))
        centre = prices[int(band * (len(prices) - 1))] if prices else 0.0

        def affinity(
            pk: int, liked_styles=liked_styles, liked_categories=liked_categories, centre=centre
        ) -> float:
            weight = base[pk]
            if style[pk] in liked_styles:
                weight *= 6.0
            if category[pk] in liked_categories:
                weight *= 4.0
            if centre and price[pk] > 3 * centre:
                weight *= 0.3
            return weight

        weights = [affinity(pk) for pk in ids]
        viewed = _weighted(r, ids, weights, r.randint(5, 28))
        who = {"user_id": ident} if kind == "user" else {"session_key": ident}
        common = {**who, "country": country, "language": language_of[country]}
        for pk in viewed:
            for _ in range(1 + (r.random() < 0.3)):
                events.append({**common, "product_id": pk, "kind": "view", "value": 1.0})
        ranked = sorted(viewed, key=lambda pk: -affinity(pk) * r.random())
        carted = ranked[: r.randint(0, max(1, len(viewed) // 4))]
        for pk in carted:
            events.append({**common, "product_id": pk, "kind": "cart_add", "value": 1.0})
        bought = [pk for pk in carted if r.random() < 0.55]
        # Sets: a matching piece of the same style from another category, bought with it.
        for pk in list(bought):
            if r.random() < 0.35:
                mates = [m for m in by_style[style[pk]] if category[m] != category[pk] and m != pk]
                if mates:
                    mate = _weighted(r, mates, [base[m] for m in mates], 1)[0]
                    if mate not in bought:
                        bought.append(mate)
                        events.append(
                            {**common, "product_id": mate, "kind": "cart_add", "value": 1.0}
                        )
        for pk in bought:
            events.append({**common, "product_id": pk, "kind": "purchase", "value": 1.0})
        for pk in viewed:
            if pk not in bought and r.random() < 0.08:
                events.append({**common, "product_id": pk, "kind": "wishlist_add", "value": 1.0})
    return events


def seed_history(
    *, seed: int = DEFAULT_SEED, guests: int = GUEST_SESSIONS, train: bool = True
) -> dict[str, int]:
    """Writes the demo history for the published products and non-staff users (seed_demo),
    then trains the recommender on it (train=False: only the events)."""
    products = list(published_products().values_list("pk", "category_id", "price_min"))
    user_ids = list(User.objects.filter(is_staff=False).values_list("pk", flat=True))
    planned = plan_history(products=products, user_ids=user_ids, seed=seed, guests=guests)
    InteractionEvent.objects.bulk_create(
        [InteractionEvent(**event) for event in planned], batch_size=2000
    )
    counts = {"interaction events": len(planned)}
    if train:
        # So a fresh demo store shows recommendations at once, not after the first nightly run:
        # the recommender (ai) listens and trains.
        counts.update(announce_interaction_history_seeded(events=len(planned)))
    return counts
