"""The shop assistant's REST API under /api/v1/assistant/ (thin: validate, call a service, shape).

The widget calls it with the shopper's session cookie (guests and signed-in shoppers); API
clients may use a token. A conversation is only ever shown to its owner (the same user, or the
same session for a guest): anything else is a 404, the same answer as for an id that does not
exist. Writes are throttled (scope "writes", and "assistant" for messages); a shopper with a
session cookie must send the CSRF token (cookie "csrftoken", header X-CSRFToken).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.throttling import SimpleRateThrottle

from shop.api import ErrorSerializer, WriteThrottledAPIView
from shop.language import request_language
from shop.throttling import ClientAddressMixin

from . import selectors, services
from .models import ConversationStatus, Message, Sender
from .receivers import SESSION_KEYS_FIELD

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input"),
    404: OpenApiResponse(ErrorSerializer, description="Not found (or not yours)"),
}
MAX_POLL_MESSAGES = 100


class AssistantRateThrottle(ClientAddressMixin, SimpleRateThrottle):
    """Messages to the assistant per client (rate "assistant" in DEFAULT_THROTTLE_RATES)."""

    scope = "assistant"

    def get_cache_key(self, request, view):
        ident = (
            f"user-{request.user.pk}" if request.user.is_authenticated else self.get_ident(request)
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}


# --- Serializers ------------------------------------------------------------------------------


class MessageInput(serializers.Serializer):
    text = serializers.CharField(
        max_length=settings.ASSISTANT_MAX_MESSAGE_CHARS,
        allow_blank=True,
        required=False,
        default="",
        trim_whitespace=True,
        help_text="What the shopper wrote, in any of the shop's languages (required unless "
        "`confirm` is given).",
    )
    conversation = serializers.UUIDField(
        required=False, allow_null=True, help_text="The conversation to continue (new if absent)."
    )
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The page's language: the reply's language when the message is too short to "
        "tell.",
    )
    product = serializers.SlugField(
        max_length=255, required=False, help_text="Handle of the product page the chat is on."
    )
    confirm = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text="The id of a proposed action (`actions[].id`) the shopper confirms.",
    )
    currency = serializers.CharField(
        max_length=3,
        required=False,
        help_text="Currency for prices, one of the shop's (SHOP_CURRENCIES); default: the "
        "shopper's currency.",
    )

    def validate_text(self, value: str) -> str:
        if "\x00" in value:
            raise serializers.ValidationError(_("Null characters are not allowed."))
        return value

    def validate_currency(self, value: str) -> str:
        if value not in settings.SHOP_CURRENCIES:
            raise serializers.ValidationError(
                _("Unknown currency; use one of: %(codes)s.")
                % {"codes": ", ".join(settings.SHOP_CURRENCIES)}
            )
        return value

    def validate(self, attrs):
        if not attrs.get("text") and not attrs.get("confirm"):
            raise serializers.ValidationError({"text": [_("Write a message.")]})
        return attrs


class ProductCardSerializer(serializers.Serializer):
    handle = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()
    image = serializers.CharField(allow_blank=True)
    price = serializers.CharField(help_text="Decimal amount in `currency`.")
    currency = serializers.CharField()
    price_display = serializers.CharField()
    available = serializers.BooleanField()


class ActionSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Send it back as `confirm` to carry the action out.")
    kind = serializers.ChoiceField(choices=["cancel", "return", "change_address", "handoff"])
    label = serializers.CharField()
    order = serializers.CharField(allow_blank=True)


class HelpSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField(allow_blank=True)
    snippet = serializers.CharField(allow_blank=True, required=False, default="")


class ReplyOutput(serializers.Serializer):
    conversation = serializers.UUIDField()
    message = serializers.IntegerField(
        allow_null=True,
        help_text="Id of the assistant's reply (to rate it); null while a "
        "person handles the conversation.",
    )
    reply = serializers.CharField(allow_blank=True)
    intent = serializers.CharField()
    confidence = serializers.FloatField()
    language = serializers.CharField()
    products = ProductCardSerializer(many=True)
    actions = ActionSerializer(many=True)
    help = HelpSerializer(many=True)
    handoff = serializers.BooleanField(help_text="A person from the shop has the conversation.")
    status = serializers.ChoiceField(choices=ConversationStatus.choices)


class MessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    sender = serializers.ChoiceField(choices=Sender.choices)
    text = serializers.CharField()
    language = serializers.CharField(allow_blank=True)
    intent = serializers.CharField(allow_blank=True)
    products = ProductCardSerializer(many=True)
    actions = ActionSerializer(many=True)
    help = HelpSerializer(many=True)
    rating = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class ConversationOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    status = serializers.ChoiceField(choices=ConversationStatus.choices)
    language = serializers.CharField()
    created_at = serializers.DateTimeField()
    messages = MessageOutput(many=True)


class MessagesOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ConversationStatus.choices)
    messages = MessageOutput(many=True)


class HandoffOutput(serializers.Serializer):
    conversation = serializers.UUIDField()
    status = serializers.ChoiceField(choices=ConversationStatus.choices)
    handoff = serializers.BooleanField()


class RatingInput(serializers.Serializer):
    rating = serializers.ChoiceField(choices=[1, -1, 0], help_text="1: helpful, -1: not.")


class RatingOutput(serializers.Serializer):
    message = serializers.IntegerField()
    rating = serializers.IntegerField(allow_null=True)


class AfterQuery(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0,
        max_value=2**63 - 1,
        required=False,
        help_text="Only messages with a greater id.",
    )


# --- Views ------------------------------------------------------------------------------------


def _validated(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _country_from_header(request) -> str:
    """A guest's likely country from Accept-Language ("fr-CA" -> "CA"); "" when it names none.
    The shopper's own words ("shipping to Japan") and their account's address come first."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "") or ""
    first = header.split(",", 1)[0].split(";", 1)[0].strip()
    parts = first.replace("_", "-").split("-")
    region = parts[-1] if len(parts) > 1 else ""
    return region.upper() if len(region) == 2 and region.isalpha() else ""


