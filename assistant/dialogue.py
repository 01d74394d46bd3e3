"""The assistant's dialogue: understand -> look up -> compose.

No generative model: every reply is one of the templates below, translated with gettext (the
reply language is activated with translation.override), filled with what was read from the store
at answer time (search, recommendations, product rows, shipping zones and duty rates, orders,
store pages and FAQ). The understanding (language, intent, entities) comes from ai.services.

`respond(turn)` is pure dialogue logic: it reads, may act on an order the shopper confirmed, and
returns a Reply plus the conversation's new context; assistant.services stores both.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from ai import services as ai_services
from orders.models import OrderStatus
from orders.services import OrderError
from orders.services.aftersales import (
    order_can_cancel,
    order_can_change_address,
    order_can_return,
    order_cancel_by_customer,
    order_change_shipping_address,
    order_return_request,
)
from shop.money import format_price

from . import identity, selectors
from .models import Conversation

INTENT_HANDOFF = ("human_agent", "complaint")
HELP_INTENTS = (
    "size_help",
    "care",
    "warranty_authenticity",
    "shipping",
    "duties_taxes",
    "payment",
    "invoice",
    "account",
    "newsletter",
    "return_refund",
)
SMALL_TALK = ("greeting", "goodbye", "thanks")
PRODUCT_INTENTS = ("product_search", "recommendation", "product_question")
# Below this confidence, a short attribute-only follow-up to a search refines it whatever the
# model's first guess, when a product intent is among its top three.
REFINE_BELOW = 0.75
ORDER_INTENTS = ("order_status", "order_cancel", "order_change", "return_refund")
ACTION_KINDS = ("cancel", "return", "change_address", "handoff")
MAX_CARDS = 4

# Confirmations and refusals, after lower-casing and dropping punctuation (the seven languages,
# with the usual short forms).
YES_WORDS = {
    "yes", "y", "yeah", "yep", "yes please", "ok", "okay", "sure", "confirm", "do it",
    "oui", "ouais", "oui merci", "d'accord", "dac", "ok merci", "vas-y",
    "ja", "jawohl", "ja bitte", "genau", "klar",
    "sí", "si", "vale", "claro", "sí por favor", "si por favor", "dale",
    "はい", "はい お願いします", "はいお願いします", "お願いします", "うん", "ええ", "いいよ",
    "是", "是的", "好", "好的", "对", "确认", "可以",
    "نعم", "ايوه", "أيوه", "اي", "أكيد", "اكيد", "تمام", "موافق",
}  # fmt: skip
NO_WORDS = {
    "no", "n", "nope", "no thanks", "cancel that", "non", "non merci", "nein", "nein danke",
    "no gracias", "いいえ", "いや", "やめて", "不", "不要", "不是", "算了", "لا", "لا شكرا",
}  # fmt: skip
_PUNCT = re.compile(r"[\s!?.,;:¡¿。、！？，؟،]+")
# Safety net for the two entities the order flow cannot do without (the entity extractor is
# the main source): the store's order numbers (YYMMDD-XXXXXXXX) and e-mail addresses.
ORDER_NUMBER_RE = re.compile(r"\b(\d{6}-[A-Za-z0-9]{8})\b")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _normalised(text: str) -> str:
    return _PUNCT.sub(" ", (text or "").lower()).strip()


def is_yes(text: str) -> bool:
    return _normalised(text) in YES_WORDS


def is_no(text: str) -> bool:
    return _normalised(text) in NO_WORDS


@dataclass
class Turn:
    """One shopper message with what the dialogue needs to answer it."""

    conversation: Conversation
    text: str
    understanding: Any  # ai.services.Understanding
    user: Any = None
    session_key: str = ""
    currency: str = ""
    confirm: str = ""  # an action id the shopper confirmed with the button
    dry_run: bool = False  # a suggestion for staff: nothing is carried out


@dataclass
class Reply:
    text: str
    intent: str
    confidence: float
    language: str
    products: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    help: list[dict] = field(default_factory=list)
    answered: bool = True
    handoff: bool = False  # the conversation goes (or went) to a person with this turn
    offer_handoff: bool = False


# --- Small helpers ----------------------------------------------------------------------------


def reply_language(understanding, conversation: Conversation) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = getattr(understanding, "language", "") or ""
    if language in codes:
        return language
    return conversation.language if conversation.language in codes else settings.LANGUAGE_CODE


def _entities(turn: Turn):
    return turn.understanding.entities


def _order_numbers(turn: Turn) -> list[str]:
    found = [identity.normalise_number(n) for n in (_entities(turn).order_numbers or ())]
    for match in ORDER_NUMBER_RE.findall(turn.text or ""):
        number = identity.normalise_number(match)
        if number not in found:
            found.append(number)
    return found


def _emails(turn: Turn) -> list[str]:
    found = [e.strip().lower() for e in (_entities(turn).emails or ())]
    for match in EMAIL_RE.findall(turn.text or ""):
        if match.lower() not in found:
            found.append(match.lower())
    return found


def _shop_hours_text() -> str:
    hours = int(getattr(settings, "ASSISTANT_HANDOFF_REPLY_HOURS", 24))
    return ngettext(
        "A person from the shop will answer here, usually within %(hours)d hour; if you have "
        "left by then, we will e-mail you the answer.",
        "A person from the shop will answer here, usually within %(hours)d hours; if you have "
        "left by then, we will e-mail you the answer.",
        hours,
    ) % {"hours": hours}


def main_options_text() -> str:
    return _(
        "I can help you find jewellery, answer questions about a piece, sizes, care, shipping, "
        "duties, payment and returns, tell you where your order is, or put you in touch with a "
        "person from the shop."
    )


def _action(kind: str, label: str, order: str = "") -> dict:
    return {"id": uuid.uuid4().hex[:16], "kind": kind, "label": label, "order": order}


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _help_cards(question: str, *, language: str, limit: int = 3) -> list[dict]:
    hits = ai_services.assistant_help_answer(question, language=language, limit=limit)
    return [{"title": hit.title, "url": hit.url, "snippet": hit.snippet} for hit in hits]


# --- The dialogue -----------------------------------------------------------------------------


def respond(turn: Turn) -> tuple[Reply, dict]:
    """The reply to one shopper message and the conversation's context after it."""
    conversation = turn.conversation
    context = dict(conversation.context or {})
    understanding = turn.understanding
    language = reply_language(understanding, conversation)
    with translation.override(language):
        reply = _dispatch(turn, context, language)
    reply.language = language
    return reply, context


