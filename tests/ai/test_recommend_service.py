"""Training and serving of recommendations on a small real store: precomputed lists,
exclusions, variety, explanations, cold start, guests, and the training job."""

import pytest
from django.utils import translation

from ai import services
from ai.models import Capability, ModelVersion, RecommendationKind, RecommendationList
from catalog.models import PublicationStatus
from customers.models import User
from events.models import InteractionEvent
from shop.jobs import job_retry, job_run_here
from shop.models import JobStatus
from tests.factories import CategoryFactory, ProductFactory


def UserFactory(*, email: str) -> User:  # noqa: N802 - no password hashing: keeps tests fast
    return User.objects.create(email=email)


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.deactivate()


def event(kind, product, *, user=None, session="", country="", language="en"):
    return InteractionEvent.objects.create(
        kind=kind,
        product=product,
        user=user,
        session_key=session,
        country=country,
        language=language,
    )


@pytest.fixture
def store(db):
    """Rings fans and necklace fans; r0 and n0 are everybody's favourites."""
    rings = CategoryFactory(slug="rings", name="Rings")
    necklaces = CategoryFactory(slug="necklaces", name="Necklaces")
    ring = [ProductFactory(handle=f"ring-{i}", category=rings) for i in range(5)]
    necklace = [ProductFactory(handle=f"necklace-{i}", category=necklaces) for i in range(5)]
    ring_fans = [UserFactory(email=f"ring{i}@example.com") for i in range(6)]
    necklace_fans = [UserFactory(email=f"necklace{i}@example.com") for i in range(6)]
    for n, user in enumerate(ring_fans):
        for product in ring[:4]:
            event("view", product, user=user, country="FR", language="fr")
        event("purchase", ring[n % 4], user=user, country="FR", language="fr")
        event("cart_add", ring[(n + 1) % 4], user=user, country="FR", language="fr")
        event("purchase", ring[(n + 1) % 4], user=user, country="FR", language="fr")
    for n, user in enumerate(necklace_fans):
        for product in necklace[:4]:
            event("view", product, user=user, country="JP", language="ja")
        event("purchase", necklace[n % 4], user=user, country="JP", language="ja")
        event("cart_add", necklace[(n + 1) % 4], user=user, country="JP", language="ja")
        event("purchase", necklace[(n + 1) % 4], user=user, country="JP", language="ja")
    return {
        "ring": ring,
        "necklace": necklace,
        "ring_fans": ring_fans,
        "necklace_fans": necklace_fans,
        "rings": rings,
    }


def handles(recommendations) -> list[str]:
    return [s.product.handle for s in recommendations]


def bought(user) -> set[str]:
    return set(
        InteractionEvent.objects.filter(user=user, kind="purchase").values_list(
            "product__handle", flat=True
        )
    )


def test_training_precomputes_lists_and_records_a_model_version(store):
    # When the recommender is trained
    report = services.recommend_train()

    # Then every signed-in shopper and product has a list, and the run is on record
    assert report["lists"][RecommendationKind.USER] == 12
    # (ring-4 and necklace-4 have neither history nor embeddings: served by the fallback)
    assert RecommendationList.objects.filter(kind=RecommendationKind.SIMILAR).count() == 8
    assert RecommendationList.objects.filter(kind="popular", segment="country:FR").exists()
    version = ModelVersion.objects.get(capability=Capability.RECOMMEND, is_active=True)
    assert version.parameters["rating_model"] == "svd"
    assert version.parameters["ranking"] == "ease"
    assert version.metrics["events"] == InteractionEvent.objects.count()
    assert "ndcg_at_10" in version.metrics


def test_a_shopper_is_never_recommended_what_they_bought(store):
    services.recommend_train()
    for user in store["ring_fans"] + store["necklace_fans"]:
        shown = handles(services.recommend_for_user(user, limit=10))
        assert shown, user.email
        assert not set(shown) & bought(user)


def test_a_purchase_after_training_is_excluded_at_once(store):
    user = store["ring_fans"][0]
    services.recommend_train()
    first = services.recommend_for_user(user, limit=10).items[0].product

    event("purchase", first, user=user)

    assert first.handle not in handles(services.recommend_for_user(user, limit=10))


def test_recommendations_follow_the_shoppers_taste_and_explain_why(store):
    services.recommend_train()
    user = store["ring_fans"][0]

    result = services.recommend_for_user(user, limit=3)

    assert result.source == "personal"
    assert result.items[0].product.handle.startswith("ring-")
    assert result.items[0].reason.startswith("Because you")


