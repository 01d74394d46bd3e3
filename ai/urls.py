"""The storefront's search pages (ai.views), under the language prefix: /<lang>/search/."""

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search, name="results"),
    path("search/suggest/", views.search_suggest, name="suggest"),
]