def _dispatch(turn: Turn, context: dict, language: str) -> Reply:
    understanding = turn.understanding
    intent = understanding.intent
    confidence = float(understanding.confidence or 0)

    def base(**kwargs) -> Reply:
        return Reply(
            text=kwargs.pop("text", ""),
            intent=kwargs.pop("intent", intent),
            confidence=confidence,
            language=language,
            **kwargs,
        )

    # An order number in a message read as small talk ("hello, where is 261207-...?") or not
    # understood: the shopper is asking about that order.
    if intent in SMALL_TALK + ("out_of_scope",) and _order_numbers(turn):
        ranked = [name for name, _p in (understanding.ranking or ()) if name in ORDER_INTENTS]
        intent = ranked[0] if ranked else "order_status"

    # 1. A pending proposal: confirmed by the button (its id) or a "yes" in any language.
    pending = context.get("pending")
    if pending:
        confirmed = turn.confirm == pending.get("id") or (not turn.confirm and is_yes(turn.text))
        if confirmed and not turn.dry_run:
            return _execute(turn, context, pending, base)
        if is_no(turn.text):
            context.pop("pending", None)
            return base(text=_("All right, I have not changed anything."))
    if turn.confirm:
        done = context.get("done", {}).get(turn.confirm)
        if done:
            return base(text=_done_text(done), intent=done.get("intent", intent))
        context.pop("pending", None)
        return base(
            text=_("That proposal is no longer open. Tell me again what you would like to do."),
            answered=False,
        )

    # 2. We asked for an order number or an e-mail: a message that gives it continues there.
    awaiting = context.get("awaiting")
    if awaiting and (_order_numbers(turn) or _emails(turn)) and intent not in INTENT_HANDOFF:
        return _order_flow(turn, context, awaiting["intent"], base)

    if intent in INTENT_HANDOFF:
        context.pop("pending", None)
        text = (
            _("I am sorry about this. I am passing our conversation to a person from the shop.")
            if intent == "complaint"
            else _("Of course, I am passing our conversation to a person from the shop.")
        )
        return base(text=f"{text} {_shop_hours_text()}", handoff=True)

    # 3. A short follow-up naming only a metal, a stone or a price refines the last search
    # when the model reads it as a product question or is unsure what it is ("and in white
    # gold?" alone is hard to classify; the conversation says what it is).
    if _is_refinement(turn, context) and intent not in ORDER_INTENTS:
        product_ranked = any(name in PRODUCT_INTENTS for name, _p in understanding.ranking or ())
        about_a_piece = intent == "product_question" and (
            _entities(turn).product_handles or turn.conversation.product_id
        )
        if not about_a_piece and (
            intent in PRODUCT_INTENTS or (confidence < REFINE_BELOW and product_ranked)
        ):
            refined = _refine_search(turn, context, base, language)
            if refined is not None:
                return refined

    # 4. Unsure twice in a row: offer a person.
    unsure = bool(getattr(understanding, "low_confidence", False)) and intent == "out_of_scope"
    if unsure or intent == "out_of_scope":
        refined = _refine_search(turn, context, base, language)
        if refined is not None:
            return refined
        streak = turn.conversation.low_confidence_streak + 1
        if unsure and streak >= 2:
            action = _action("handoff", _("Talk to a person"))
            context["pending"] = {**action, "intent": "human_agent"}
            return base(
                text=_(
                    "I am not sure I understand. Would you like me to pass you to a person "
                    "from the shop?"
                ),
                actions=[action],
                answered=False,
                offer_handoff=True,
            )
        return base(
            text=_("Sorry, I cannot help with that.") + " " + main_options_text(),
            intent="out_of_scope",
            answered=False,
        )

    if intent == "greeting":
        return base(text=_("Hello! How can I help you today?") + " " + main_options_text())
    if intent == "goodbye":
        return base(text=_("Goodbye, and thank you for visiting us!"))
    if intent == "thanks":
        return base(text=_("You are welcome! Is there anything else I can do for you?"))
    if intent in ("product_search", "recommendation"):
        return _products(turn, context, base, language)
    if intent == "product_question":
        return _product_question(turn, context, base, language)
    # "What is your return policy?" is a help question; a return of an order names it (or
    # follows a conversation about one).
    about_an_order = intent != "return_refund" or _order_numbers(turn) or context.get("order")
    if intent in ORDER_INTENTS and about_an_order:
        return _order_flow(turn, context, intent, base)
    if intent in HELP_INTENTS:
        return _help(turn, context, base, language)
    return base(
        text=_("Sorry, I cannot help with that.") + " " + main_options_text(),
        intent="out_of_scope",
        answered=False,
    )


