"""Staff may do only what their permissions say: one walk over the whole admin.

The walk reads what is registered (admin.site._registry), so a model admin, an action or a custom
admin page added later is covered without touching this file:

- every action of every model admin is refused to a staff user who may only view (view
  permission on every model): it is not offered, and a forged POST of it changes no row;
- every custom admin page (ModelAdmin.get_urls() beyond Django's own five) is either a read
  that needs the model's view permission, or a write that a view-only user cannot make.

So that a refusal means something, the same forged request made by the merchant (a superuser)
must do what it says: change rows or show the action's intermediate page.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CategoryFactory,
    CollectionFactory,
    GemstoneTypeFactory,
    MaterialFactory,
    UserFactory,
    api_token_for,
)
from tests.factories import ProductFactory as _ProductFactory

pytestmark = pytest.mark.django_db

SHOPIFY_SAMPLE = Path(__file__).resolve().parents[1] / "data" / "shopify" / "good.csv"

# Rows these tables gain on every request whatever the user may do (not state a user changes).
NOT_STATE = {"sessions.Session", "axes.AccessLog"}

# Django's own pages of a model admin; the walk covers them through the actions and the standard
# change-view checks Django makes. Every other admin URL is a custom page and must be listed
# below, either as a read or with the forged POST that would change something.
STANDARD_PAGES = ("changelist", "add", "history", "delete", "change")

# Custom pages that only read: they need the model's view permission, and a POST changes nothing.
READ_ONLY_PAGES = {
    "catalog_translation_coverage",
    "catalog_product_export",
    "reviews_review_trends",
    "shop_job_progress",
    "assistant_conversation_analytics",
    "design_designdraft_screen",
    "design_designtraining_sample",
}


def _import_upload() -> dict:
    return {"file": SimpleUploadedFile("products.csv", SHOPIFY_SAMPLE.read_bytes(), "text/csv")}


def _design_picture(seed: int) -> bytes:
    """A small PNG of shapes placed by the seed: another seed, another picture (not a duplicate)."""
    import random

    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    image = Image.new("RGB", (96, 96), "white")
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        x, y = rng.randrange(70), rng.randrange(70)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + rng.randrange(10, 40), y + rng.randrange(10, 40)), fill=colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _design_upload() -> dict:
    return {
        "files": [SimpleUploadedFile("reference.png", _design_picture(2), "image/png")],
        "category": "rings",
    }


def _design_catalog_pictures() -> dict:
    from catalog.models import Category

    return {"categories": [Category.objects.get(slug="necklaces").pk]}


def _design_drafts():
    from design.models import DesignDraft

    return DesignDraft.objects.order_by("pk")


def _design_generate() -> dict:
    return {"categories": ["rings"], "count": 2, "seed": 1, "diversity": 1.0}


def _design_blend() -> dict:
    return {"other": _design_drafts().first().pk, "steps": 3}


def _password_change() -> dict:
    return {"usable_password": "true", "password1": "N3w-pa55word!", "password2": "N3w-pa55word!"}


# Custom pages that write: the POST that makes them change something.
WRITE_PAGES = {
    "catalog_product_import": _import_upload,
    "shop_job_start": dict,
    "auth_user_password_change": _password_change,
    "design_designset_add_pictures": _design_upload,
    "design_designset_add_catalog_pictures": _design_catalog_pictures,
    # Design drafts: the walk's row is the newest draft (blended with the oldest).
    "design_designset_train": lambda: {"epochs": 1, "size": 16, "batch_size": 4, "seed": 0},
    "design_designdraft_generate": _design_generate,
    "design_designdraft_decide": lambda: {"decision": "keep"},
    "design_designdraft_variations": lambda: {"count": 2, "strength": 0.3},
    "design_designdraft_interpolate": _design_blend,
    "design_designdraft_create_product": dict,
    # django-parler's "delete this translation" page of every translatable admin.
    "_delete_translation": lambda: {"post": "yes"},
}


class _Undo(Exception):
    """Raised to roll one request's writes back, so every request starts from the same rows."""


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in NOT_STATE or model._meta.proxy:
            continue
        rows[label] = list(model._base_manager.order_by("pk").values_list())
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def attempt(client, method: str, url: str, data: dict | None = None):
    """Makes one request and rolls its writes back; gives the response and the tables changed."""
    result = {}
    try:
        with transaction.atomic():
            before = snapshot()
            if method == "post":
                result["response"] = client.post(url, data or {})
            else:
                result["response"] = client.get(url)
            result["changed"] = changed_tables(before, snapshot())
            raise _Undo
    except _Undo:
        pass
    return result["response"], result["changed"]


