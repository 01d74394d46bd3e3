"""Orders in the chat: only their owner sees them (a signed-in customer's own, or a guest with
the number AND the e-mail), failures are rate limited, and cancel / return / address change
are proposed, then carried out once on confirmation."""

from __future__ import annotations

import pytest

from assistant.dialogue import order_not_found_text
from orders.models import Order, OrderStatus, OrderStatusEvent

from .conftest import understood
from .helpers import say, start

pytestmark = pytest.mark.django_db


# --- Order status -----------------------------------------------------------------------------


def test_a_signed_in_customer_gets_their_latest_order_without_a_number(customer, alice_order):
    conversation = start(user=customer)
    result = say(conversation, "where is my order?", understood("order_status"), user=customer)

    assert alice_order.number in result.reply.text
    assert "Paid" in result.reply.text
    assert result.reply.help[0]["url"].startswith("/")


def test_another_customers_order_number_reveals_nothing(customer, other_customer, alice_order):
    conversation = start(user=other_customer)
    result = say(
        conversation,
        f"status of {alice_order.number}",
        understood("order_status", order_numbers=[alice_order.number]),
        user=other_customer,
    )

    assert "Paid" not in result.reply.text
    assert "Alice" not in result.reply.text
    assert "not in your account" in result.reply.text


def test_a_guest_gives_the_number_then_the_email_and_sees_status_carrier_tracking(
    shipped_order,
):
    conversation = start()
    first = say(
        conversation,
        f"where is {shipped_order.number}",
        understood("order_status", order_numbers=[shipped_order.number]),
    )
    assert "e-mail" in first.reply.text
    assert "Shipped" not in first.reply.text

    # The e-mail alone, not understood as anything in particular, continues the check.
    second = say(conversation, "guest@example.com", understood("x", low=True))

    assert "Shipped" in second.reply.text
    assert "DHL" in second.reply.text
    assert "JD0001234" in second.reply.text
    assert second.reply.intent == "order_status"
    conversation.refresh_from_db()
    assert conversation.email == "guest@example.com"


def test_the_entities_safety_net_finds_a_number_and_email_the_extractor_missed(shipped_order):
    result = say(
        start(),
        f"order {shipped_order.number.lower()} guest@example.com",
        understood("order_status"),
    )

    assert "Shipped" in result.reply.text


def test_a_wrong_email_and_a_wrong_number_get_the_same_reply(guest_order):
    wrong_email = say(
        start(session_key="s1"),
        "...",
        understood(
            "order_status", order_numbers=[guest_order.number], emails=["other@example.com"]
        ),
    )
    wrong_number = say(
        start(session_key="s2"),
        "...",
        understood("order_status", order_numbers=["261202-NPEX2345"], emails=["guest@example.com"]),
    )

    assert wrong_email.reply.text == wrong_number.reply.text == order_not_found_text()
    assert wrong_email.reply.products == wrong_number.reply.products == []


def test_guessing_numbers_from_one_session_is_blocked_even_for_the_right_pair(
    settings, guest_order
):
    settings.ASSISTANT_ORDER_LOOKUP_MAX_FAILURES = 3
    conversation = start()
    for attempt in range(3):
        result = say(
            conversation,
            "...",
            understood(
                "order_status",
                order_numbers=[f"261202-GSS{attempt + 2}2345"],
                emails=["guest@example.com"],
            ),
        )
        assert result.reply.text == order_not_found_text()

    right = say(
        conversation,
        "...",
        understood(
            "order_status", order_numbers=[guest_order.number], emails=["guest@example.com"]
        ),
    )

    assert "Paid" not in right.reply.text
    assert "Too many attempts" in right.reply.text


def test_trying_emails_on_one_number_from_many_sessions_is_blocked(settings, guest_order):
    settings.ASSISTANT_ORDER_LOOKUP_MAX_FAILURES = 3
    for attempt in range(3):
        say(
            start(session_key=f"attacker-{attempt}"),
            "...",
            understood(
                "order_status",
                order_numbers=[guest_order.number],
                emails=[f"guess{attempt}@example.com"],
            ),
        )

    result = say(
        start(session_key="attacker-new"),
        "...",
        understood(
            "order_status", order_numbers=[guest_order.number], emails=["guest@example.com"]
        ),
    )

    assert "Too many attempts" in result.reply.text


