"""Reviews moved from catalog to an app of their own (issue 13, step 3) without moving a row: a
store migrated before the move keeps its reviews, photos, permissions and grants."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from reviews.models import Review, ReviewPhoto, ReviewStatus
from tests.factories import ProductFactory, UserFactory
from tests.migrations import at_migration, migrate_to

BEFORE_THE_MOVE = ("catalog", "0006_option_labels")


@pytest.fixture
def before_the_move(transactional_db):
    """A database as a store had it before reviews were an app; migrated forward afterwards
    in any case, so the next test finds the latest schema."""
    yield from at_migration(BEFORE_THE_MOVE)


def test_a_review_written_before_the_move_is_read_through_the_reviews_app(before_the_move):
    # Given a store before the move, with a review and its photo written by catalog's models
    product = ProductFactory(handle="signet-ring")
    author = UserFactory(email="ada@example.com")
    old_review = before_the_move.get_model("catalog", "Review").objects.create(
        product_id=product.pk,
        author_id=author.pk,
        rating=4,
        title="Lovely",
        text="Heavier than it looks.",
        status="approved",
        sentiment="positive",
        sentiment_score=0.8,
        aspects={"quality": 0.9},
    )
    before_the_move.get_model("catalog", "ReviewPhoto").objects.create(
        review_id=old_review.pk, image="reviews/old.webp", width=64, height=48
    )

    # When the store migrates to the reviews app
    migrate_to(None)

    # Then the same row (same table, same id) is read through reviews.models.Review
    review = Review.objects.select_related("product", "author").get(pk=old_review.pk)
    assert (review.product, review.author, review.rating, review.text) == (
        product,
        author,
        4,
        "Heavier than it looks.",
    )
    assert review.status == ReviewStatus.APPROVED and review.aspects == {"quality": 0.9}
    assert list(review.photos.values_list("image", "width")) == [("reviews/old.webp", 64)]
    assert product.reviews.get() == review
    assert Review._meta.db_table == "catalog_review"
    assert ReviewPhoto._meta.db_table == "catalog_reviewphoto"


def test_moderators_keep_moderating_after_the_move(before_the_move):
    # Given a group and a user granted the moderation permission while it was catalog's
    old_permission = before_the_move.get_model("auth", "Permission").objects.get(
        content_type__app_label="catalog", codename="moderate_review"
    )
    moderators = Group.objects.create(name="Moderators")
    moderators.permissions.add(old_permission.pk)
    in_group = UserFactory(email="group@example.com", is_staff=True)
    in_group.groups.add(moderators)
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(old_permission.pk)

    # When the store migrates to the reviews app
    migrate_to(None)

    # Then the same permission row is now reviews.moderate_review, and both still hold it
    permission = Permission.objects.get(pk=old_permission.pk)
    assert (permission.content_type.app_label, permission.codename) == (
        "reviews",
        "moderate_review",
    )
    for user in (in_group, granted):
        fresh = type(user).objects.get(pk=user.pk)  # no cached permissions
        assert fresh.has_perm("reviews.moderate_review")
    assert not ContentType.objects.filter(app_label="catalog", model__startswith="review").exists()


def test_a_reviews_content_type_made_before_the_migration_is_merged_with_the_grants(
    before_the_move,
):
    # Given a database where Django already made a reviews content type and permission (an odd
    # partial migration) while the grant is on catalog's
    old_apps = before_the_move
    content_types = old_apps.get_model("contenttypes", "ContentType").objects
    permissions = old_apps.get_model("auth", "Permission").objects
    old_permission = permissions.get(content_type__app_label="catalog", codename="moderate_review")
    twin_type = content_types.create(app_label="reviews", model="review")
    twin = permissions.create(
        content_type=twin_type, codename="moderate_review", name="Can approve, reject and flag"
    )
    granted = UserFactory(email="granted@example.com", is_staff=True)
    granted.user_permissions.add(old_permission.pk)

    # When the store migrates to the reviews app
    migrate_to(None)

    # Then the grant is on the reviews permission, and catalog's content type is gone
    fresh = type(granted).objects.get(pk=granted.pk)
    assert fresh.has_perm("reviews.moderate_review")
    assert list(fresh.user_permissions.values_list("pk", flat=True)) == [twin.pk]
    assert not ContentType.objects.filter(app_label="catalog", model="review").exists()
    assert Permission.objects.filter(codename="change_review").get().content_type_id == (
        twin_type.pk
    )