# --- Products ---------------------------------------------------------------------------------


def _json_price(value) -> str | None:
    return None if value is None else str(value)


def _filters_from_entities(entities, previous: dict | None = None) -> dict:
    filters = dict(previous or {})
    if entities.metals:
        filters["metals"] = list(entities.metals)
    if entities.gemstones:
        filters["gemstones"] = list(entities.gemstones)
    if entities.categories:
        filters["categories"] = list(entities.categories)
    if entities.price_min is not None:
        filters["price_min"] = _json_price(entities.price_min)
    if entities.price_max is not None:
        filters["price_max"] = _json_price(entities.price_max)
    return filters


def _search_filters(filters: dict):
    def decimal(value):
        try:
            return None if value in (None, "") else Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None

    return ai_services.search_filters(
        metals=list(filters.get("metals") or []),
        gemstones=list(filters.get("gemstones") or []),
        categories=list(filters.get("categories") or []),
        price_min=decimal(filters.get("price_min")),
        price_max=decimal(filters.get("price_max")),
    )


def _run_search(turn: Turn, *, query: str, filters: dict, language: str) -> list[dict]:
    result = ai_services.search_products(
        query,
        language=language,
        filters=_search_filters(filters),
        limit=MAX_CARDS,
        currency=turn.currency or None,
        facets=False,
    )
    return selectors.product_cards(result.product_ids, language=language, currency=turn.currency)


def _is_refinement(turn: Turn, context: dict) -> bool:
    """A short follow-up naming only attributes ("and in white gold?", "et en or blanc ?",
    "under 300?") refines the last search instead of starting a new one."""
    if not context.get("search"):
        return False
    entities = _entities(turn)
    attributes = (
        entities.metals
        or entities.gemstones
        or entities.price_min is not None
        or entities.price_max is not None
    )
    return bool(attributes) and not entities.categories and len(turn.text.split()) <= 8


