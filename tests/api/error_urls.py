"""Test-only endpoints that fail in every way a real endpoint can, for the error-format tests."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from shop.urls import urlpatterns as shop_urlpatterns


class ItemInput(serializers.Serializer):
    name = serializers.CharField(max_length=20)
    quantity = serializers.IntegerField(min_value=1)
    address = serializers.DictField(child=serializers.CharField(), required=False)


class EchoView(APIView):
    def post(self, request):
        serializer = ItemInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class RaisesView(APIView):
    raising = {
        "http404": Http404("gone"),
        "denied": PermissionDenied("no"),
        "django-invalid": DjangoValidationError({"email": ["Enter a valid e-mail address."]}),
        "crash": RuntimeError("a bug"),
    }

    def get(self, request, kind):
        raise self.raising[kind]


class PrivateView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"email": request.user.email})


class ThrottledView(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "writes"

    def post(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("test/echo/", EchoView.as_view()),
    path("test/raise/<str:kind>/", RaisesView.as_view()),
    path("test/private/", PrivateView.as_view()),
    path("test/throttled/", ThrottledView.as_view()),
    *shop_urlpatterns,
]