def build_whole_store() -> None:
    """At least one row in every table the admin shows, in states every action can move.

    Built after the test's users sign in: signing in clears expired login attempts."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from ai.models import (
        Capability,
        ExternalRating,
        IntentExample,
        ModelVersion,
        ProductEmbedding,
        RecommendationList,
    )
    from catalog.images import product_image_create
    from catalog.models import Category, PublicationStatus
    from customers.models import Address, WishlistItem
    from events.models import InteractionEvent
    from orders.models import DutyRate, Order, OrderStatus
    from orders.services import order_ship, order_start_processing
    from reviews.models import Review
    from shop.models import Job, JobStatus
    from tests.orders.conftest import LONDON, cart_with, make_method, place

    # A necklace with a photo, for the design studio's "add catalog pictures"; made first, so
    # the newest product and category (which the walk's translation pages use) are below.
    necklace = _ProductFactory(handle="pearl-necklace", category=CategoryFactory(slug="necklaces"))
    product_image_create(product=necklace, file=io.BytesIO(_design_picture(3)))
    ring = _ProductFactory(handle="gold-ring", name="Gold ring")
    draft = _ProductFactory(handle="draft-ring", name="Draft ring", status=PublicationStatus.DRAFT)
    for product in (ring, draft):
        product.set_current_language("fr")
        product.name = f"{product.handle} (fr)"
        product.save()
    category = Category.objects.get(slug="rings")
    category.set_current_language("fr")
    category.name = "Bagues"
    category.save()
    collection = CollectionFactory(slug="bridal", name="Bridal")
    collection.set_current_language("fr")
    collection.name = "Mariage"
    collection.save()
    for thing in (MaterialFactory(), GemstoneTypeFactory()):
        thing.set_current_language("fr")
        thing.name = f"{thing.slug} (fr)"
        thing.save()
    from catalog.option_labels import option_labels_fill

    # Both known to the vocabulary: every row has the French label parler's delete page needs.
    option_labels_fill(names=["Metal"], values=["14K Rose Gold"])

    from orders.models import ShippingZone
    from shop.models import ExchangeRate

    ExchangeRate.objects.create(currency="EUR", rate=Decimal("0.92"))
    zone = ShippingZone.objects.create(name="UK", countries=["GB"], position=0)
    method = make_method(zone, "standard", "Standard", "15.00")
    method.set_current_language("fr")
    method.name = "Standard (fr)"
    method.save()
    DutyRate.objects.create(country="GB", duty_percent=Decimal("2.5"), tax_percent=Decimal("20"))

    variant = ring.variants.get()
    variant.stock_quantity = 50
    variant.save()
    merchant_user = UserFactory(email="staff-walk-orders@example.com")
    orders = [
        place(cart_with((variant, 1)), address=LONDON, idempotency_key=f"walk-key-{n:04d}")
        for n in range(4)
    ]
    Order.objects.filter(pk=orders[0].pk).update(status=OrderStatus.PENDING, paid_at=None)
    order_start_processing(order=orders[2], by=merchant_user)
    shipped = order_start_processing(order=orders[3], by=merchant_user)
    order_ship(order=shipped, carrier="DHL", tracking_number="1Z", by=merchant_user)
    # Return requests: one waiting for a decision, one approved (waiting for its refund).
    from orders.services import order_mark_delivered, order_return_request, return_request_approve

    for n in (4, 5):
        delivered = place(
            cart_with((variant, 1)), address=LONDON, idempotency_key=f"walk-key-{n:04d}"
        )
        order_start_processing(order=delivered, by=merchant_user)
        order_ship(order=delivered, carrier="DHL", tracking_number=f"1Z{n}", by=merchant_user)
        order_mark_delivered(order=delivered, by=merchant_user)
        return_request = order_return_request(order=delivered, reason="Too small")
    return_request_approve(return_request=return_request, by=merchant_user)

    shopper = UserFactory(email="shopper@example.com")
    Address.objects.create(
        user=shopper, full_name="Ann", line1="1 Road", city="Leeds", country="GB"
    )
    WishlistItem.objects.create(user=shopper, product=ring)
    InteractionEvent.objects.create(kind="view", user=shopper, product=ring)
    api_token_for(shopper)
    Review.objects.create(product=ring, author=shopper, rating=2, text="Too small for me.")

    Job.objects.create(kind="search.reindex", status=JobStatus.FAILED, error="boom")
    Job.objects.create(kind="search.reindex", status=JobStatus.QUEUED)
    ModelVersion.objects.create(capability=Capability.RECOMMEND, version=1)
    ModelVersion.objects.create(capability=Capability.SENTIMENT, version=1)
    # One example in use and one left out: both assistant example actions move a row.
    IntentExample.objects.create(text="hello there", intent="greeting", language="en")
    IntentExample.objects.create(
        text="bye for now", intent="goodbye", language="en", is_active=False
    )
    ProductEmbedding.objects.create(
        product=ring, language="en", backend="test", dimension=2, vector=b"\0" * 8, text_hash="x"
    )
    RecommendationList.objects.create(kind="product", product=ring, items=[draft.pk])
    ExternalRating.objects.create(dataset="test", user_ref="u1", item_ref="i1", rating=4.0)

    from content.services import faq_entry_save, store_page_save

    page = store_page_save(
        slug="returns",
        kind="returns",
        texts={"en": {"title": "Returns"}, "fr": {"title": "Retours"}},
    )
    draft_page = store_page_save(
        slug="draft", kind="other", texts={"en": {"title": "Draft"}}, is_published=False
    )
    draft_page.set_current_language("fr")
    draft_page.title = "Brouillon"
    draft_page.save()
    faq_entry_save(
        topic="returns",
        page=page,
        texts={"en": {"question": "How?"}, "fr": {"question": "Comment ?"}},
    )
    faq_entry_save(
        topic="care",
        texts={"en": {"question": "Care?"}, "fr": {"question": "Entretien ?"}},
        is_published=False,
    )

    # The assistant's inbox: a conversation waiting for a person (assign and close move it).
    from assistant.models import Conversation, ConversationStatus, Message, Sender

    chat = Conversation.objects.create(user=shopper, status=ConversationStatus.OPEN)
    Message.objects.create(conversation=chat, sender=Sender.SHOPPER, text="A person, please")

    # The design studio: a set with one picture (the necklace above is for "add catalog
    # pictures").
    from design.models import DesignSet
    from design.services import design_set_add_uploads

    design_set = DesignSet.objects.create(name="References")
    design_set_add_uploads(
        design_set=design_set,
        files=[SimpleUploadedFile("first.png", _design_picture(1))],
        category="rings",
    )
    # Two drafts of an active design model (new, not favourites: every screening action moves
    # them; two, for "Interpolate with…").
    import numpy as np

    from design.drafts import DraftBatch, drafts_store
    from design.similarity import set_features

    drafts_store(
        batch=DraftBatch(
            images=np.full((2, 16, 16, 3), 200, dtype=np.uint8),
            latents=np.zeros((2, 4), dtype=np.float32),
            categories=["rings", "rings"],
            seed=1,
            positions=[0, 1],
        ),
        model_version=ModelVersion.objects.create(
            capability=Capability.DESIGN,
            version=1,
            is_active=True,
            parameters={"design_set": design_set.pk, "categories": ["rings"]},
        ),
        design_set=design_set,
        set_features=set_features(design_set),
    )
    # A training run of the set (its job is not run here: the walk only reads and forges).
    from design.jobs import sample_grid_path
    from design.models import DesignTraining

    training = DesignTraining.objects.create(design_set=design_set, size=16, epochs=1, batch_size=4)
    grid = sample_grid_path(training, 1)
    grid.parent.mkdir(parents=True, exist_ok=True)
    grid.write_bytes(_design_picture(4))

    long_ago = timezone.now() - timezone.timedelta(days=30)
    attempt_row = AccessAttempt.objects.create(
        username="someone", ip_address="10.0.0.1", failures_since_start=1, user_agent="test"
    )
    AccessAttempt.objects.filter(pk=attempt_row.pk).update(attempt_time=long_ago)
    AccessLog.objects.create(username="someone", ip_address="10.0.0.1", user_agent="test")
    AccessFailureLog.objects.create(username="someone", ip_address="10.0.0.1", user_agent="test")

    empty = [
        model._meta.label
        for model in admin.site._registry
        if not model._base_manager.exists() and model._meta.label not in NOT_STATE
    ]
    assert not empty, f"Give these registered models a row in whole_store: {empty}"


@pytest.fixture
def view_only_staff(db):
    """Staff who may view every model and nothing else."""
    user = UserFactory(email="viewer@example.com", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


def _request_as(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _action_post(model, name: str) -> dict:
    """The POST the changelist's action form sends, for every row, confirmed where it asks."""
    pks = [str(pk) for pk in model._base_manager.order_by("pk").values_list("pk", flat=True)]
    if name == "delete_selected":
        # The newest row only: older ones are what other rows hang on (an order's product),
        # which the merchant may not delete either.
        pks = pks[-1:]
    data = {"action": name, ACTION_CHECKBOX_NAME: pks, "index": "0", "post": "yes"}
    if name == "ship":
        # The ship action's own page, filled in: a carrier and tracking number for each order.
        data["apply"] = "1"
        for pk in pks:
            data[f"order-{pk}-carrier"] = "DHL"
            data[f"order-{pk}-tracking_number"] = f"TRACK{pk}"
    return data