def test_a_guests_proven_order_is_not_shown_in_another_conversation(guest_order):
    owner = start(session_key="owner")
    say(
        owner,
        "...",
        understood(
            "order_status", order_numbers=[guest_order.number], emails=["guest@example.com"]
        ),
    )

    stranger = say(
        start(session_key="stranger"),
        "...",
        understood("order_status", order_numbers=[guest_order.number]),
    )

    assert "Paid" not in stranger.reply.text


# --- Actions ----------------------------------------------------------------------------------


def test_a_cancellation_is_proposed_then_done_on_yes_and_only_once(customer, alice_order):
    conversation = start(user=customer, language="fr")
    proposal = say(
        conversation,
        "annulez ma commande",
        understood("order_cancel", "fr", order_numbers=[alice_order.number]),
        user=customer,
    )
    alice_order.refresh_from_db()
    assert alice_order.status == OrderStatus.PAID  # nothing happens before the confirmation
    [action] = proposal.reply.actions
    assert action["kind"] == "cancel"
    assert action["order"] == alice_order.number

    done = say(conversation, "oui", understood("x", "fr", low=True), user=customer)

    alice_order.refresh_from_db()
    assert alice_order.status == OrderStatus.CANCELLED
    assert done.reply.intent == "order_cancel"
    events = OrderStatusEvent.objects.filter(order=alice_order, to_status=OrderStatus.CANCELLED)
    assert events.count() == 1

    # The same confirmation again (a double click on the button) changes nothing more.
    again = say(conversation, "✓", understood("x", low=True), user=customer, confirm=action["id"])
    assert alice_order.number in again.reply.text
    assert events.count() == 1


@pytest.mark.parametrize("yes", ["yes", "Oui !", "ja", "sí", "はい", "是", "نعم"])
def test_yes_confirms_in_every_language(customer, alice_order, yes):
    conversation = start(user=customer)
    say(
        conversation,
        "cancel",
        understood("order_cancel", order_numbers=[alice_order.number]),
        user=customer,
    )
    say(conversation, yes, understood("x", low=True), user=customer)

    alice_order.refresh_from_db()
    assert alice_order.status == OrderStatus.CANCELLED


def test_no_drops_the_proposal(customer, alice_order):
    conversation = start(user=customer)
    say(
        conversation,
        "cancel",
        understood("order_cancel", order_numbers=[alice_order.number]),
        user=customer,
    )
    say(conversation, "non", understood("x", "fr", low=True), user=customer)
    say(conversation, "yes", understood("x", low=True), user=customer)

    alice_order.refresh_from_db()
    assert alice_order.status == OrderStatus.PAID


def test_a_shipped_order_cannot_be_cancelled_and_the_reply_says_why(shipped_order):
    result = say(
        start(),
        "cancel",
        understood(
            "order_cancel", order_numbers=[shipped_order.number], emails=["guest@example.com"]
        ),
    )

    assert result.reply.actions == []
    assert "shipped" in result.reply.text
    shipped_order.refresh_from_db()
    assert shipped_order.status == OrderStatus.SHIPPED


def test_a_guest_cancels_only_after_proving_the_order(guest_order):
    conversation = start()
    asked = say(
        conversation, "cancel", understood("order_cancel", order_numbers=[guest_order.number])
    )
    assert asked.reply.actions == []
    say(conversation, "yes", understood("x", low=True))
    guest_order.refresh_from_db()
    assert guest_order.status == OrderStatus.PAID

    proposal = say(conversation, "guest@example.com", understood("x", low=True))
    assert [a["kind"] for a in proposal.reply.actions] == ["cancel"]
    say(conversation, "yes", understood("x", low=True))

    guest_order.refresh_from_db()
    assert guest_order.status == OrderStatus.CANCELLED