def _message_data(message: Message) -> dict:
    return {
        "id": message.pk,
        "sender": message.sender,
        "text": message.text,
        "language": message.language,
        "intent": message.intent if message.sender != Sender.STAFF else "",
        "products": message.products or [],
        "actions": message.actions or [],
        "help": message.help or [],
        "rating": message.rating,
        "created_at": message.created_at,
    }


class AssistantView(WriteThrottledAPIView):
    """Owner checks by user or session; CSRF for shoppers with a session cookie."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if (
            request.method not in SAFE_METHODS
            and not request.user.is_authenticated
            and settings.SESSION_COOKIE_NAME in request.COOKIES
        ):
            SessionAuthentication().enforce_csrf(request)

    def session_key(self, *, create: bool = False) -> str:
        """The guest's session key ("" for signed-in shoppers); a new session when asked."""
        if self.request.user.is_authenticated:
            return ""
        session = self.request.session
        if not session.session_key and create:
            session.save()
        key = session.session_key or ""
        if key and create:
            known = list(session.get(SESSION_KEYS_FIELD) or [])
            if key not in known:
                session[SESSION_KEYS_FIELD] = [*known, key][-5:]
        return key

    def owned_conversation(self, public_id):
        conversation = selectors.conversation_for_owner(
            public_id=public_id, user=self.request.user, session_key=self.session_key()
        )
        if conversation is None:
            raise exceptions.NotFound(_("No such conversation."))
        return conversation


