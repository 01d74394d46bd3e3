"""Storefront pages of the catalog (thin: parse input, call a selector, render)."""

from django.http import HttpResponse


def product_list(request):
    return HttpResponse("TODO")


def category_detail(request, slug):
    return HttpResponse("TODO")


def collection_detail(request, slug):
    return HttpResponse("TODO")


def product_detail(request, handle):
    return HttpResponse("TODO")


def search(request):
    return HttpResponse("TODO")