def _refine_search(turn: Turn, context: dict, base, language: str) -> Reply | None:
    if not _is_refinement(turn, context):
        return None
    last = context["search"]
    filters = _filters_from_entities(_entities(turn), last.get("filters"))
    cards = _run_search(turn, query=last.get("query", ""), filters=filters, language=language)
    context["search"] = {"query": last.get("query", ""), "filters": filters}
    if not cards:
        return base(
            text=_("I found nothing like that. Try other words, or ask me for something else."),
            intent="product_search",
            answered=False,
        )
    return base(
        text=_("Here is what I found with that change:"),
        intent="product_search",
        products=cards,
    )


def _products(turn: Turn, context: dict, base, language: str) -> Reply:
    if _is_refinement(turn, context):
        refined = _refine_search(turn, context, base, language)
        if refined is not None:
            return refined
    entities = _entities(turn)
    intent = turn.understanding.intent
    query = (entities.product_query or "").strip()
    if intent == "recommendation" and not (query or entities.categories or entities.metals):
        cards = _recommendations(turn, language)
        if cards:
            return base(text=_("You might like these:"), products=cards)
    query = query or turn.text
    filters = _filters_from_entities(entities)
    # The search reads metals, stones, categories and prices from the words itself; explicit
    # filters are kept for the follow-ups that refine this search.
    cards = _run_search(turn, query=query, filters={}, language=language)
    context["search"] = {"query": query, "filters": filters}
    if not cards:
        return base(
            text=_("I found nothing like that. Try other words, or ask me for something else."),
            answered=False,
        )
    return base(text=_("Here is what I found:"), products=cards)


def _recommendations(turn: Turn, language: str) -> list[dict]:
    conversation = turn.conversation
    if conversation.product_id:
        suggestions = ai_services.similar_products(
            conversation.product, language=language, limit=MAX_CARDS
        )
    else:
        suggestions = ai_services.recommend_for_shopper(
            user=turn.user,
            session_key=turn.session_key,
            language=language,
            country=conversation.country,
            limit=MAX_CARDS,
        )
    cards = []
    for suggestion in list(suggestions)[:MAX_CARDS]:
        cards.append(
            selectors.product_card(suggestion.product, language=language, currency=turn.currency)
        )
    return cards


def _delivery_text(country: str) -> str:
    methods = selectors.shipping_methods_for_country(country) if country else []
    if not methods:
        return ""
    low = min(method.min_days for method in methods)
    high = max(method.max_days for method in methods)
    return _("Delivery to your country takes %(min)d to %(max)d days.") % {
        "min": low,
        "max": high,
    }


def _product_question(turn: Turn, context: dict, base, language: str) -> Reply:
    entities = _entities(turn)
    handle = ""
    if entities.product_handles:
        handle = entities.product_handles[0]
    elif turn.conversation.product_id:
        handle = turn.conversation.product.handle
    elif context.get("product"):
        handle = context["product"]
    facts = (
        selectors.product_facts(handle=handle, language=language, currency=turn.currency)
        if handle
        else None
    )
    if facts is None:
        query = (entities.product_query or "").strip()
        cards = _run_search(turn, query=query, filters={}, language=language) if query else []
        if cards:
            return base(
                text=_("Which piece do you mean? Open one of these and ask me again:"),
                products=cards,
            )
        return base(
            text=_("Which piece do you mean? Open its page and ask me there, or tell me its name."),
            answered=False,
        )
    context["product"] = facts.product.handle
    parts = [_("%(name)s costs %(price)s.") % {"name": facts.name, "price": facts.price_display}]
    if facts.metals:
        parts.append(_("Metal: %(metals)s.") % {"metals": ", ".join(facts.metals)})
    if facts.stones:
        parts.append(_("Stones: %(stones)s.") % {"stones": ", ".join(facts.stones)})
    if facts.sizes_in_stock:
        parts.append(_("Sizes in stock: %(sizes)s.") % {"sizes": ", ".join(facts.sizes_in_stock)})
    parts.append(_("In stock.") if facts.available else _("Out of stock at the moment."))
    delivery = _delivery_text(turn.conversation.country)
    if delivery and facts.available:
        parts.append(delivery)
    return base(text=" ".join(parts), products=[facts.card])


