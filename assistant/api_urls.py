"""The shop assistant's endpoints under /api/v1/assistant/ (assistant.api)."""

from django.urls import path

from . import api

urlpatterns = [
    path("assistant/messages/", api.MessageCreateView.as_view(), name="api-assistant-messages"),
    path(
        "assistant/messages/<int:message_id>/rating/",
        api.MessageRatingView.as_view(),
        name="api-assistant-message-rating",
    ),
    path(
        "assistant/conversations/<str:public_id>/",
        api.ConversationView.as_view(),
        name="api-assistant-conversation",
    ),
    path(
        "assistant/conversations/<str:public_id>/messages/",
        api.ConversationMessagesView.as_view(),
        name="api-assistant-conversation-messages",
    ),
    path(
        "assistant/conversations/<str:public_id>/handoff/",
        api.ConversationHandoffView.as_view(),
        name="api-assistant-conversation-handoff",
    ),
]
