"""The shop assistant's intents: a public contract (the chat API returns them, the admin
shows them).

The order is the contract's (docs: issue 14, ASSISTANT_CONTRACT). Renaming one breaks the API
and the stored IntentExample rows; add new ones at the end, before out_of_scope.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OUT_OF_SCOPE = "out_of_scope"

INTENTS: tuple[str, ...] = (
    "greeting",
    "goodbye",
    "thanks",
    "product_search",
    "product_question",
    "recommendation",
    "size_help",
    "care",
    "warranty_authenticity",
    "order_status",
    "order_cancel",
    "order_change",
    "return_refund",
    "shipping",
    "duties_taxes",
    "payment",
    "invoice",
    "account",
    "newsletter",
    "human_agent",
    "complaint",
    OUT_OF_SCOPE,
)

# What the merchant reads in the admin (the API returns the names above).
INTENT_LABELS: dict[str, str] = {
    "greeting": _("Greeting"),
    "goodbye": _("Goodbye"),
    "thanks": _("Thanks"),
    "product_search": _("Product search"),
    "product_question": _("Question about a product"),
    "recommendation": _("Recommendation or gift idea"),
    "size_help": _("Size help"),
    "care": _("Care and cleaning"),
    "warranty_authenticity": _("Warranty and authenticity"),
    "order_status": _("Order status"),
    "order_cancel": _("Cancel an order"),
    "order_change": _("Change an order"),
    "return_refund": _("Return or refund"),
    "shipping": _("Shipping"),
    "duties_taxes": _("Duties and taxes"),
    "payment": _("Payment"),
    "invoice": _("Invoice"),
    "account": _("Account"),
    "newsletter": _("Newsletter"),
    "human_agent": _("Talk to a person"),
    "complaint": _("Complaint"),
    OUT_OF_SCOPE: _("Out of scope"),
}

INTENT_CHOICES = [(name, INTENT_LABELS[name]) for name in INTENTS]

# The store's languages, as the training files are named (ai/assistant/data/<split>/<lang>.jsonl).
LANGUAGES: tuple[str, ...] = ("en", "fr", "de", "es", "ja", "zh-hans", "ar")
