"""Re-indexing: dirty products, changed texts only, the reindex_search command, the periodic job."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ai import services
from ai.models import ModelVersion, ProductEmbedding
from ai.tasks import search_reindex_dirty_periodic
from catalog.models import Product
from catalog.services import product_set_translation
from shop.models import Job, JobStatus


def _dirty(product) -> bool:
    return Product.objects.values_list("search_index_dirty", flat=True).get(pk=product.pk)


def test_reindexing_dirty_products_embeds_them_and_marks_them_clean(catalog, counting_embedder):
    # Given new products (new products are dirty)
    assert all(_dirty(product) for product in catalog.values())

    # When the dirty products are re-indexed
    report = services.search_reindex_dirty()

    # Then each has its embedding and none is dirty any more
    assert report["products"] == 3
    assert report["embedded"] == 3
    assert ProductEmbedding.objects.count() == 3
    assert not any(_dirty(product) for product in catalog.values())
    assert services.search_semantic("anneau", language="fr", limit=1)[0][0] == catalog["ring"].pk


def test_only_the_product_whose_text_changed_is_embedded_again(catalog, counting_embedder):
    # Given an indexed catalog
    services.search_reindex_dirty()
    counting_embedder.texts.clear()

    # When the merchant renames the bracelet (catalog services mark it dirty)
    bracelet = catalog["bracelet"]
    product_set_translation(product=bracelet, language="en", name="Sapphire tennis bracelet")
    assert _dirty(bracelet)
    report = services.search_reindex_dirty()

    # Then only the bracelet's text was embedded again, and the new name is searchable
    assert report["products"] == 1
    assert len(counting_embedder.texts) == 1
    assert counting_embedder.texts[0].startswith("Sapphire tennis bracelet")
    assert services.search_semantic("bracelet de saphirs", limit=1)[0][0] == bracelet.pk


def test_a_dirty_product_whose_text_did_not_change_is_not_embedded_again(
    catalog, counting_embedder
):
    services.search_reindex_dirty()
    counting_embedder.texts.clear()
    Product.objects.filter(pk=catalog["ring"].pk).update(search_index_dirty=True)

    report = services.search_reindex_dirty()

    assert counting_embedder.texts == []
    assert report["unchanged"] == 1
    assert not _dirty(catalog["ring"])


def test_a_product_edited_while_its_batch_is_embedded_stays_dirty(catalog, counting_embedder):
    # Given the merchant renames the ring while the re-index embeds its batch
    ring = catalog["ring"]

    def merchant_edits(_texts):
        product_set_translation(
            product=Product.objects.get(pk=ring.pk), language="en", name="Halo ring"
        )

    counting_embedder.before_batch = merchant_edits
    services.search_reindex_dirty()

    # Then the ring stays dirty, and the next run embeds its new name
    assert _dirty(ring)
    assert not _dirty(catalog["necklace"])
    counting_embedder.texts.clear()
    services.search_reindex_dirty()
    assert [text.split(".")[0] for text in counting_embedder.texts] == ["Halo ring"]
    assert not _dirty(ring)


def test_a_full_rebuild_embeds_every_text_again(catalog, counting_embedder):
    services.search_reindex(full=False)
    counting_embedder.texts.clear()

    services.search_reindex(full=False)
    assert counting_embedder.texts == []

    services.search_reindex(full=True)
    assert len(counting_embedder.texts) == 3


def test_reindex_search_command_records_a_job_and_a_model_version(catalog, settings):
    # Given the default embedding backend
    settings.AI_EMBEDDING_BACKEND = "use-multilingual"
    out, err = StringIO(), StringIO()

    # When the operator rebuilds the index from the command line
    call_command("reindex_search", "--full", stdout=out, stderr=err)

    # Then it reports, and the rebuild is recorded as a succeeded job and a search version
    assert "Indexed 3 products: 3 texts embedded" in out.getvalue()
    job = Job.objects.get()
    assert (job.kind, job.status, job.progress) == ("search.reindex", JobStatus.SUCCEEDED, 100)
    version = ModelVersion.objects.get(capability="search")
    assert version.is_active
    assert version.parameters["embedder"] == "use-multilingual"
    assert version.parameters["dimension"] == 512
    assert version.parameters["index"] == "memory"
    assert version.metrics["products"] == 3
    assert version.metrics["seconds"] > 0
    assert ProductEmbedding.objects.count() == 3


def test_reindex_search_can_limit_itself_to_one_language(catalog, settings):
    settings.AI_EMBEDDING_BACKEND = "use-multilingual"
    product_set_translation(product=catalog["ring"], language="fr", name="Bague solitaire")

    call_command("reindex_search", "--language", "fr", stdout=StringIO(), stderr=StringIO())

    assert list(ProductEmbedding.objects.values_list("product_id", "language")) == [
        (catalog["ring"].pk, "fr")
    ]
    assert _dirty(catalog["ring"])  # its other languages were not looked at


def test_reindex_search_refuses_an_unknown_language(db):
    with pytest.raises(CommandError, match="Unknown language xx"):
        call_command("reindex_search", "--language", "xx", stdout=StringIO(), stderr=StringIO())


def test_after_an_import_products_are_marked_and_a_reindex_job_queued(
    catalog, django_capture_on_commit_callbacks
):
    # Given an indexed catalog
    Product.objects.update(search_index_dirty=False)

    # When an import changed the ring behind the catalog services' back
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.search_mark_dirty_reindex_soon(product_ids=[catalog["ring"].pk])

    # Then the ring is dirty and a re-index job waits for the commit
    assert _dirty(catalog["ring"]) and not _dirty(catalog["necklace"])
    assert (job.kind, job.status) == ("search.reindex_dirty", JobStatus.QUEUED)
    assert len(callbacks) == 1


def test_the_periodic_task_starts_a_job_only_when_products_are_dirty(
    catalog, django_capture_on_commit_callbacks
):
    Product.objects.update(search_index_dirty=False)
    assert search_reindex_dirty_periodic() is None
    assert not Job.objects.exists()

    Product.objects.filter(pk=catalog["ring"].pk).update(search_index_dirty=True)
    with django_capture_on_commit_callbacks():
        job_id = search_reindex_dirty_periodic()

    assert Job.objects.get(pk=job_id).kind == "search.reindex_dirty"


def test_the_search_snapshot_generation_moves_again_when_a_catalog_change_commits(
    catalog, django_capture_on_commit_callbacks
):
    """A search in this process between the save and the commit loads the old catalog under
    the new generation; without a second move at commit it would serve it until the snapshot's
    max age (a rename changes neither the product count nor the index version)."""
    from ai.search import snapshot

    product = Product.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        start = snapshot._generation
        product.set_current_language("en")
        product.name = "Renamed for the snapshot"
        product.save()
        in_transaction = snapshot._generation

    assert in_transaction > start
    assert snapshot._generation > in_transaction