def test_out_of_stock_and_unpublished_products_are_never_recommended(store):
    services.recommend_train()
    user = store["ring_fans"][0]
    before = handles(services.recommend_for_user(user, limit=10))
    sold_out, withdrawn = before[0], before[1]

    # When one product sells out and another is unpublished after training
    store_products = {p.handle: p for p in store["ring"] + store["necklace"]}
    sold_out_product = store_products[sold_out]
    sold_out_product.in_stock = False
    sold_out_product.save(update_fields=["in_stock"])
    withdrawn_product = store_products[withdrawn]
    withdrawn_product.status = PublicationStatus.DRAFT
    withdrawn_product.save(update_fields=["status"])

    after = handles(services.recommend_for_user(user, limit=10))
    similar = handles(services.similar_products(store["ring"][3], limit=10))

    assert sold_out not in after and withdrawn not in after
    assert sold_out not in similar and withdrawn not in similar


def test_similar_products_come_from_the_same_shoppers(store):
    services.recommend_train()

    similar = handles(services.similar_products(store["necklace"][0], limit=3))

    assert similar
    assert all(handle.startswith("necklace-") for handle in similar)
    assert "necklace-0" not in similar


def test_bought_together_lists_the_same_baskets(store):
    services.recommend_train()

    together = handles(services.bought_together(store["ring"][0], limit=4))

    assert together
    assert all(handle.startswith("ring-") for handle in together)


def test_a_new_shopper_gets_what_is_popular_in_their_country(store):
    services.recommend_train()
    newcomer = UserFactory(email="new@example.com")

    in_japan = services.recommend_for_shopper(user=newcomer, country="JP", limit=3)
    in_france = services.recommend_for_shopper(user=newcomer, country="FR", limit=3)

    assert in_japan.source == "popular"
    assert all(h.startswith("necklace-") for h in handles(in_japan))
    assert all(h.startswith("ring-") for h in handles(in_france))


def test_a_guest_with_a_session_history_gets_recommendations_computed_on_the_fly(store):
    services.recommend_train()
    event("view", store["necklace"][1], session="guest-session-1")
    event("cart_add", store["necklace"][2], session="guest-session-1")

    result = services.recommend_for_shopper(session_key="guest-session-1", limit=4)

    assert result.source == "history"
    assert handles(result)[0].startswith("necklace-")
    assert any(s.reason for s in result)


def test_a_guest_without_history_gets_the_popular_list(store):
    services.recommend_train()

    result = services.recommend_for_shopper(session_key="", language="ja", limit=3)

    assert result.source == "popular"
    assert len(result) == 3


def test_a_product_newer_than_the_training_gets_products_of_its_category(store):
    services.recommend_train()
    newcomer = ProductFactory(handle="ring-new", category=store["rings"])

    similar = services.similar_products(newcomer, limit=4)

    assert similar.source == "content"
    assert handles(similar)
    assert all(h.startswith("ring-") and h != "ring-new" for h in handles(similar))


def test_lists_keep_variety_across_categories(store):
    # Given a shopper who likes rings and once looked at a necklace
    user = store["ring_fans"][0]
    event("view", store["necklace"][0], user=user)
    services.recommend_train()

    entries = RecommendationList.objects.get(kind="user", user=user).items

    categories = {p.pk: p.category_id for p in store["ring"] + store["necklace"]}
    first = [categories[pk] for pk, *_rest in entries[:6]]
    assert len(set(first)) == 2


def test_an_empty_store_trains_and_serves_nothing_without_failing(db):
    report = services.recommend_train()

    assert report["events"] == 0
    assert len(services.recommend_for_shopper(session_key="nobody")) == 0


def test_training_runs_as_a_job_with_progress(store):
    seen = []

    job = job_run_here(
        kind=services.JOB_RECOMMEND_TRAIN, progress=lambda done, total, m: seen.append(m)
    )

    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.result["lists"]["user"] == 12
    assert "Fitting the ranking model" in seen
    assert any(message.startswith("Lists for shoppers") for message in seen)