def _every_action():
    for model, model_admin in admin.site._registry.items():
        for _function, name, _description in model_admin._get_base_actions():
            yield model, model_admin, name


def _custom_pages():
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        standard = {f"{opts.app_label}_{opts.model_name}_{page}" for page in STANDARD_PAGES}
        for pattern in model_admin.get_urls():
            if pattern.name and pattern.name not in standard:
                yield model, model_admin, pattern


def _page_url(model, pattern) -> str | None:
    """The custom page's URL for a row of its model, or None when the walk cannot fill it in."""
    from ai.services import job_kinds

    # The newest row: the oldest user is the merchant, whose own password must not change here.
    row = model._base_manager.order_by("pk").last()
    kwargs = {}
    for name in pattern.pattern.regex.groupindex:
        if name in ("object_id", "id"):
            kwargs[name] = row.pk
        elif name == "epoch":
            kwargs[name] = "1"  # whole_store writes the first epoch's sample grid
        elif name == "kind":
            # A kind with no job queued, so starting it makes a new one.
            busy = set(model._base_manager.filter(status="queued").values_list("kind", flat=True))
            kwargs[name] = next(k.kind for k in job_kinds(startable=True) if k.kind not in busy)
        else:
            return None
    if pattern.pattern.regex.groups > len(kwargs):
        if not pattern.name.endswith("_delete_translation"):
            return None
        return reverse(f"admin:{pattern.name}", args=[row.pk, "fr"])
    return reverse(f"admin:{pattern.name}", kwargs=kwargs)


