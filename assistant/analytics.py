"""What the merchant reads about the assistant: the inbox's side panel and the analytics page.

Reads only (the admin renders them): conversations per day, intents, the share of
conversations resolved without a person, handoffs, ratings, assisted orders and the questions
the assistant could not answer; and, for one conversation, the shopper's bag, orders and
country, read through the orders selectors. Each function costs a fixed number of queries,
whatever the number of conversations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from orders.models import Order
from orders.selectors import cart_for, cart_summary, orders_for_user

from .models import Conversation, ConversationStatus, Message, Sender

# An order placed this long after the chat's last message still counts as assisted.
ASSISTED_WINDOW = dt.timedelta(hours=24)
UNANSWERED_LIMIT = 50


def handed_over_q(prefix: str = "") -> Q:
    """Conversations a person took over (or was asked for), whatever their status now.

    A system message is written only when the conversation is passed to the shop or closed by
    staff (assistant.services), so it marks people's involvement too.
    """
    return (
        Q(**{f"{prefix}status__in": (ConversationStatus.OPEN, ConversationStatus.ASSIGNED)})
        | Q(**{f"{prefix}assigned_to__isnull": False})
        | Q(**{f"{prefix}context__has_key": "handed_over_at"})
        | Q(**{f"{prefix}messages__sender__in": (Sender.STAFF, Sender.SYSTEM)})
    )


@dataclass(frozen=True)
class DayBar:
    day: dt.date
    count: int
    x: int
    y: int
    height: int
    label: str


@dataclass
class Chart:
    width: int
    height: int
    baseline: int
    bar_width: int
    maximum: int
    bars: list[DayBar] = field(default_factory=list)


@dataclass
class Unanswered:
    message_id: int
    conversation_id: int
    conversation_public_id: str
    question: str
    language: str
    intent: str
    confidence: float | None
    created_at: dt.datetime


@dataclass
class AssistantStats:
    since: dt.datetime
    days: int
    per_day: list[tuple[dt.date, int]]
    conversations: int
    intents: list[tuple[str, int, float]]
    handed_over: int
    resolved_without_person: int
    resolved_share: float | None
    ratings_up: int
    ratings_down: int
    assisted_orders: int
    unanswered: list[Unanswered]
    chart: Chart | None

    @property
    def has_data(self) -> bool:
        return self.conversations > 0


def _day_chart(per_day: list[tuple[dt.date, int]]) -> Chart | None:
    """Bars of the conversations per day, laid out for an inline SVG (no script needed)."""
    if not per_day or not any(count for _day, count in per_day):
        return None
    width, height, top, baseline = 720, 200, 12, 170
    slot = (width - 40) // len(per_day)
    bar_width = max(2, slot - 2)
    maximum = max(count for _day, count in per_day)
    bars = []
    for index, (day, count) in enumerate(per_day):
        bar_height = round((baseline - top) * count / maximum) if maximum else 0
        bars.append(
            DayBar(
                day=day,
                count=count,
                x=32 + index * slot,
                y=baseline - bar_height,
                height=bar_height,
                label=day.strftime("%m-%d"),
            )
        )
    return Chart(
        width=width,
        height=height,
        baseline=baseline,
        bar_width=bar_width,
        maximum=maximum,
        bars=bars,
    )


def _assisted_orders(since: dt.datetime) -> int:
    """Orders placed by a chat's shopper (same account, same session's bag, or the e-mail the
    guest proved) between the start of the chat and 24 hours after its last message."""
    chats = Conversation.objects.filter(
        created_at__gte=since,
        created_at__lte=OuterRef("created_at"),
        updated_at__gte=OuterRef("created_at") - ASSISTED_WINDOW,
    ).filter(
        Q(user__isnull=False, user=OuterRef("user"))
        | (~Q(session_key="") & Q(session_key=OuterRef("cart__session_key")))
        | (~Q(email="") & Q(email__iexact=OuterRef("email")))
    )
    return Order.objects.filter(created_at__gte=since).filter(Exists(chats)).count()


def _unanswered(since: dt.datetime) -> list[Unanswered]:
    """The latest messages the assistant could not answer, as the shopper's question.

    `answered=False` may sit on the shopper's message or on the assistant's reply; for a reply
    the question is the shopper's message just before it.
    """
    previous_question = Message.objects.filter(
        conversation=OuterRef("conversation"),
        sender=Sender.SHOPPER,
        id__lte=OuterRef("id"),
    ).order_by("-id")
    rows = (
        Message.objects.filter(answered=False, created_at__gte=since)
        .exclude(sender__in=(Sender.STAFF, Sender.SYSTEM))
        .annotate(
            question_id=Subquery(previous_question.values("id")[:1]),
            question=Subquery(previous_question.values("text")[:1]),
            question_language=Subquery(previous_question.values("language")[:1]),
            public_id=F("conversation__public_id"),
        )
        .order_by("-created_at", "-id")
        .values(
            "question_id",
            "conversation_id",
            "public_id",
            "question",
            "question_language",
            "language",
            "intent",
            "confidence",
            "created_at",
        )[:UNANSWERED_LIMIT]
    )
    found = []
    seen: set[int] = set()
    for row in rows:
        # One row per question, even when both the question and the reply are marked.
        if not row["question_id"] or row["question_id"] in seen:
            continue
        seen.add(row["question_id"])
        found.append(
            Unanswered(
                message_id=row["question_id"],
                conversation_id=row["conversation_id"],
                conversation_public_id=str(row["public_id"]),
                question=row["question"] or "",
                language=row["question_language"] or row["language"] or "",
                intent=row["intent"] or "",
                confidence=row["confidence"],
                created_at=row["created_at"],
            )
        )
    return found


def assistant_stats(*, days: int = 30, now: dt.datetime | None = None) -> AssistantStats:
    """The analytics page: the last `days` days, up to now."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first_day = today - dt.timedelta(days=days - 1)
    since = timezone.make_aware(dt.datetime.combine(first_day, dt.time.min))
    conversations = Conversation.objects.filter(created_at__gte=since)

    counts = dict(
        conversations.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )
    calendar = [first_day + dt.timedelta(days=offset) for offset in range(days)]
    per_day = [(day, counts.get(day, 0)) for day in calendar]
    total = sum(count for _day, count in per_day)

    messages = Message.objects.filter(created_at__gte=since)
    intent_rows = list(
        messages.filter(sender=Sender.SHOPPER)
        .exclude(intent="")
        .values_list("intent")
        .annotate(count=Count("id"))
        .order_by("-count", "intent")
    )
    if not intent_rows:  # the intent kept on the assistant's reply instead
        intent_rows = list(
            messages.filter(sender=Sender.ASSISTANT)
            .exclude(intent="")
            .values_list("intent")
            .annotate(count=Count("id"))
            .order_by("-count", "intent")
        )
    intent_total = sum(count for _intent, count in intent_rows) or 1
    intents = [(intent, count, count / intent_total) for intent, count in intent_rows]

    handed_over = conversations.filter(handed_over_q()).distinct().count()
    resolved = total - handed_over
    ratings = dict(
        messages.filter(rating__in=(-1, 1))
        .values_list("rating")
        .annotate(count=Count("id"))
        .values_list("rating", "count")
    )
    return AssistantStats(
        since=since,
        days=days,
        per_day=per_day,
        conversations=total,
        intents=intents,
        handed_over=handed_over,
        resolved_without_person=resolved,
        resolved_share=(resolved / total) if total else None,
        ratings_up=ratings.get(1, 0),
        ratings_down=ratings.get(-1, 0),
        assisted_orders=_assisted_orders(since),
        unanswered=_unanswered(since),
        chart=_day_chart(per_day),
    )


