"""Screening design drafts in the admin: the grid, decisions, permissions, the draft product,
starting the jobs, and 4xx (never 500) on malformed input."""

from __future__ import annotations

import numpy as np
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ai.services import model_version_register
from catalog.models import Product, PublicationStatus
from design.drafts import DraftBatch, draft_create_product, drafts_store
from design.models import DesignDraft, DraftStatus
from design.pictures import normalise
from design.services import design_set_add_uploads
from design.similarity import set_features
from shop.models import Job
from tests.factories import CategoryFactory, UserFactory

from .conftest import drawing, picture_bytes

pytestmark = pytest.mark.django_db
SCREEN = "admin:design_designdraft_screen"


@pytest.fixture
def training_set(design_set):
    files = [SimpleUploadedFile(f"piece-{seed}.png", picture_bytes(seed)) for seed in (1, 2, 3)]
    assert design_set_add_uploads(design_set=design_set, files=files, category="rings").ok
    return design_set


@pytest.fixture
def model_version(training_set, tmp_path):
    return model_version_register(
        capability="design",
        artifact_path=str(tmp_path),
        parameters={"design_set": training_set.pk, "categories": ["rings", "brooches"]},
    )


def make_drafts(model_version, design_set, *, seeds, category="rings"):
    pictures = np.stack([np.asarray(normalise(drawing(seed), 64)) for seed in seeds])
    return drafts_store(
        batch=DraftBatch(
            images=pictures,
            latents=np.random.default_rng(0).standard_normal((len(seeds), 8)).astype(np.float32),
            categories=[category] * len(seeds),
            seed=5,
            positions=range(len(seeds)),
        ),
        model_version=model_version,
        design_set=design_set,
        set_features=set_features(design_set),
    )


@pytest.fixture
def drafts(model_version, training_set):
    return make_drafts(model_version, training_set, seeds=[2, 40]) + make_drafts(
        model_version, training_set, seeds=[41], category="brooches"
    )


def staff_client(client, *permissions):
    user = UserFactory(email="designer@example.com", is_staff=True)
    for codename in ("view_designdraft", *permissions):
        app, _, name = codename.rpartition(".")
        user.user_permissions.add(
            Permission.objects.get(codename=name, content_type__app_label=app or "design")
        )
    client.force_login(user)
    return client


def test_the_pages_render_their_empty_states(merchant_client):
    screen = merchant_client.get(reverse(SCREEN))
    assert screen.status_code == 200 and "No drafts yet." in screen.content.decode()
    listing = merchant_client.get(reverse("admin:design_designdraft_changelist"))
    assert listing.status_code == 200 and reverse(SCREEN) in listing.content.decode()
    generate = merchant_client.get(reverse("admin:design_designdraft_generate"))
    assert generate.status_code == 200
    assert "There is no trained design model yet" in generate.content.decode()


def test_the_grid_shows_each_category_with_the_nearest_pictures_and_the_near_copy_badge(
    merchant_client, drafts
):
    copy, new, brooch = drafts
    assert copy.near_copy and not new.near_copy  # seed 2 is training picture piece-2.png
    DesignDraft.objects.filter(pk=new.pk).update(notes="<script>alert(1)</script>")

    html = merchant_client.get(reverse(SCREEN)).content.decode()

    assert html.index(">brooches <small>(1)") < html.index(">rings <small>(2)")
    assert html.count('class="design-near-copy"') == 1
    assert html.count("Training picture piece-") == 9  # three beside each draft
    assert f'alt="Draft {copy.pk}, rings"' in html
    # The copy's own training picture first, with its similarity.
    assert f"{copy.nearest[0]['similarity']:.2f}</figcaption>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert 'for="notes-' in html  # the notes' label


