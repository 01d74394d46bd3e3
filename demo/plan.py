"""Planning the demo products: pure (no database), the same seed always gives the same plan;
names and descriptions composed from the grammar tables per language, not machine-translated.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.text import slugify

from catalog.models import (
    PublicationStatus,
)
from catalog.vocabulary import CUTS, GEMS, GOLD_COLOUR, LANGS, METALS, metal_option, metal_text
from demo.tables import (
    CARE_SENTENCES,
    CUT_WEIGHTS,
    DESIGNS,
    LEAVES,
    OCCASION_SENTENCES,
    RING_LEAVES,
    SILVER_GEMS,
    STYLE_SENTENCES,
    Design,
)

# =============================================================================================
# Planning products (pure: no database, the same seed always gives the same plan)
# =============================================================================================


@dataclass
class VariantPlan:
    sku: str
    option1: str
    option2: str
    metal: str
    purity: str
    ring_size: str
    price: Decimal
    compare_at_price: Decimal | None
    stock: int
    weight: Decimal
    position: int


@dataclass
class StonePlan:
    gem: str
    count: int
    carat: Decimal | None  # total weight of the row's stones
    colour: str
    clarity: str
    cut: str


@dataclass
class ImagePlan:
    metal_hex: str
    view: int
    alt_text: str


@dataclass
class ProductPlan:
    index: int
    design: Design
    metals: list[tuple[str, str]]  # (metal slug, purity), the first is the main one
    gem: str | None
    cut: str | None  # None for pearls and cabochons
    carat_each: Decimal | None
    stone_count: int
    pearl_mm: int | None
    accent_ct: Decimal | None
    accent_count: int
    handle: str = ""
    texts: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    variants: list[VariantPlan] = field(default_factory=list)
    stones: list[StonePlan] = field(default_factory=list)
    images: list[ImagePlan] = field(default_factory=list)
    status: str = PublicationStatus.PUBLISHED
    featured: bool = False
    age_days: float = 0.0
    tags: str = ""
    occasion: int | None = None  # an OCCASION_SENTENCES index instead of the style sentence

    @property
    def metal(self) -> str:
        return self.metals[0][0]

    @property
    def purity(self) -> str:
        return self.metals[0][1]

    @property
    def layout(self) -> str:
        return self.design.layout if self.gem else "none"

    @property
    def total_carat(self) -> Decimal | None:
        if self.carat_each is None:
            return None
        if self.layout == "line":
            return self.carat_each
        return self.carat_each * self.stone_count

    @property
    def price_min(self) -> Decimal:
        return min(v.price for v in self.variants)

    @property
    def price_max(self) -> Decimal:
        return max(v.price for v in self.variants)

    @property
    def in_stock(self) -> bool:
        return any(v.stock for v in self.variants)

    @property
    def draw_shape(self) -> str | None:
        if self.gem == "pearl":
            return "pearl"
        if self.gem == "opal":
            return "cabochon"
        return self.cut


def _rng(seed: int, step: str) -> random.Random:
    """The random stream of one step, derived from the seed and the step's name."""
    digest = hashlib.sha256(f"{seed}:{step}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


def _quantize_ct(value: float, step: float = 0.05) -> Decimal:
    steps = max(1, round(value / step))
    return (Decimal(str(step)) * steps).quantize(Decimal("0.01"))


def _retail(value: float) -> Decimal:
    """A believable shelf price: 59.00, 245.00, 1,450.00, 12,300.00."""
    if value < 100:
        amount = max(19, int(round(value / 10.0)) * 10 - 1)
    elif value < 1000:
        amount = int(round(value / 5.0)) * 5
    elif value < 10000:
        amount = int(round(value / 50.0)) * 50
    else:
        amount = int(round(value / 100.0)) * 100
    return Decimal(amount).quantize(Decimal("0.01"))


METAL_PRICE = {"14K": 1.0, "18K": 1.32, "950": 1.55, "925": 0.4}


def _stone_value(gem: str, carat_each: float, count: int, *, melee: bool = False) -> float:
    g = GEMS[gem]
    if melee:
        # Small calibrated stones cost far less per carat than a centre stone.
        return g.price_per_ct * 0.45 * carat_each * count
    return g.price_per_ct * (carat_each**g.exponent) * count


def _pearl_value(mm: int, count: int) -> float:
    return (25 + (mm - 5) ** 2 * 6) * count


def _choose_metals(rng: random.Random, design: Design) -> list[tuple[str, str]]:
    metal = _pick(rng, design.metals)
    if metal in GOLD_COLOUR:
        bridal = design.leaf in RING_LEAVES[:2] or design.leaf == "tennis-bracelets"
        purity = "18K" if rng.random() < (0.6 if bridal else 0.4) else "14K"
    elif metal == "platinum":
        purity = "950"
    else:
        purity = "925"
    metals = [(metal, purity)]
    # Some pieces are offered in a second metal (the same design in white or yellow gold).
    if rng.random() < (0.35 if design.leaf in RING_LEAVES else 0.2):
        if metal in GOLD_COLOUR:
            other = rng.choice([m for m in GOLD_COLOUR if m != metal])
            metals.append((other, purity))
        elif metal == "platinum":
            metals.append(("white-gold", "18K"))
    return metals


def _choose_gem(rng: random.Random, design: Design, metal: str) -> str | None:
    if design.layout == "none" or not design.gems:
        return None
    if design.gem_optional and rng.random() < design.gem_optional:
        return None
    pool = dict(design.gems)
    if metal == "sterling-silver":
        pool = {k: v for k, v in pool.items() if k in SILVER_GEMS}
        if not pool:
            return None
    return _pick(rng, pool)


def _choose_cut(rng: random.Random, design: Design, gem: str) -> str | None:
    if gem in ("pearl", "opal"):
        return None
    if design.cuts:
        return rng.choice(design.cuts)
    weights = dict(CUT_WEIGHTS)
    if gem == "emerald":
        weights["emerald"] = 40
    return _pick(rng, weights)


def _plan_stones(rng: random.Random, plan: ProductPlan) -> None:
    design, gem = plan.design, plan.gem
    if gem is None:
        return
    g = GEMS[gem]
    if gem == "pearl":
        low, high = {"studs": (6, 8), "anklets": (4, 5), "brooches": (9, 11)}.get(
            design.leaf, (7, 10)
        )
        plan.pearl_mm = rng.randint(low, high)
    low, high = design.carat
    if design.layout == "line":
        plan.stone_count = rng.randint(*design.count)
        plan.carat_each = _quantize_ct(rng.uniform(low, high))
    else:
        plan.stone_count = 2 if design.layout == "pair" else 1
        if gem == "diamond":
            # Diamond weights cluster on the sizes people ask for.
            value = rng.triangular(low, high, low + (high - low) * 0.3)
        else:
            value = rng.uniform(low, high)
        plan.carat_each = _quantize_ct(value, 0.01 if value < 0.2 else 0.05)
    if gem == "pearl":
        plan.carat_each = None
    # Silver pieces are set with their main stones only: diamond accents would not fit the price.
    if design.accent and plan.metal != "sterling-silver":
        if design.accent_kind == "sides":
            plan.accent_count = 2
            base = float(plan.carat_each or Decimal("0.5"))
            plan.accent_ct = _quantize_ct(max(0.1, base * rng.uniform(0.4, 0.6)))
        else:
            plan.accent_count = rng.randint(14, 32)
            plan.accent_ct = _quantize_ct(rng.uniform(0.15, 0.6))
    precious = gem in ("diamond", "sapphire", "ruby", "emerald", "tanzanite")
    clarity = ""
    if gem == "diamond":
        clarity = rng.choice(["VVS1", "VVS2", "VS1", "VS1", "VS2", "VS2", "SI1"])
    elif precious or gem in ("aquamarine", "morganite", "topaz", "amethyst", "citrine"):
        clarity = rng.choice(["VVS2", "VS1", "VS2", "SI1"])
    cut = plan.cut or ("cabochon" if gem == "opal" else "")
    plan.stones.append(
        StonePlan(
            gem=gem,
            count=plan.stone_count,
            carat=plan.total_carat,
            colour=rng.choice(g.colours),
            clarity=clarity,
            cut=cut,
        )
    )
    if plan.accent_ct:
        plan.stones.append(
            StonePlan(
                gem="diamond",
                count=plan.accent_count,
                carat=plan.accent_ct,
                colour=rng.choice(["F-G", "G-H", "G-H", "H-I"]),
                clarity=rng.choice(["VS1", "VS2", "SI1"]),
                cut="round",
            )
        )


def _base_price(rng: random.Random, plan: ProductPlan, metal: str, purity: str) -> float:
    design = plan.design
    value = design.base * METAL_PRICE[purity]
    if plan.gem == "pearl" and plan.pearl_mm:
        value += _pearl_value(plan.pearl_mm, plan.stone_count)
    elif plan.gem and plan.carat_each is not None:
        if plan.layout == "line":
            each = float(plan.carat_each) / plan.stone_count
            value += _stone_value(plan.gem, each, plan.stone_count, melee=True)
        else:
            value += _stone_value(plan.gem, float(plan.carat_each), plan.stone_count)
    if plan.accent_ct:
        value += float(plan.accent_ct) * (2200 if design.accent_kind == "sides" else 1300)
    return value


def _plan_variants(rng: random.Random, plan: ProductPlan, leaf_code: str) -> None:
    design = plan.design
    noise = rng.uniform(0.92, 1.08)
    on_sale = rng.random() < 0.15
    sale_markup = rng.uniform(1.15, 1.4)
    sold_out = rng.random() < 0.08
    if design.leaf in RING_LEAVES:
        sizes = ["5", "6", "7", "8", "9", "10"] if design.leaf == "wedding-bands" else None
        sizes = sizes or ["5", "6", "7", "8"]
        second = ("Ring size", sizes)
    elif design.leaf == "chains":
        second = ("Length", ["16 in", "18 in", "20 in"])
    else:
        second = ("", [""])
    position = 0
    for metal, purity in plan.metals:
        base = _base_price(rng, plan, metal, purity) * noise
        for step, option2 in enumerate(second[1]):
            # Longer chains use more metal.
            price = _retail(base * (1 + 0.07 * step if second[0] == "Length" else 1))
            compare = _retail(float(price) * sale_markup) if on_sale else None
            if compare is not None and compare <= price:
                compare = None
            stock = 0 if sold_out else rng.choice([0] * 1 + list(range(1, 26)))
            weight = design.weight * METALS[metal].density * (1.1 if purity == "18K" else 1.0)
            weight *= rng.uniform(0.92, 1.08) * (1 + 0.05 * step if second[0] else 1)
            suffix = ""
            if second[0] == "Ring size":
                suffix = f"-{option2}"
            elif second[0] == "Length":
                suffix = f"-{option2.split()[0]}IN"
            plan.variants.append(
                VariantPlan(
                    sku=f"{leaf_code}{plan.index:04d}-{METALS[metal].code}{purity.rstrip('K')}"
                    f"{suffix}",
                    option1=metal_option(metal, purity),
                    option2=option2,
                    metal=metal,
                    purity=purity,
                    ring_size=option2 if second[0] == "Ring size" else "",
                    price=price,
                    compare_at_price=compare,
                    stock=stock,
                    weight=Decimal(str(round(weight, 2))).quantize(Decimal("0.01")),
                    position=position,
                )
            )
            position += 1
    if not sold_out and not any(v.stock for v in plan.variants):
        plan.variants[0].stock = rng.randint(1, 25)


def _plan_images(rng: random.Random, plan: ProductPlan, name: str) -> None:
    count = rng.choices([1, 2, 3], weights=[35, 40, 25], k=1)[0]
    main_hex = METALS[plan.metal].hex
    plan.images.append(ImagePlan(main_hex, 0, name))
    if count >= 2 and len(plan.metals) > 1:
        other, purity = plan.metals[1]
        plan.images.append(
            ImagePlan(METALS[other].hex, 0, f"{name} – {metal_option(other, purity)}")
        )
    details = ((1, "close-up"), (2, "another angle"))
    for view, label in details:
        if len(plan.images) >= count:
            break
        plan.images.append(ImagePlan(main_hex, view, f"{name} – {label}"))


def _leaf_counts(total: int, rng: random.Random) -> dict[str, int]:
    """Products per leaf category: proportional to the weights, at least one each.

    With fewer products than leaves, the most important leaves get one each.
    """
    weights = {leaf: w for leaf, (w, _type, _code) in LEAVES.items()}
    if total < len(weights):
        ranked = sorted(weights, key=lambda leaf: -weights[leaf])
        return dict.fromkeys(ranked[:total], 1)
    total_weight = sum(weights.values())
    counts = {leaf: max(1, int(total * w / total_weight)) for leaf, w in weights.items()}
    while sum(counts.values()) < total:
        counts[_pick(rng, weights)] += 1
    while sum(counts.values()) > total:
        counts[max(counts, key=lambda leaf: counts[leaf])] -= 1
    return counts


def plan_catalog(*, products: int, seed: int) -> list[ProductPlan]:
    """Everything about the demo products, decided before anything touches the database."""
    rng = _rng(seed, "products")
    counts = _leaf_counts(products, rng)
    designs_by_leaf: dict[str, list[Design]] = {}
    for design in DESIGNS:
        designs_by_leaf.setdefault(design.leaf, []).append(design)
    plans: list[ProductPlan] = []
    seen_names: set[str] = set()
    handles: set[str] = set()
    index = 0
    for leaf, count in counts.items():
        _weight, _type, code = LEAVES[leaf]
        options = designs_by_leaf[leaf]
        for _ in range(count):
            index += 1
            for _attempt in range(10):
                design = rng.choices(options, weights=[d.weight_in_choice for d in options])[0]
                metals = _choose_metals(rng, design)
                gem = _choose_gem(rng, design, metals[0][0])
                plan = ProductPlan(
                    index=index,
                    design=design,
                    metals=metals,
                    gem=gem,
                    cut=_choose_cut(rng, design, gem) if gem else None,
                    carat_each=None,
                    stone_count=0,
                    pearl_mm=None,
                    accent_ct=None,
                    accent_count=0,
                )
                name = product_name("en", plan)
                if name not in seen_names:
                    break
            seen_names.add(name)
            _plan_stones(rng, plan)
            plan.handle = _unique_handle(slugify(name)[:200] or f"product-{index}", handles)
            _plan_variants(rng, plan, code)
            _plan_images(rng, plan, name)
            plan.age_days = rng.uniform(0, 365)
            plan.status = (
                PublicationStatus.DRAFT if rng.random() < 0.05 else PublicationStatus.PUBLISHED
            )
            plan.featured = plan.status == PublicationStatus.PUBLISHED and rng.random() < 0.1
            if rng.random() < 0.35:
                plan.occasion = rng.randrange(len(OCCASION_SENTENCES))
            plan.texts = {lang: product_texts(lang, plan) for lang in LANGS}
            plan.tags = _tags(plan)
            plans.append(plan)
    return plans


def _unique_handle(base: str, taken: set[str]) -> str:
    handle = base
    n = 2
    while handle in taken:
        handle = f"{base}-{n}"
        n += 1
    taken.add(handle)
    return handle


def _tags(plan: ProductPlan) -> str:
    tags = [METALS[m].names[0].lower() for m, _p in plan.metals]
    if plan.gem:
        tags.append(GEMS[plan.gem].names[0].lower())
    if plan.cut:
        tags.append(plan.cut)
    style = plan.design.draw[1]
    if style and style not in ("plain", "bezel", "solo", "chain"):
        tags.append({"pave": "pavé", "three": "three-stone"}.get(style, style))
    if plan.price_min < 200:
        tags.append("gift")
    if plan.design.leaf in ("engagement-rings", "wedding-bands"):
        tags.append("bridal")
    return ", ".join(dict.fromkeys(tags))


# =============================================================================================
# Product texts in seven languages
# =============================================================================================


def _ct(lang: str, value: Decimal | None) -> str:
    text = f"{value or 0:.2f}"
    return text.replace(".", ",") if lang in ("fr", "de", "es") else text


def product_name(lang: str, plan: ProductPlan) -> str:
    i = LANGS.index(lang)
    noun = plan.design.names[i]
    metal = metal_text(lang, plan.metal, plan.purity, full=False)
    if plan.gem is None:
        return {
            "en": f"{metal} {noun}",
            "fr": f"{noun} en {metal}",
            "de": f"{noun} aus {metal}",
            "es": f"{noun} de {metal}",
            "ja": f"{metal} {noun}",
            "zh-hans": f"{metal}{noun}",
            "ar": f"{noun} من {metal}",
        }[lang]
    g = GEMS[plan.gem]
    line = plan.design.layout == "line"
    plural = plan.design.layout in ("pair", "line")
    cut = CUTS[plan.cut] if plan.cut and not line else None
    if lang == "en":
        parts = [metal, cut.en if cut else "", g.names[0], noun]
        return " ".join(p for p in parts if p)
    if lang == "fr":
        word, gender = (g.fr[1] if plural else g.fr[0]), g.fr[2]
        adj = cut.fr[(0 if gender == "m" else 1) + (2 if plural else 0)] if cut else ""
        return " ".join(p for p in (noun, word, adj) if p) + f" en {metal}"
    if lang == "de":
        word, gender = (g.de[1] if plural else g.de[0]), g.de[2]
        if cut and cut.de_adj:
            stone = f"{cut.de_adj[2] if plural else cut.de_adj[0 if gender == 'm' else 1]} {word}"
        elif cut:
            stone = f"{word} {cut.de_post}"
        else:
            stone = word
        return f"{noun} aus {metal} mit {stone}"
    if lang == "es":
        word, gender = (g.es[1] if plural else g.es[0]), g.es[2]
        adj = cut.es[(0 if gender == "m" else 1) + (2 if plural else 0)] if cut else ""
        return f"{noun} de {metal} con " + " ".join(p for p in (word, adj) if p)
    if lang == "ja":
        return f"{metal} {cut.ja if cut else ''}{g.names[i]} {noun}"
    if lang == "zh-hans":
        return f"{metal}{cut.zh if cut else ''}{g.names[i]}{noun}"
    # Arabic
    if line:
        adorned = "مرصع" if plan.design.ar_gender == "m" else "مرصعة"
        return f"{noun} من {metal} {adorned} ب{g.ar[1]}"
    word = "لؤلؤة" if plan.gem == "pearl" and not plural else g.ar[0]
    adj = cut.ar[0 if g.ar[2] == "m" else 1] if cut else ""
    return f"{noun} من {metal} مع " + " ".join(p for p in (word, adj) if p)


def _stone_sentence(lang: str, plan: ProductPlan) -> str:
    """First sentence: the metal, the stones and their weight."""
    i = LANGS.index(lang)
    metal = metal_text(lang, plan.metal, plan.purity, full=True)
    layout = plan.layout
    g = GEMS[plan.gem] if plan.gem else None
    cut = CUTS[plan.cut] if plan.cut else None
    ct = _ct(lang, plan.total_carat)
    n = plan.stone_count
    mm = plan.pearl_mm
    acc = _ct(lang, plan.accent_ct) if plan.accent_ct else ""
    sides = plan.design.accent_kind == "sides"
    if lang == "en":
        plural = plan.design.ar_gender == "pl"
        base = f"{'These' if plural else 'This'} {plan.design.en_desc} {'are' if plural else 'is'}"
        base += f" crafted in {metal}"
        if g is None:
            return f"{base} with a high-polish finish."
        accent = ""
        if acc:
            accent = (
                f", flanked by two diamonds totalling {acc} ct"
                if sides
                else f", framed by {acc} ct of pavé diamonds"
            )
        if plan.gem == "pearl":
            many = {"single": f"a {mm} mm cultured pearl", "pair": f"two {mm} mm cultured pearls"}
            return f"{base} and set with {many.get(layout, f'{n} {mm} mm cultured pearls')}."
        shape = f"{cut.en_desc} " if cut else ""
        if layout == "single":
            return f"{base} and set with a {ct} ct {shape}{g.names[0].lower()}{accent}."
        count = "two" if layout == "pair" else str(n)
        return f"{base} and set with {count} {shape}{g.en_plural} totalling {ct} ct{accent}."
    if lang == "fr":
        if g is None:
            return f"Création en {metal}, finition polie miroir."
        base = f"Monture en {metal} sertie"
        accent = ""
        if acc:
            accent = (
                f" et de deux diamants latéraux ({acc} ct au total)"
                if sides
                else f" et d'un pavé de diamants de {acc} ct"
            )
        if plan.gem == "pearl":
            many = {"single": f"d'une perle de culture de {mm} mm", "pair": "de deux perles"}
            text = many.get(layout, f"de {n} perles")
            if layout != "single":
                text += f" de culture de {mm} mm"
            return f"{base} {text}."
        gender = g.fr[2]
        if layout == "single":
            adj = f" {cut.fr[0 if gender == 'm' else 1]}" if cut else ""
            article = "d'un" if gender == "m" else "d'une"
            return f"{base} {article} {g.fr[0]}{adj} de {ct} ct{accent}."
        adj = f" {cut.fr[2 if gender == 'm' else 3]}" if cut else ""
        count = "deux" if layout == "pair" else str(n)
        return f"{base} de {count} {g.fr[1]}{adj} ({ct} ct au total){accent}."
    if lang == "de":
        if g is None:
            return f"Gefertigt aus {metal} mit hochglanzpolierter Oberfläche."
        base = f"Gefertigt aus {metal} und besetzt mit"
        accent = ""
        if acc:
            accent = (
                f" sowie zwei seitlichen Diamanten (zusammen {acc} ct)"
                if sides
                else f" sowie Pavé-Diamanten (zusammen {acc} ct)"
            )
        if plan.gem == "pearl":
            many = {
                "single": f"einer Zuchtperle von {mm} mm",
                "pair": f"zwei Zuchtperlen von je {mm} mm",
            }
            return f"{base} {many.get(layout, f'{n} Zuchtperlen von je {mm} mm')}."
        if layout == "single":
            article = "einem" if g.de[2] == "m" else "einer"
            if cut and cut.de_adj:
                stone = f"{article} {cut.de_adj[3]} {g.de[0]}"
            elif cut:
                stone = f"{article} {g.de[0]} {cut.de_post}"
            else:
                stone = f"{article} {g.de[0]}"
            return f"{base} {stone} von {ct} ct{accent}."
        count = "zwei" if layout == "pair" else str(n)
        if cut and cut.de_adj:
            stone = f"{count} {cut.de_adj[2]} {g.de[1]}"
        elif cut:
            stone = f"{count} {g.de[1]} {cut.de_post}"
        else:
            stone = f"{count} {g.de[1]}"
        return f"{base} {stone} (zusammen {ct} ct){accent}."
    if lang == "es":
        if g is None:
            return f"Pieza de {metal} con acabado pulido espejo."
        base = f"Montura de {metal} con"
        accent = ""
        if acc:
            accent = (
                f" y dos diamantes laterales ({acc} ct en total)"
                if sides
                else f" y un pavé de diamantes de {acc} ct"
            )
        if plan.gem == "pearl":
            many = {
                "single": f"una perla cultivada de {mm} mm",
                "pair": f"dos perlas cultivadas de {mm} mm",
            }
            return f"{base} {many.get(layout, f'{n} perlas cultivadas de {mm} mm')}."
        gender = g.es[2]
        if layout == "single":
            adj = f" {cut.es[0 if gender == 'm' else 1]}" if cut else ""
            article = "un" if gender == "m" else "una"
            return f"{base} {article} {g.es[0]}{adj} de {ct} ct{accent}."
        adj = f" {cut.es[2 if gender == 'm' else 3]}" if cut else ""
        count = "dos" if layout == "pair" else str(n)
        return f"{base} {count} {g.es[1]}{adj} ({ct} ct en total){accent}."
    if lang == "ja":
        if g is None:
            return f"{metal}を鏡面仕上げで丁寧に仕立てました。"
        if plan.gem == "pearl":
            many = {"single": f"{mm}mmのパールを", "pair": f"{mm}mmのパールを一粒ずつ"}
            return f"{metal}に{many.get(layout, f'{n}粒の{mm}mmパールを')}あしらいました。"
        stone = f"{cut.ja if cut else ''}{g.names[i]}"
        if layout == "single":
            text = f"{metal}に{ct}カラットの{stone}をセッティングしました。"
        elif layout == "pair":
            text = f"{metal}に{stone}を2石（合計{ct}カラット）セッティングしました。"
        else:
            text = f"{metal}に{n}石の{stone}（合計{ct}カラット）を連ねました。"
        if acc:
            text += (
                f"両脇には合計{acc}カラットのダイヤモンドを2石添えました。"
                if sides
                else f"周りを合計{acc}カラットのパヴェダイヤモンドが彩ります。"
            )
        return text
    if lang == "zh-hans":
        if g is None:
            return f"采用{metal}精心打造，表面高度抛光。"
        if plan.gem == "pearl":
            many = {"single": "一颗", "pair": "两颗"}
            return f"采用{metal}打造，点缀{many.get(layout, f'{n}颗')}{mm}毫米珍珠。"
        accent = ""
        if acc:
            accent = (
                f"，两侧各镶一颗钻石，总重{acc}克拉"
                if sides
                else f"，四周环绕总重{acc}克拉的密钉镶钻石"
            )
        stone = f"{cut.zh if cut else ''}{g.names[i]}"
        if layout == "single":
            return f"采用{metal}打造，镶嵌一颗{ct}克拉{stone}{accent}。"
        if layout == "pair":
            return f"采用{metal}打造，镶嵌两颗{stone}，总重{ct}克拉{accent}。"
        return f"采用{metal}打造，排镶{n}颗{stone}，总重{ct}克拉。"
    # Arabic
    if g is None:
        return f"قطعة مصنوعة من {metal} بلمسة نهائية لامعة."
    if plan.gem == "pearl":
        pearls = "بلؤلؤة مستزرعة" if layout == "single" else "بلآلئ مستزرعة"
        return f"قطعة مصنوعة من {metal} ومزينة {pearls} بقطر {mm} ملم."
    accent = ""
    if acc:
        accent = (
            f" ومحاطة بماستين جانبيتين بوزن إجمالي {acc} قيراط"
            if sides
            else f" ومحاطة بأحجار ألماس بافيه بوزن {acc} قيراط"
        )
    adj = f" {cut.ar[0]}" if cut else ""
    weight = "بوزن" if layout == "single" else "بوزن إجمالي"
    return f"قطعة مصنوعة من {metal} ومرصعة ب{g.ar[0]}{adj} {weight} {ct} قيراط{accent}."


def _care_key(plan: ProductPlan) -> str:
    if plan.gem == "pearl":
        return "pearl"
    if plan.gem and GEMS[plan.gem].soft:
        return "soft"
    if plan.metal == "sterling-silver":
        return "silver"
    return "fine"


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def product_texts(lang: str, plan: ProductPlan) -> tuple[str, str, str, str]:
    """(name, description, SEO title, SEO description) in one language."""
    i = LANGS.index(lang)
    name = product_name(lang, plan)
    first = _stone_sentence(lang, plan)
    if plan.occasion is not None:
        second = OCCASION_SENTENCES[plan.occasion][i]
    else:
        second = STYLE_SENTENCES[plan.design.leaf][i]
    care = CARE_SENTENCES[_care_key(plan)][i]
    joiner = "" if lang in ("ja", "zh-hans") else " "
    description = joiner.join((first, second, care))
    shop = settings.SHOP_NAME
    seo_title = f"{name} | {shop}" if len(name) + len(shop) + 3 <= 70 else _clip(name, 70)
    seo_description = _clip(joiner.join((first, second)), 160)
    return name, description, seo_title, seo_description