# --- Help (store pages and FAQ), shipping and duties -----------------------------------------


def _country_of(turn: Turn) -> str:
    countries = _entities(turn).countries
    if countries:
        turn.conversation.country = countries[0].upper()[:2]
    return turn.conversation.country


def _country_name(code: str) -> str:

    return str(countries.name(code)) or code


def _shipping_text(turn: Turn, country: str) -> str:
    methods = selectors.shipping_methods_for_country(country)
    name = _country_name(country)
    if not methods:
        return _("Sorry, we do not ship to %(country)s yet.") % {"country": name}

    lines = []
    for method in methods:
        method.set_current_language(translation.get_language())
        label = method.safe_translation_getter("name", any_language=True) or method.code
        price = (
            _("free")
            if not method.price
            else format_price(
                method.price, currency=turn.currency, language=translation.get_language()
            )
        )
        text = _("%(method)s: %(price)s, %(min)d to %(max)d days") % {
            "method": label,
            "price": price,
            "min": method.min_days,
            "max": method.max_days,
        }
        if method.free_over:
            text += " " + _("(free over %(amount)s)") % {
                "amount": format_price(
                    method.free_over, currency=turn.currency, language=translation.get_language()
                )
            }
        lines.append(text)
    return _("Shipping to %(country)s: %(methods)s.") % {
        "country": name,
        "methods": "; ".join(lines),
    }


def _duties_text(turn: Turn, country: str) -> str:

    rate = selectors.duty_rate_for_country(country)
    name = _country_name(country)
    if rate is None:
        return _(
            "We charge no import duty or tax for %(country)s at checkout; your country may "
            "charge them on delivery."
        ) % {"country": name}
    text = _(
        "For %(country)s: import duty %(duty)s%%, %(tax_name)s %(tax)s%%, shown and paid at "
        "checkout, so nothing is due on delivery."
    ) % {
        "country": name,
        "duty": formats.number_format(rate.duty_percent.normalize()),
        "tax_name": rate.tax_name,
        "tax": formats.number_format(rate.tax_percent.normalize()),
    }
    if rate.duty_free_under:
        text += " " + _("No duty on orders under %(amount)s.") % {
            "amount": format_price(
                rate.duty_free_under, currency=turn.currency, language=translation.get_language()
            )
        }
    return text


def _help(turn: Turn, context: dict, base, language: str) -> Reply:
    intent = turn.understanding.intent
    cards = _help_cards(turn.text, language=language)
    parts = []
    if intent in ("shipping", "duties_taxes"):
        country = _country_of(turn)
        if country:
            parts.append(
                _shipping_text(turn, country)
                if intent == "shipping"
                else _duties_text(turn, country)
            )
        elif not cards:
            parts.append(_("Tell me which country we would ship to and I will give you details."))
    if cards:
        parts.append(cards[0]["snippet"])
        if len(cards) > 1 or cards[0].get("url"):
            parts.append(_("More in our help pages below."))
    if not parts:
        action = _action("handoff", _("Talk to a person"))
        context["pending"] = {**action, "intent": "human_agent"}
        return base(
            text=_(
                "I could not find an answer to that in our help pages. Would you like to ask "
                "a person from the shop?"
            ),
            actions=[action],
            answered=False,
        )
    return base(text=" ".join(part for part in parts if part), help=cards)


# --- Orders -----------------------------------------------------------------------------------


def order_not_found_text() -> str:
    """The reply to a failed check, the same whichever of number and e-mail was wrong."""
    return _(
        "I could not find an order with this number and e-mail address. Please check both "
        "and try again."
    )


def order_blocked_text() -> str:
    return _(
        "Too many attempts to look up an order. Please try again later, or ask to talk to a "
        "person from the shop."
    )


def _who(turn: Turn) -> str:
    return turn.session_key or f"conversation:{turn.conversation.public_id}"


