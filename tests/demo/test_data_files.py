"""The demo store's data files (demo/data/*.json, loaded by demo/tables.py): consistent with each
other and with the catalog's vocabulary, and giving the very catalog the tables gave when they
were code."""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal

from catalog.vocabulary import CUTS, GEMS, LANGS, METALS
from demo import tables
from demo.plan import plan_catalog

# plan_catalog(products=540, seed=42) (what `make run` seeds) computed on integrate 5bcdd15,
# before the tables moved from code to data files: every product's design, metals, stones,
# variants (SKUs, prices, stock), texts in seven languages, images and status. Change it only
# when the demo's content is changed on purpose.
FULL_PLAN_SHA256 = "f11cbca8130b44b5847d710436a149a95237d4f64adeeecb036e5f73bd17fc9d"


def test_the_data_files_give_the_same_full_demo_catalog_as_before():
    plans = plan_catalog(products=tables.DEFAULT_PRODUCTS, seed=tables.DEFAULT_SEED)

    digest = hashlib.sha256()
    for plan in plans:
        digest.update(repr(dataclasses.asdict(plan)).encode())
    assert len(plans) == 540
    assert digest.hexdigest() == FULL_PLAN_SHA256


def test_every_design_names_known_leaves_gems_metals_and_cuts():
    for design in tables.DESIGNS:
        assert design.leaf in tables.LEAVES, design.key
        assert len(design.names) == len(LANGS), design.key
        assert design.layout in {"single", "pair", "line", "none"}, design.key
        assert set(design.gems or {}) <= set(GEMS), design.key
        assert set(design.metals) <= set(METALS), design.key
        assert set(design.cuts or ()) <= set(CUTS), design.key
    assert len({design.key for design in tables.DESIGNS}) == len(tables.DESIGNS)
    for name, weights in tables.WEIGHTS.items():
        assert set(weights) <= set(GEMS) | set(METALS), name
        assert all(isinstance(weight, int) and weight > 0 for weight in weights.values()), name


def test_categories_sentences_and_collections_are_complete_in_every_language():
    slugs = [slug for slug, _parent, _names, _descriptions in tables.CATEGORIES]
    for _slug, parent, names, descriptions in tables.CATEGORIES:
        assert parent is None or parent in slugs
        assert len(names) == len(descriptions) == len(LANGS)
    assert set(tables.LEAVES) <= set(slugs)
    assert set(tables.STYLE_SENTENCES) == set(tables.LEAVES)
    sentences = [
        *tables.STYLE_SENTENCES.values(),
        *tables.OCCASION_SENTENCES,
        *tables.CARE_SENTENCES.values(),
    ]
    assert all(len(row) == len(LANGS) and all(row) for row in sentences)
    for _slug, names, descriptions in tables.COLLECTIONS:
        assert len(names) == len(descriptions) == len(LANGS)


def test_exchange_rates_are_decimals_and_customers_have_distinct_addresses():
    assert tables.EXCHANGE_RATES["EUR"] == Decimal("0.92")
    assert all(isinstance(rate, Decimal) and rate > 0 for rate in tables.EXCHANGE_RATES.values())
    locals_ = [local for _first, _last, local in tables.CUSTOMERS]
    assert len(set(locals_)) == len(locals_)
