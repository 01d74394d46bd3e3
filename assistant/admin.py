"""The merchant's side of the shop assistant: the inbox and the analytics (issue 14).

- Conversations (the inbox): filtered by status (with the assistant, waiting for a person,
  assigned, closed), language and "assigned to me". A conversation's page shows the transcript
  (every text escaped: it is the shopper's), the language and intent with its confidence per
  message, the shopper's bag, orders and country, the answers the assistant would suggest for
  the last question, and a reply form; "assign to me" and "close" there and as list actions.
  Replying, assigning and closing need `assistant.reply_conversation`; reading needs the view
  permission. Every write goes through assistant.services.
- Analytics (a page linked from the app index and the inbox): conversations per day as an
  inline SVG chart, intents, the share resolved without a person, handoffs, ratings, assisted
  orders, and the questions the assistant could not answer, each one click from an FAQ entry
  (the content app's add form, filled in) or a training example (ai.services).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ai import services as ai_services
from shop.params import positive_int

from . import analytics, services
from .models import Conversation, ConversationStatus, Message, Sender

logger = logging.getLogger(__name__)

REPLY_PERMISSION = "assistant.reply_conversation"
TRAINING_PERMISSION = "ai.add_intentexample"
REPLY_MAX_LENGTH = 4000
ANALYTICS_PERIODS = (7, 30, 90)

# The FAQ topic an unanswered question most likely belongs to, from its intent.
FAQ_TOPIC_FOR_INTENT = {
    "size_help": "size_guide",
    "care": "care",
    "warranty_authenticity": "warranty",
    "order_status": "orders",
    "order_cancel": "orders",
    "order_change": "orders",
    "invoice": "orders",
    "return_refund": "returns",
    "shipping": "shipping",
    "duties_taxes": "shipping",
    "payment": "payment",
    "account": "account",
    "newsletter": "account",
    "human_agent": "contact",
    "complaint": "contact",
}


def intent_names() -> tuple[str, ...]:
    return tuple(ai_services.ASSISTANT_INTENTS)


# The assistant's own answer is no help when it would only pass the shopper to a person or say
# what it can do.
NO_SUGGESTION_INTENTS = {"human_agent", "out_of_scope", "complaint"}


def suggested_replies(conversation: Conversation, question: Message | None) -> list[dict]:
    """Replies staff may send as they are or edit: the answer the assistant would give to the
    shopper's last question (replayed from what it understood then, so no model runs here), then
    the store pages and FAQ entries that answer it. Each is {"title", "text"}."""
    if question is None or not question.text.strip():
        return []
    language = question.language or conversation.language
    found = []
    if question.intent and question.intent not in NO_SUGGESTION_INTENTS:
        try:
            understanding = ai_services.Understanding(
                intent=question.intent,
                confidence=question.confidence or 0.0,
                language=language,
                ranking=((question.intent, question.confidence or 0.0),),
                entities=ai_services.assistant_extract_entities(question.text, language=language),
                low_confidence=False,
            )
            reply = services.assistant_suggest_reply(
                conversation=conversation, text=question.text, understanding=understanding
            )
        except Exception:  # a suggestion is a convenience: never fail the inbox page for it
            logger.exception("The assistant's suggested reply failed")
            reply = None
        if reply is not None and reply.text.strip():
            lines = [reply.text.strip()]
            lines += [
                f"{card.get('name', '')} ({card.get('price_display', '')}): "
                f"{_absolute(card.get('url', ''))}"
                for card in reply.products[:3]
                if card.get("url")
            ]
            found.append({"title": gettext("The assistant's answer"), "text": "\n".join(lines)})
    try:
        hits = ai_services.assistant_help_answer(question.text, language=language, limit=3)
    except Exception:
        logger.exception("Help answers for a suggested reply failed")
        hits = []
    found.extend({"title": hit.title, "text": _suggestion_text(hit)} for hit in hits)
    return found


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


# --- Forms -------------------------------------------------------------------------------------


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=REPLY_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Appears in the shopper's chat; e-mailed to them if they have left."),
    )


class TrainingExampleForm(forms.Form):
    message = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    intent = forms.ChoiceField(label=_("Intent"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intent"].choices = [(name, name) for name in intent_names()]


# --- List filters ------------------------------------------------------------------------------


class AssignedToMeFilter(admin.SimpleListFilter):
    title = _("assigned to")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return (("me", _("Me")), ("nobody", _("Nobody")))

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return list(settings.LANGUAGES)

    def queryset(self, request, queryset):
        codes = {code for code, _name in settings.LANGUAGES}
        if self.value() in codes:
            return queryset.filter(language=self.value())
        return queryset


# --- The inbox ---------------------------------------------------------------------------------


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = (
        "short_id",
        "shopper",
        "language",
        "country",
        "status",
        "assigned_to",
        "last_message",
        "updated_at",
    )
    list_display_links = ("short_id",)
    list_filter = ("status", LanguageFilter, AssignedToMeFilter)
    search_fields = ("public_id", "email", "user__email")
    list_select_related = ("user", "assigned_to")
    date_hierarchy = "created_at"
    actions = ("assign_to_me", "close_conversations")
    list_per_page = 50

    # Conversations are written by shoppers and the assistant; the merchant answers them, and
    # never edits or creates one through a form.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_reply_permission(self, request) -> bool:
        return request.user.has_perm(REPLY_PERMISSION)

    def has_training_permission(self, request) -> bool:
        return request.user.has_perm(TRAINING_PERMISSION)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        last_text = (
            Message.objects.filter(conversation=OuterRef("pk")).order_by("-id").values("text")[:1]
        )
        return super().get_queryset(request).annotate(last_text=Subquery(last_text))

    @admin.display(description=_("conversation"), ordering="public_id")
    def short_id(self, obj: Conversation) -> str:
        return str(obj.public_id)[:8]

    @admin.display(description=_("shopper"))
    def shopper(self, obj: Conversation) -> str:
        if obj.user_id:
            return obj.user.email
        return obj.email or gettext("Guest")

    @admin.display(description=_("last message"))
    def last_message(self, obj: Conversation) -> str:
        # Plain text: the admin escapes it (a shopper's text is never marked safe).
        return Truncator(getattr(obj, "last_text", "") or "").chars(80)

    # --- actions (list and page) ------------------------------------------------------------
    @admin.action(description=_("Assign to me"), permissions=["reply"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for conversation in queryset.exclude(status=ConversationStatus.CLOSED):
            _assign(conversation, staff=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d conversation assigned to you.",
                "%(count)d conversations assigned to you.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Close"), permissions=["reply"])
    def close_conversations(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for conversation in queryset.exclude(status=ConversationStatus.CLOSED):
            _close(conversation, staff=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d conversation closed.", "%(count)d conversations closed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    # --- the conversation page ---------------------------------------------------------------
    def get_urls(self):
        extra = [
            path(
                "analytics/",
                self.admin_site.admin_view(self.analytics_view),
                name="assistant_conversation_analytics",
            ),
        ]
        return extra + super().get_urls()

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        conversation = self.get_object(request, unquote(object_id))
        if conversation is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, conversation):
            raise PermissionDenied
        reply_form = ReplyForm()
        if request.method == "POST":
            if not self.has_reply_permission(request):
                raise PermissionDenied
            response, reply_form = self._handle_post(request, conversation)
            if response is not None:
                return response
        transcript = list(
            conversation.messages.select_related("staff_user").order_by("created_at", "id")
        )
        last_question = next(
            (message for message in reversed(transcript) if message.sender == Sender.SHOPPER),
            None,
        )
        suggestions = suggested_replies(conversation, last_question)
        chosen = positive_int(request.GET.get("suggestion"), default=0, maximum=len(suggestions))
        if request.method == "GET" and chosen:
            reply_form = ReplyForm(initial={"text": suggestions[chosen - 1]["text"]})
        can_reply = self.has_reply_permission(request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Conversation %(id)s") % {"id": str(conversation.public_id)[:8]},
            "subtitle": None,
            "conversation": conversation,
            "original": conversation,
            "transcript": transcript,
            "shopper": analytics.shopper_context(conversation, language=request.LANGUAGE_CODE),
            "suggestions": suggestions,
            "reply_form": reply_form,
            "can_reply": can_reply,
            "can_train": self.has_training_permission(request),
            "intents": intent_names(),
            "is_closed": conversation.status == ConversationStatus.CLOSED,
            "assigned_to_me": conversation.assigned_to_id == request.user.pk,
            "has_delete_permission": self.has_delete_permission(request, conversation),
            "analytics_url": reverse("admin:assistant_conversation_analytics"),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/assistant/conversation/inbox.html", context)

    def _handle_post(self, request: HttpRequest, conversation: Conversation):
        """(a redirect, None) when done; (None, the reply form with its errors) otherwise."""
        action = request.POST.get("_action", "")
        here = request.path
        if action == "reply":
            form = ReplyForm(request.POST)
            if not form.is_valid():
                return None, form
            services.conversation_staff_reply(
                conversation=conversation, text=form.cleaned_data["text"], staff=request.user
            )
            self.message_user(request, gettext("Your reply was sent."), messages.SUCCESS)
            return HttpResponseRedirect(here), None
        if action == "assign":
            _assign(conversation, staff=request.user)
            self.message_user(
                request, gettext("The conversation is assigned to you."), messages.SUCCESS
            )
            return HttpResponseRedirect(here), None
        if action == "close":
            _close(conversation, staff=request.user)
            self.message_user(request, gettext("The conversation is closed."), messages.SUCCESS)
            return HttpResponseRedirect(here), None
        if action == "train":
            self._add_training_example(request, conversation=conversation)
            return HttpResponseRedirect(here), None
        self.message_user(request, gettext("Nothing was done."), messages.WARNING)
        return HttpResponseRedirect(here), None

    def _add_training_example(self, request: HttpRequest, *, conversation=None) -> bool:
        if not self.has_training_permission(request):
            raise PermissionDenied
        form = TrainingExampleForm(request.POST)
        if not form.is_valid():
            self.message_user(request, gettext("Choose an intent."), messages.ERROR)
            return False
        messages_in_scope = Message.objects.filter(sender=Sender.SHOPPER)
        if conversation is not None:
            messages_in_scope = messages_in_scope.filter(conversation=conversation)
        message = messages_in_scope.filter(pk=form.cleaned_data["message"]).first()
        if message is None:
            self.message_user(request, gettext("That message no longer exists."), messages.ERROR)
            return False
        try:
            ai_services.assistant_add_training_example(
                text=message.text,
                intent=form.cleaned_data["intent"],
                language=message.language or message.conversation.language,
                source="merchant",
                user=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return False
        self.message_user(
            request,
            gettext("Added as a training example for “%(intent)s”; the next training uses it.")
            % {"intent": form.cleaned_data["intent"]},
            messages.SUCCESS,
        )
        return True

    # --- analytics ---------------------------------------------------------------------------
    def analytics_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            if request.POST.get("_action") == "train":
                self._add_training_example(request)
            return HttpResponseRedirect(request.get_full_path())
        days = positive_int(request.GET.get("days"), default=30, maximum=365)
        if days not in ANALYTICS_PERIODS:
            days = 30
        stats = analytics.assistant_stats(days=days)
        can_train = self.has_training_permission(request)
        rows = [
            {
                "item": item,
                "faq_url": _faq_add_url(request, item),
                "intent": item.intent if item.intent in intent_names() else "",
                "conversation_url": reverse(
                    "admin:assistant_conversation_change", args=[item.conversation_id]
                ),
            }
            for item in stats.unanswered
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Shop assistant analytics"),
            "stats": stats,
            "periods": ANALYTICS_PERIODS,
            "unanswered": rows,
            "can_train": can_train,
            "intents": intent_names(),
            "inbox_url": reverse("admin:assistant_conversation_changelist"),
        }
        return TemplateResponse(request, "admin/assistant/analytics.html", context)


def _suggestion_text(hit) -> str:
    """A reply built from a store page or FAQ answer: its title, its words, its address."""
    parts = [getattr(hit, "title", ""), getattr(hit, "snippet", "")]
    text = ": ".join(part.strip() for part in parts if part and part.strip())
    url = getattr(hit, "url", "")
    return f"{text}\n{_absolute(url)}" if url else text


def _faq_add_url(request: HttpRequest, item: analytics.Unanswered) -> str:
    """The FAQ entry add form, filled in with the question, its language and a likely topic."""
    if not request.user.has_perm("content.add_faqentry"):
        return ""
    codes = {code for code, _name in settings.LANGUAGES}
    query = {"question": item.question[:300]}
    if item.language in codes:
        query["language"] = item.language
    topic = FAQ_TOPIC_FOR_INTENT.get(item.intent)
    if topic:
        query["topic"] = topic
    return reverse("admin:content_faqentry_add") + "?" + urlencode(query)


# --- Status changes -----------------------------------------------------------------------------


def _assign(conversation: Conversation, *, staff) -> None:
    services.conversation_assign(conversation=conversation, staff=staff)


def _close(conversation: Conversation, *, staff) -> None:
    services.conversation_close(conversation=conversation, by=staff)