def _owned_order(turn: Turn, context: dict, intent: str, base):
    """(order, None) when the shopper proved they own an order, else (None, the reply asking
    for what is missing or saying the check failed)."""
    numbers = _order_numbers(turn)
    emails = _emails(turn)
    awaiting = context.get("awaiting") or {}
    number = numbers[0] if numbers else awaiting.get("number", "")
    email = emails[0] if emails else awaiting.get("email", "")
    verified = list(context.get("verified") or [])
    user = turn.user if getattr(turn.user, "is_authenticated", False) else None

    if user is not None:
        order = selectors.order_of_user(user=user, number=number)
        if order is not None:
            context.pop("awaiting", None)
            return order, None
        if not number:
            context.pop("awaiting", None)
            return None, base(text=_("I cannot find any order in your account."), answered=False)
        if not email:  # perhaps an order placed as a guest: the guest check applies
            context["awaiting"] = {"intent": intent, "number": number}
            return None, base(
                text=_(
                    "This order is not in your account. If you placed it as a guest, tell me "
                    "the e-mail address you used."
                )
            )
    elif number and number in verified:
        order = selectors.order_by_number(number)
        if order is not None:
            context.pop("awaiting", None)
            return order, None
    elif not number and verified:
        order = selectors.order_by_number(verified[-1])
        if order is not None:
            context.pop("awaiting", None)
            return order, None

    if not number or not email:
        context["awaiting"] = {"intent": intent, "number": number, "email": email}
        if not number and not email:
            text = _(
                "Please give me your order number and the e-mail address you placed the order with."
            )
        elif not number:
            text = _("Please give me your order number as well.")
        else:
            text = _("Please give me the e-mail address you placed the order with.")
        return None, base(text=text)

    check, order = identity.check_guest_order(number=number, email=email, who=_who(turn))
    if check is identity.Check.BLOCKED:
        context.pop("awaiting", None)
        return None, base(text=order_blocked_text(), answered=False)
    if check is identity.Check.FAILED:
        # Keep nothing of the failed pair: the next try gives both again.
        context["awaiting"] = {"intent": intent, "number": "", "email": ""}
        return None, base(text=order_not_found_text(), answered=False)
    context.pop("awaiting", None)
    if order.number not in verified:
        verified.append(order.number)
    context["verified"] = verified[-5:]
    if not turn.conversation.email:
        turn.conversation.email = email
    return order, None


def _status_label(status: str) -> str:
    try:
        return str(OrderStatus(status).label)
    except ValueError:
        return status


def order_status_text(order, *, language: str) -> str:
    parts = [
        _("Order %(number)s (placed %(date)s): %(status)s.")
        % {
            "number": order.number,
            "date": _date(order.created_at),
            "status": _status_label(order.status),
        }
    ]
    if order.carrier or order.tracking_number:
        parts.append(
            _("Carrier: %(carrier)s, tracking number: %(tracking)s.")
            % {"carrier": order.carrier or "-", "tracking": order.tracking_number or "-"}
        )
    events = list(getattr(order, "recent_events", None) or [])[:3]
    if events:
        history = "; ".join(
            f"{_date(event.created_at)} {_status_label(event.to_status)}" for event in events
        )
        parts.append(_("Latest: %(events)s.") % {"events": history})
    return " ".join(parts)


def _order_flow(turn: Turn, context: dict, intent: str, base) -> Reply:
    language = translation.get_language()
    order, reply = _owned_order(turn, context, intent, base)
    if order is None:
        reply.intent = intent
        return reply
    context["order"] = order.number
    link = selectors.order_link(order, language=language)
    help_link = [{"title": _("Order %(number)s") % {"number": order.number}, "url": link}]
    if intent == "order_status":
        return base(text=order_status_text(order, language=language), intent=intent, help=help_link)
    if intent == "order_cancel":
        allowed, why = order_can_cancel(order)
        if not allowed:
            return base(text=str(why), intent=intent, help=help_link)
        action = _action(
            "cancel", _("Cancel order %(number)s") % {"number": order.number}, order.number
        )
        context["pending"] = {**action, "intent": intent}
        return base(
            text=_(
                "Order %(number)s has not shipped yet, so I can cancel it and refund you. "
                "Shall I cancel it?"
            )
            % {"number": order.number},
            intent=intent,
            actions=[action],
        )
    if intent == "return_refund":
        allowed, why = order_can_return(order)
        if not allowed:
            return base(text=str(why), intent=intent, help=help_link)
        action = _action(
            "return",
            _("Request a return for order %(number)s") % {"number": order.number},
            order.number,
        )
        context["pending"] = {**action, "intent": intent, "reason": turn.text[:500]}
        return base(
            text=_(
                "Order %(number)s can be returned. Shall I send a return request? We will "
                "e-mail you once the shop has approved it."
            )
            % {"number": order.number},
            intent=intent,
            actions=[action],
        )
    # order_change: a new shipping address, from the signed-in customer's address book.
    allowed, why = order_can_change_address(order)
    if not allowed:
        return base(text=str(why), intent=intent, help=help_link)
    user = turn.user if getattr(turn.user, "is_authenticated", False) else None
    current = (order.shipping_line1, order.shipping_postal_code, order.shipping_city)
    choices = [
        address
        for address in selectors.user_addresses(user)
        if (address.line1, address.postal_code, address.city) != current
    ]
    if not choices:
        return base(
            text=_(
                "You can change the shipping address of order %(number)s on its page until it "
                "ships."
            )
            % {"number": order.number},
            intent=intent,
            help=help_link,
        )
    address = choices[0]
    action = _action(
        "change_address",
        _("Ship order %(number)s to %(address)s") % {"number": order.number, "address": address},
        order.number,
    )
    context["pending"] = {**action, "intent": intent, "address_id": address.pk}
    return base(
        text=_("Shall I send order %(number)s to %(address)s instead?")
        % {"number": order.number, "address": address},
        intent=intent,
        actions=[action],
        help=help_link,
    )