def test_the_grid_costs_the_same_queries_for_more_drafts(
    merchant_client, drafts, model_version, training_set, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        merchant_client.get(reverse(SCREEN))
    make_drafts(model_version, training_set, seeds=[50, 51, 52, 53])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert merchant_client.get(reverse(SCREEN)).status_code == 200


def test_filters_narrow_the_grid_and_malformed_ones_are_a_400(merchant_client, drafts):
    copy, new, brooch = drafts
    kept = merchant_client.get(reverse(SCREEN), {"near_copy": "1"}).content.decode()
    assert f'id="draft-{copy.pk}"' in kept and f'id="draft-{new.pk}"' not in kept
    rings = merchant_client.get(reverse(SCREEN), {"category": "brooches"}).content.decode()
    assert f'id="draft-{brooch.pk}"' in rings and f'id="draft-{copy.pk}"' not in rings

    too_large = "9" * 29  # beyond any database id (SQLite raised OverflowError: a 500)
    for bad in (
        {"model_version": "abc"},
        {"status": "lost"},
        {"job": "-4"},
        {"model_version": too_large},
        {"job": too_large},
    ):
        response = merchant_client.get(reverse(SCREEN), bad)
        assert response.status_code == 400
        assert "These filters cannot be used" in response.content.decode()


def test_keep_discard_favourite_and_notes_are_recorded(merchant_client, drafts):
    copy, new, _ = drafts
    url = reverse("admin:design_designdraft_decide", args=[new.pk])
    back = reverse(SCREEN) + "?category=rings"

    response = merchant_client.post(url, {"decision": "keep", "next": back})
    assert response.status_code == 302 and response.url == f"{back}#draft-{new.pk}"
    merchant_client.post(url, {"decision": "favourite"})
    merchant_client.post(url, {"decision": "notes", "notes": "  thinner band  "})
    merchant_client.post(
        reverse("admin:design_designdraft_decide", args=[copy.pk]),
        {"decision": "discard", "next": "https://elsewhere.example/"},
    )

    new.refresh_from_db()
    copy.refresh_from_db()
    assert (new.status, new.favourite, new.notes) == (DraftStatus.KEPT, True, "thinner band")
    assert copy.status == DraftStatus.DISCARDED


def test_malformed_requests_get_a_4xx(merchant_client, drafts):
    draft = drafts[0]
    decide = reverse("admin:design_designdraft_decide", args=[draft.pk])
    assert merchant_client.post(decide, {"decision": "burn"}).status_code == 400
    assert merchant_client.get(decide).status_code == 405
    assert (
        merchant_client.post(decide, {"decision": "notes", "notes": "x" * 4001}).status_code == 400
    )
    for bad_id in ("abc", "99999999", "1%2F..", "99999999999999999999999"):
        url = reverse("admin:design_designdraft_decide", args=[bad_id])
        assert merchant_client.post(url, {"decision": "keep"}).status_code == 404
        assert (
            merchant_client.get(reverse("admin:design_designdraft_interpolate", args=[bad_id]))
        ).status_code == 404
    variations = reverse("admin:design_designdraft_variations", args=[draft.pk])
    assert merchant_client.post(variations, {"count": "many", "strength": "0.3"}).status_code == 400
    assert merchant_client.post(variations, {"count": "999", "strength": "0.3"}).status_code == 400
    assert not Job.objects.exists()


def test_a_staff_user_without_the_permissions_gets_403(client, drafts):
    draft = drafts[0]
    viewer = staff_client(client)
    assert viewer.get(reverse(SCREEN)).status_code == 200
    posts = [
        (reverse("admin:design_designdraft_decide", args=[draft.pk]), {"decision": "keep"}),
        (reverse("admin:design_designdraft_variations", args=[draft.pk]), {"count": 4}),
        (reverse("admin:design_designdraft_create_product", args=[draft.pk]), {}),
        (reverse("admin:design_designdraft_generate"), {"categories": ["rings"], "count": 4}),
    ]
    for url, data in posts:
        assert viewer.post(url, data).status_code == 403
    assert (
        viewer.get(reverse("admin:design_designdraft_interpolate", args=[draft.pk])).status_code
        == 403
    )
    html = viewer.get(reverse(SCREEN)).content.decode()
    assert "Create draft product" not in html and 'value="keep"' not in html
    draft.refresh_from_db()
    assert draft.status == DraftStatus.NEW and draft.product is None
    # The list's actions are not offered either.
    listing = viewer.get(reverse("admin:design_designdraft_changelist")).content.decode()
    assert "keep_drafts" not in listing


def test_screening_permission_alone_screens_but_cannot_make_products(client, drafts):
    draft = drafts[0]
    screener = staff_client(client, "screen_designdraft")
    decide = reverse("admin:design_designdraft_decide", args=[draft.pk])
    assert screener.post(decide, {"decision": "keep"}).status_code == 302
    create = reverse("admin:design_designdraft_create_product", args=[draft.pk])
    assert screener.post(create).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DraftStatus.KEPT and draft.product is None


def test_create_draft_product_makes_an_unpublished_product_in_the_category_with_the_picture(
    merchant_client, drafts
):
    rings = CategoryFactory(slug="rings")
    draft = drafts[1]

    response = merchant_client.post(
        reverse("admin:design_designdraft_create_product", args=[draft.pk])
    )

    draft.refresh_from_db()
    product = draft.product
    assert response.status_code == 302
    assert response.url == reverse("admin:catalog_product_change", args=[product.pk])
    assert product.status == PublicationStatus.DRAFT and product.published_at is None
    assert product.category == rings
    (image,) = product.images.all()
    assert image.width == 512 and image.thumbnail and image.alt_text
    # Asked again, the same product.
    assert draft_create_product(draft=draft) == product
    assert Product.objects.count() == 1


def test_a_draft_of_a_category_the_catalog_lacks_gets_a_product_without_category(
    merchant_client, drafts
):
    brooch = drafts[2]
    response = merchant_client.post(
        reverse("admin:design_designdraft_create_product", args=[brooch.pk]), follow=True
    )
    brooch.refresh_from_db()
    assert brooch.product is not None and brooch.product.category is None
    assert "No catalog category has the slug “brooches”" in response.content.decode()


def test_generate_variations_and_interpolate_start_jobs_on_the_design_queue(
    merchant_client, drafts, model_version
):
    first, second, _ = drafts
    response = merchant_client.post(
        reverse("admin:design_designdraft_generate"),
        {"categories": ["rings", "brooches"], "count": 12, "seed": 9, "diversity": 0.7},
    )
    job = Job.objects.get(kind="design.generate")
    assert response.status_code == 302 and response.url == reverse(SCREEN) + f"?job={job.pk}"
    assert job.queue == "design"
    assert job.params["categories"] == ["rings", "brooches"]
    assert (job.params["count"], job.params["seed"], job.params["diversity"]) == (12, 9, 0.7)
    assert job.params["model_version_id"] == model_version.pk

    page = merchant_client.get(response.url).content.decode()
    assert 'role="progressbar"' in page
    assert reverse("admin:shop_job_progress", args=[job.pk]) in page
    progress = merchant_client.get(reverse("admin:shop_job_progress", args=[job.pk]))
    assert progress.json()["status"] == "queued"

    merchant_client.post(
        reverse("admin:design_designdraft_variations", args=[first.pk]),
        {"count": 4, "strength": 0.2},
    )
    interpolate = reverse("admin:design_designdraft_interpolate", args=[first.pk])
    assert merchant_client.get(interpolate).status_code == 200
    merchant_client.post(interpolate, {"other": second.pk, "steps": 5})
    variations = Job.objects.get(kind="design.variations")
    blend = Job.objects.get(kind="design.interpolate")
    assert variations.queue == blend.queue == "design"
    assert variations.params["draft_id"] == first.pk and variations.params["count"] == 4
    assert (blend.params["first_id"], blend.params["second_id"]) == (first.pk, second.pk)


def test_the_generate_form_refuses_bad_input_with_a_400(merchant_client, model_version):
    url = reverse("admin:design_designdraft_generate")
    for data in (
        {"categories": ["unknown"], "count": 4, "diversity": 1},
        {"categories": ["rings"], "count": 0, "diversity": 1},
        {"categories": ["rings"], "count": 100000, "diversity": 1},
        {"categories": ["rings"], "count": 4, "diversity": 9},
    ):
        assert merchant_client.post(url, data).status_code == 400
    assert not Job.objects.exists()


def test_the_change_form_edits_only_the_screening_fields(merchant_client, drafts):
    draft = drafts[0]
    url = reverse("admin:design_designdraft_change", args=[draft.pk])
    page = merchant_client.get(url)
    assert page.status_code == 200 and f'alt="Draft {draft.pk}, rings"' in page.content.decode()

    response = merchant_client.post(
        url, {"status": "kept", "favourite": "on", "notes": "<b>bold</b> idea", "category": "x"}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.favourite, draft.notes) == ("kept", True, "<b>bold</b> idea")
    assert draft.category == "rings"  # read-only
    html = merchant_client.get(url).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt; idea" in html


def test_a_deleted_draft_or_picture_takes_its_file_once_the_deletion_commits(
    drafts, training_set, django_capture_on_commit_callbacks
):
    draft, picture = drafts[0], training_set.images.first()
    storage = draft.image.storage
    names = [draft.image.name, picture.image.name]
    assert all(storage.exists(name) for name in names)

    # A deletion that is rolled back keeps the files
    with django_capture_on_commit_callbacks(execute=False) as rolled_back:
        draft.delete()
        picture.delete()
    assert len(rolled_back) == 2
    assert all(storage.exists(name) for name in names)

    # Once it commits, the files go
    for callback in rolled_back:
        callback()
    assert not any(storage.exists(name) for name in names)