def _write_recipe(name: str):
    for key, recipe in WRITE_PAGES.items():
        if name == key or (key.startswith("_") and name.endswith(key)):
            return recipe
    return None


def test_a_view_only_staff_user_can_change_nothing_through_the_admin(
    client, merchant, view_only_staff, settings, tmp_path
):
    problems = []
    # The design training run's sample grid (build_whole_store) goes to a scratch folder.
    settings.DESIGN_MODEL_DIR = tmp_path / "design-models"
    as_viewer = _request_as(view_only_staff)
    as_merchant = _request_as(merchant)
    merchant_client = client.__class__()
    merchant_client.force_login(merchant)
    client.force_login(view_only_staff)
    stranger = UserFactory(email="staff-without-rights@example.com", is_staff=True)
    stranger_client = client.__class__()
    stranger_client.force_login(stranger)
    build_whole_store()
    walked_actions = 0

    for model, model_admin, name in _every_action():
        where = f"{model._meta.label} action {name!r}"
        walked_actions += 1
        if name in model_admin.get_actions(as_viewer):
            problems.append(f"{where} is offered to a view-only user")
        url = _changelist_url(model)
        response, changed = attempt(client, "post", url, _action_post(model, name))
        if changed:
            problems.append(f"{where}: a view-only user's forged POST changed {changed}")
        if response.status_code >= 500:
            problems.append(f"{where}: the forged POST answered {response.status_code}")
        # The same request by the merchant must do something, or the refusal proves nothing.
        if name in model_admin.get_actions(as_merchant):
            response, changed = attempt(merchant_client, "post", url, _action_post(model, name))
            if not changed and response.status_code != 200:
                problems.append(
                    f"{where}: the merchant's POST changed nothing (status "
                    f"{response.status_code}); give whole_store a row this action moves"
                )

    walked_pages = 0
    for model, _model_admin, pattern in _custom_pages():
        where = f"{model._meta.label} page {pattern.name!r}"
        url = _page_url(model, pattern)
        if url is None:
            problems.append(f"{where}: teach the walk how to fill in {pattern.pattern}")
            continue
        walked_pages += 1
        recipe = _write_recipe(pattern.name)
        if pattern.name in READ_ONLY_PAGES:
            if client.get(url).status_code != 200:
                problems.append(f"{where}: a user who may view {model._meta.label} cannot read it")
            if stranger_client.get(url).status_code != 403:
                problems.append(f"{where}: staff without the view permission can read it")
            data = {}
        elif recipe is not None:
            data = recipe()
            # Signed in afresh: a password change gives the session a new key, rolled back.
            merchant_client.force_login(merchant)
            response, changed = attempt(merchant_client, "post", url, data)
            if not changed:
                problems.append(
                    f"{where}: the merchant's POST changed nothing ({response.status_code}); "
                    "fix WRITE_PAGES"
                )
            data = recipe()
        else:
            problems.append(f"{where}: list it in READ_ONLY_PAGES or WRITE_PAGES")
            continue
        response, changed = attempt(client, "post", url, data)
        if changed:
            problems.append(f"{where}: a view-only user's POST changed {changed}")
        if response.status_code >= 500:
            problems.append(f"{where}: a view-only user's POST answered {response.status_code}")

    assert walked_actions >= 20 and walked_pages >= 8, (walked_actions, walked_pages)
    assert not problems, "\n".join(problems)


