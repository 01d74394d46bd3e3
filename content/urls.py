from django.urls import path

from . import views

app_name = "content"

urlpatterns = [
    path("help/", views.help_centre, name="help"),
    path("pages/<slug:slug>/", views.page_detail, name="page"),
]
