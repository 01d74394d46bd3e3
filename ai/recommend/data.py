"""Training data from the store: interaction events turned into implicit strengths and stars.

Event weights (documented in README; summed per shopper and product, then log1p-damped so a
hundred views never outweigh a purchase):

| event          | implicit weight | stars for the rating model |
| -------------- | --------------- | -------------------------- |
| purchase       | 5.0             | 5                          |
| cart_add       | 3.0             | 4                          |
| wishlist_add   | 2.0             | 4                          |
| view           | 0.5             | 3                          |
| rating (review)| stars - 2.5 (a 1-star review counts against) | the stars themselves |

A shopper is a signed-in user ("u:<id>") or a guest session ("s:<key>"): guests teach the
item-item model too, though their lists are computed when they visit.
The rating model's stars for a pair are the explicit review stars when there are any, else the
highest of the implied stars of the pair's events.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

EVENT_WEIGHTS = {
    "purchase": 5.0,
    "cart_add": 3.0,
    "wishlist_add": 2.0,
    "view": 0.5,
}
IMPLIED_STARS = {"purchase": 5.0, "cart_add": 4.0, "wishlist_add": 4.0, "view": 3.0}
RATING_NEUTRAL = 2.5
# Events that say "bought together" (the same shopper's purchases and bag additions).
BASKET_KINDS = ("purchase", "cart_add")


def subject_key(user_id, session_key: str) -> str | None:
    if user_id:
        return f"u:{user_id}"
    if session_key:
        return f"s:{session_key}"
    return None


def event_weight(kind: str, value: float) -> float:
    if kind == "rating":
        return float(value) - RATING_NEUTRAL
    return EVENT_WEIGHTS.get(kind, 0.0)


@dataclass
class StoreHistory:
    """What the events say, aggregated per (shopper, product)."""

    strength: dict = field(default_factory=lambda: defaultdict(float))
    stars: dict = field(default_factory=dict)  # (subject, product) -> implied stars
    review_stars: dict = field(default_factory=lambda: defaultdict(list))
    purchased: dict = field(default_factory=lambda: defaultdict(set))  # subject -> products
    basket: dict = field(default_factory=lambda: defaultdict(set))  # subject -> products
    best_kind: dict = field(default_factory=dict)  # (subject, product) -> strongest kind
    country_counts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    language_counts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    overall: dict = field(default_factory=lambda: defaultdict(float))
    events: int = 0

    def add(self, *, user_id, session_key, product_id, kind, value, country, language) -> None:
        subject = subject_key(user_id, session_key)
        if subject is None:
            return
        self.events += 1
        key = (subject, product_id)
        weight = event_weight(kind, value)
        self.strength[key] += weight
        if kind == "rating":
            self.review_stars[key].append(float(value))
        else:
            stars = IMPLIED_STARS.get(kind, 3.0)
            self.stars[key] = max(self.stars.get(key, 0.0), stars)
            if EVENT_WEIGHTS.get(kind, 0) > EVENT_WEIGHTS.get(self.best_kind.get(key, ""), -1):
                self.best_kind[key] = kind
        if kind == "purchase":
            self.purchased[subject].add(product_id)
        if kind in BASKET_KINDS:
            self.basket[subject].add(product_id)
        if weight > 0:
            self.overall[product_id] += weight
            if country:
                self.country_counts[country.upper()][product_id] += weight
            if language:
                self.language_counts[language][product_id] += weight

    def implicit_triples(self):
        """(subject, product, damped strength) for every pair with a positive strength."""
        for (subject, product), strength in self.strength.items():
            if strength > 0:
                yield subject, product, math.log1p(strength)

    def rating_triples(self):
        """(subject, product, stars) for the rating model."""
        keys = set(self.stars) | set(self.review_stars)
        for key in keys:
            reviews = self.review_stars.get(key)
            stars = sum(reviews) / len(reviews) if reviews else self.stars[key]
            yield key[0], key[1], min(5.0, max(1.0, stars))


def history_from_rows(rows) -> StoreHistory:
    """From events.selectors.interaction_rows() tuples."""
    history = StoreHistory()
    for user_id, session_key, product_id, kind, value, country, language in rows:
        history.add(
            user_id=user_id,
            session_key=session_key,
            product_id=product_id,
            kind=kind,
            value=value,
            country=country,
            language=language,
        )
    return history