def test_a_failed_training_keeps_its_error_and_the_previous_lists_and_can_be_retried(
    store, settings
):
    services.recommend_train()
    lists_before = RecommendationList.objects.count()
    settings.AI_RECOMMEND_RATING_MODEL = "no-such-model"

    failed = job_run_here(kind=services.JOB_RECOMMEND_TRAIN)

    assert failed.status == JobStatus.FAILED
    assert "Unknown rating model" in failed.error
    assert RecommendationList.objects.count() == lists_before

    settings.AI_RECOMMEND_RATING_MODEL = "knnbaseline"
    retry = job_retry(job=failed)
    job_run_here_result = job_run_here(kind=services.JOB_RECOMMEND_TRAIN, params=retry.params)
    assert job_run_here_result.status == JobStatus.SUCCEEDED
    assert (
        job_run_here_result.result["metrics"] == {}
        or "rmse" in job_run_here_result.result["metrics"]
    )
    active = ModelVersion.objects.get(capability=Capability.RECOMMEND, is_active=True)
    assert active.parameters["rating_model"] == "knnbaseline"


def test_the_training_job_is_started_from_the_admin_queue_and_runs(
    store, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.recommend_train_start()

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert RecommendationList.objects.filter(kind="user").count() == 12


def test_a_guests_on_the_fly_list_keeps_variety_across_categories(store):
    services.recommend_train()
    for product in store["ring"][:4]:
        event("view", product, session="ring-lover")
    event("view", store["necklace"][0], session="ring-lover")

    result = services.recommend_for_shopper(session_key="ring-lover", limit=6)

    categories = [s.product.category_id for s in result]
    assert len(set(categories)) == 2
    assert max(categories.count(c) for c in set(categories)) <= 3


def test_a_purchase_of_a_withdrawn_product_does_not_break_training(store):
    withdrawn = ProductFactory(handle="old-ring", category=store["rings"], status="draft")
    event("purchase", withdrawn, user=store["ring_fans"][0])

    report = services.recommend_train()

    assert report["lists"]["user"] == 12


def embed(product, vector, *, backend="test-embedder"):
    import numpy as np

    from ai.models import ProductEmbedding

    array = np.asarray(vector, dtype=np.float32)
    array /= np.linalg.norm(array)
    ProductEmbedding.objects.create(
        product=product,
        language="en",
        backend=backend,
        dimension=array.shape[0],
        vector=array.tobytes(),
        text_hash="x",
    )


def test_products_nobody_touched_get_neighbours_from_their_descriptions(store):
    # Given two new products, described like the rings and like the necklaces
    ring_like = ProductFactory(handle="new-ring", category=store["rings"])
    necklace_like = ProductFactory(handle="new-necklace", category=store["rings"])
    for product in store["ring"]:
        embed(product, [1, 0.1, 0, 0])
    for product in store["necklace"]:
        embed(product, [0, 0, 1, 0.1])
    embed(ring_like, [1, 0, 0.05, 0])
    embed(necklace_like, [0.05, 0, 1, 0])

    services.recommend_train()

    # Then their similar products follow the descriptions, not the (same) category
    similar = handles(services.similar_products(ring_like, limit=4))
    assert len(similar) == 4 and all(h.startswith("ring-") for h in similar)
    similar = handles(services.similar_products(necklace_like, limit=4))
    assert len(similar) == 4 and all(h.startswith("necklace-") for h in similar)


def test_a_product_added_after_training_finds_neighbours_in_the_search_index(store):
    services.recommend_train()
    for product in store["necklace"]:
        embed(product, [0, 0, 1, 0.1])
    for product in store["ring"]:
        embed(product, [1, 0.1, 0, 0])
    newcomer = ProductFactory(handle="late-necklace", category=store["rings"])
    embed(newcomer, [0, 0.05, 1, 0])

    similar = services.similar_products(newcomer, limit=3)

    assert similar.source == "content"
    assert handles(similar) and all(h.startswith("necklace-") for h in handles(similar))


def test_a_bag_of_new_products_gets_the_shoppers_recommendations_instead(store):
    services.recommend_train()
    newcomer = ProductFactory(handle="brand-new", category=store["rings"])
    user = store["necklace_fans"][0]

    result = services.cart_suggestions(product_ids=[newcomer.pk], user=user, limit=3)

    assert result.source == "personal"
    assert len(result) == 3
    assert "brand-new" not in handles(result)


def test_celery_beat_starts_the_training_every_night(
    store, settings, eager_celery, django_capture_on_commit_callbacks
):
    from ai.tasks import recommend_train_nightly
    from shop.models import Job

    entry = settings.CELERY_BEAT_SCHEDULE["recommend-train-nightly"]
    assert entry["task"] == recommend_train_nightly.name
    assert entry["schedule"].hour == {3}

    with django_capture_on_commit_callbacks(execute=True):
        job_id = recommend_train_nightly()

    assert Job.objects.get(pk=job_id).status == JobStatus.SUCCEEDED