def test_the_merchant_is_offered_every_action_and_the_check_finds_none_undeclared(merchant):
    """The demo merchant (a superuser) keeps every action; no action lacks a permission."""
    from django.core import checks

    as_merchant = _request_as(merchant)
    hidden = [
        f"{model._meta.label}.{name}"
        for model, model_admin, name in _every_action()
        if name not in model_admin.get_actions(as_merchant)
        and model_admin.actions is not None  # an admin that turns actions off (API tokens)
        # Orders, jobs' history and events are never deleted, by anyone.
        and not (name == "delete_selected" and not model_admin.has_delete_permission(as_merchant))
    ]
    assert hidden == []
    errors = [
        message
        for message in checks.run_checks(tags=[checks.Tags.admin])
        if message.id == "shop.E001"
    ]
    assert errors == []


def test_the_undeclared_action_check_names_an_action_without_permissions():
    from shop.admin_checks import undeclared_admin_actions

    class Loose(admin.ModelAdmin):
        actions = ["loose"]

        @admin.action(description="Does something")
        def loose(self, request, queryset):
            pass

    from catalog.models import Material

    site = admin.AdminSite(name="check-site")
    site.register(Material, Loose)

    found = undeclared_admin_actions(site)

    assert [(model, name) for model, name in found] == [("catalog.Material", "loose")]