class MessageCreateView(AssistantView):
    """Sends a shopper's message; answers with the assistant's reply."""

    def get_throttles(self):
        return [*super().get_throttles(), AssistantRateThrottle()]

    @extend_schema(
        operation_id="assistant_message_create",
        summary="Ask the shop assistant",
        tags=["assistant"],
        request=MessageInput,
        responses={200: ReplyOutput, **ERRORS},
    )
    def post(self, request):
        data = _validated(MessageInput, request.data)
        language = data.get("language") or request_language(request)
        product = selectors.published_product(data.get("product", ""))
        currency = data.get("currency") or getattr(request, "currency", settings.SHOP_BASE_CURRENCY)
        session_key = self.session_key(create=True)
        try:
            conversation = services.conversation_get_or_create(
                public_id=data.get("conversation"),
                user=request.user,
                session_key=session_key,
                language=language,
                product=product,
                country=_country_from_header(request),
            )
        except services.ConversationNotFound as error:
            raise exceptions.NotFound(_("No such conversation.")) from error
        text = data.get("text") or ""
        if not text and data.get("confirm"):
            text = "✓"
        try:
            result = services.assistant_reply(
                conversation=conversation,
                text=text,
                user=request.user,
                session_key=session_key,
                language=language,
                currency=currency,
                confirm=data.get("confirm", ""),
            )
        except DjangoValidationError as error:
            raise exceptions.ValidationError(as_serializer_error(error)) from error
        get_token(request)  # the csrftoken cookie the widget sends back with its next message
        reply = result.reply
        conversation = result.conversation
        body = {
            "conversation": conversation.public_id,
            "message": result.reply_message.pk if result.reply_message else None,
            "reply": reply.text if reply else "",
            "intent": reply.intent if reply else result.shopper_message.intent,
            "confidence": reply.confidence if reply else result.shopper_message.confidence or 0,
            "language": reply.language if reply else result.shopper_message.language,
            "products": reply.products if reply else [],
            "actions": reply.actions if reply else [],
            "help": reply.help if reply else [],
            "handoff": conversation.status in services.WITH_PEOPLE,
            "status": conversation.status,
        }
        return Response(ReplyOutput(body).data)


class ConversationView(AssistantView):
    @extend_schema(
        operation_id="assistant_conversation_retrieve",
        summary="A conversation's history (owner only)",
        tags=["assistant"],
        responses={200: ConversationOutput, 404: ERRORS[404]},
    )
    def get(self, request, public_id):
        conversation = self.owned_conversation(public_id)
        services.conversation_touch(conversation=conversation)
        messages = list(selectors.conversation_messages(conversation=conversation))
        data = {
            "public_id": conversation.public_id,
            "status": conversation.status,
            "language": conversation.language,
            "created_at": conversation.created_at,
            "messages": [_message_data(message) for message in messages],
        }
        get_token(request)
        return Response(ConversationOutput(data).data)


class ConversationMessagesView(AssistantView):
    @extend_schema(
        operation_id="assistant_conversation_messages",
        summary="New messages of a conversation (polling for staff replies)",
        tags=["assistant"],
        parameters=[OpenApiParameter("after", int, description="Only messages with a greater id.")],
        responses={200: MessagesOutput, **ERRORS},
    )
    def get(self, request, public_id):
        query = _validated(AfterQuery, request.query_params)
        conversation = self.owned_conversation(public_id)
        services.conversation_touch(conversation=conversation)
        messages = list(
            selectors.conversation_messages(conversation=conversation, after=query.get("after"))[
                :MAX_POLL_MESSAGES
            ]
        )
        data = {
            "status": conversation.status,
            "messages": [_message_data(message) for message in messages],
        }
        return Response(MessagesOutput(data).data)


class ConversationHandoffView(AssistantView):
    @extend_schema(
        operation_id="assistant_conversation_handoff",
        summary="Talk to a person",
        tags=["assistant"],
        request=None,
        responses={200: HandoffOutput, 404: ERRORS[404]},
    )
    def post(self, request, public_id):
        conversation = self.owned_conversation(public_id)
        conversation = services.conversation_handoff(conversation=conversation)
        services.conversation_touch(conversation=conversation)
        return Response(
            HandoffOutput(
                {
                    "conversation": conversation.public_id,
                    "status": conversation.status,
                    "handoff": conversation.status in services.WITH_PEOPLE,
                }
            ).data
        )


class MessageRatingView(AssistantView):
    @extend_schema(
        operation_id="assistant_message_rate",
        summary="Rate an answer (thumbs up or down)",
        tags=["assistant"],
        request=RatingInput,
        responses={200: RatingOutput, **ERRORS},
    )
    def post(self, request, message_id: int):
        data = _validated(RatingInput, request.data)
        message = Message.objects.select_related("conversation").filter(pk=message_id).first()
        if message is None:
            raise exceptions.NotFound(_("No such message."))
        # Owner only: the message's conversation must be the shopper's.
        self.owned_conversation(message.conversation.public_id)
        try:
            message = services.message_rate(message=message, rating=int(data["rating"]))
        except DjangoValidationError as error:
            raise exceptions.ValidationError(as_serializer_error(error)) from error
        return Response(RatingOutput({"message": message.pk, "rating": message.rating}).data)