def test_a_forged_confirmation_id_does_nothing(customer, alice_order):
    conversation = start(user=customer)
    say(
        conversation,
        "cancel",
        understood("order_cancel", order_numbers=[alice_order.number]),
        user=customer,
    )
    result = say(
        conversation, "✓", understood("x", low=True), user=customer, confirm="0123456789abcdef"
    )

    alice_order.refresh_from_db()
    assert alice_order.status == OrderStatus.PAID
    assert result.reply_message.answered is False


def test_a_return_of_a_delivered_order_is_requested_once_on_confirmation(customer, delivered_order):
    conversation = start(user=customer)
    proposal = say(
        conversation,
        "I want to return it, too small",
        understood("return_refund", order_numbers=[delivered_order.number]),
        user=customer,
    )
    [action] = proposal.reply.actions
    assert action["kind"] == "return"

    say(conversation, "✓", understood("x", low=True), user=customer, confirm=action["id"])
    say(conversation, "✓", understood("x", low=True), user=customer, confirm=action["id"])

    assert delivered_order.return_requests.count() == 1
    assert "too small" in delivered_order.return_requests.get().reason


def test_a_return_of_an_order_not_delivered_is_refused_with_the_reason(customer, alice_order):
    result = say(
        start(user=customer),
        "return",
        understood("return_refund", order_numbers=[alice_order.number]),
        user=customer,
    )

    assert result.reply.actions == []
    assert "not been delivered" in result.reply.text


def test_general_return_questions_without_an_order_are_help_not_an_identity_check(
    monkeypatch,
):
    from ai import services as ai_services

    monkeypatch.setattr(
        ai_services,
        "assistant_help_answer",
        lambda question, *, language, limit=3: [],
        raising=False,
    )
    result = say(start(), "what is your return policy?", understood("return_refund"))

    assert "order number" not in result.reply.text


def test_the_address_change_is_proposed_from_the_address_book_and_done_on_yes(
    customer, alice_order
):
    from customers.models import Address
    from orders.models import ShippingZone
    from tests.orders.conftest import make_method

    make_method(ShippingZone.objects.create(name="US", countries=["US"]), "std", "Standard", "8")
    Address.objects.create(
        user=customer,
        full_name="Alice Martin",
        line1="5 Oak Avenue",
        city="Shelbyville",
        postal_code="54321",
        country="US",
    )
    conversation = start(user=customer)
    proposal = say(
        conversation,
        "please ship it to my other address",
        understood("order_change", order_numbers=[alice_order.number]),
        user=customer,
    )
    assert [a["kind"] for a in proposal.reply.actions] == ["change_address"]
    assert "5 Oak Avenue" in proposal.reply.text

    say(conversation, "yes", understood("x", low=True), user=customer)

    alice_order.refresh_from_db()
    assert alice_order.shipping_line1 == "5 Oak Avenue"


def test_an_order_cancelled_elsewhere_between_proposal_and_yes_is_explained(customer, alice_order):
    conversation = start(user=customer)
    say(
        conversation,
        "cancel",
        understood("order_cancel", order_numbers=[alice_order.number]),
        user=customer,
    )
    Order.objects.filter(pk=alice_order.pk).update(status=OrderStatus.SHIPPED)

    result = say(conversation, "yes", understood("x", low=True), user=customer)

    assert "shipped" in result.reply.text
    assert result.reply_message.answered is False


def test_a_signed_in_customer_asking_the_return_policy_gets_no_return_proposal(
    customer, delivered_order, monkeypatch
):
    from ai import services as ai_services

    monkeypatch.setattr(
        ai_services, "assistant_help_answer", lambda question, *, language, limit=3: []
    )
    result = say(
        start(user=customer),
        "what is your return policy?",
        understood("return_refund"),
        user=customer,
    )

    assert result.reply.actions == [] or result.reply.actions[0]["kind"] == "handoff"
    assert delivered_order.return_requests.count() == 0


def test_a_greeting_with_an_order_number_is_a_question_about_that_order(shipped_order):
    result = say(
        start(),
        f"hello! {shipped_order.number} guest@example.com",
        understood("greeting", order_numbers=[shipped_order.number], emails=["guest@example.com"]),
    )

    assert result.reply.intent == "order_status"
    assert "DHL" in result.reply.text