# --- One conversation's shopper, for the inbox ---------------------------------------------------


@dataclass
class ShopperContext:
    bag: object | None  # orders.selectors.CartSummary
    orders: list
    country: str
    country_name: str


def _session(session_key: str):
    if not session_key:
        return None
    engine = import_module(settings.SESSION_ENGINE)
    try:
        return engine.SessionStore(session_key=session_key)
    except Exception:  # a session engine that cannot be read by key: no bag shown
        return None


def shopper_context(conversation: Conversation, *, language: str) -> ShopperContext:
    """The shopper's bag (theirs or their session's), their recent orders, their country."""
    from django_countries import countries

    user = conversation.user
    session = None if user is not None else _session(conversation.session_key)
    try:
        cart = cart_for(user=user, session=session)
    except Exception:  # an unreadable or expired session: no bag
        cart = None
    bag = cart_summary(cart, language=language) if cart is not None else None
    orders: QuerySet | list
    if user is not None:
        orders = orders_for_user(user=user)
    elif conversation.email:
        orders = Order.objects.filter(email__iexact=conversation.email).order_by("-created_at")
    else:
        orders = []
    country = conversation.country or ""
    return ShopperContext(
        bag=bag,
        orders=list(orders[:10]),
        country=country,
        country_name=str(countries.name(country)) if country else "",
    )
