"""Review pages under the language prefix; the product page links here (same address as when
reviews were part of catalog: /<language>/p/<handle>/review/)."""

from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("p/<slug:handle>/review/", views.review_create, name="review_create"),
]