# --- Confirmed actions ------------------------------------------------------------------------


def _done_text(done: dict) -> str:
    kind, number = done.get("kind"), done.get("order", "")
    if kind == "cancel":
        return _("Order %(number)s is cancelled; the refund is on its way.") % {"number": number}
    if kind == "return":
        return _(
            "Your return request for order %(number)s is registered. We will e-mail you once "
            "the shop has approved it."
        ) % {"number": number}
    if kind == "change_address":
        return _("Order %(number)s will be shipped to the new address.") % {"number": number}
    if kind == "handoff":
        return _shop_hours_text()
    return _("Done.")


def _execute(turn: Turn, context: dict, pending: dict, base) -> Reply:
    """Carries out the proposal the shopper confirmed, once: the same confirmation again
    answers what was done (and the orders services are idempotent themselves)."""
    context.pop("pending", None)
    kind = pending.get("kind")
    intent = pending.get("intent", turn.understanding.intent)
    done = {"kind": kind, "order": pending.get("order", ""), "intent": intent}
    if kind == "handoff":
        context.setdefault("done", {})[pending["id"]] = done
        return base(
            text=_("I am passing our conversation to a person from the shop.")
            + " "
            + _shop_hours_text(),
            intent="human_agent",
            handoff=True,
        )
    user = turn.user if getattr(turn.user, "is_authenticated", False) else None
    number = pending.get("order", "")
    # The order is read again, and its owner checked again, at the moment of acting.
    order = (
        selectors.order_of_user(user=user, number=number)
        if user is not None
        else (
            selectors.order_by_number(number) if number in (context.get("verified") or []) else None
        )
    )
    if order is None and user is not None and number in (context.get("verified") or []):
        order = selectors.order_by_number(number)
    if order is None:
        return base(text=order_not_found_text(), intent=intent, answered=False)
    try:
        if kind == "cancel":
            order_cancel_by_customer(order=order, by=user, reason="via the shop assistant")
        elif kind == "return":
            order_return_request(order=order, reason=pending.get("reason", ""), by=user)
        elif kind == "change_address":
            address = next(
                (a for a in selectors.user_addresses(user) if a.pk == pending.get("address_id")),
                None,
            )
            if address is None:
                return base(
                    text=_("That address is no longer in your account."),
                    intent=intent,
                    answered=False,
                )
            order_change_shipping_address(
                order=order,
                address={
                    "full_name": address.full_name,
                    "company": address.company,
                    "line1": address.line1,
                    "line2": address.line2,
                    "city": address.city,
                    "region": address.region,
                    "postal_code": address.postal_code,
                    "country": address.country.code,
                    "phone": address.phone,
                },
                by=user,
            )
        else:
            return base(text=_("Done."), intent=intent)
    except OrderError as error:
        return base(text=str(error), intent=intent, answered=False)
    context.setdefault("done", {})[pending["id"]] = done
    context["done"] = dict(list(context["done"].items())[-10:])
    return base(text=_done_text(done), intent=intent)
