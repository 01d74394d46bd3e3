"""Catalog pages outside its namespace: the home page ("home", at /<lang>/)."""

from django.urls import path

from .home import home

urlpatterns = [
    path("", home, name="home"),
]
