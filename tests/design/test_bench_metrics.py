"""The design bench's metric functions (bench/design_metrics.py), on synthetic arrays, so the
figures bench/design.py prints can be trusted."""

from __future__ import annotations

import numpy as np
import pytest

from bench.design_metrics import (
    assigned_share,
    copy_threshold,
    kid,
    mean_pairwise_distance,
    mmd2_unbiased,
    near_copy_share,
    nearest_similarity,
    per_class_share,
)


def test_kid_of_one_distribution_is_about_zero_and_of_two_is_clearly_positive():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(400, 16))
    b = rng.normal(size=(400, 16))
    shifted = rng.normal(loc=0.7, size=(400, 16))
    same_mean, same_std = kid(a, b, subsets=20, subset_size=100)
    different_mean, _ = kid(a, shifted, subsets=20, subset_size=100)
    assert abs(same_mean) < 3 * same_std + 1e-3
    assert different_mean > 10 * max(abs(same_mean), same_std)


def test_mmd_of_a_set_with_itself_drawn_twice_is_exactly_the_unbiased_value():
    x = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    # identical samples: the cross term includes the diagonal the within terms leave out,
    # so the unbiased estimate is negative, not zero: k(x, x) terms / m are subtracted
    k = (x @ x.T / 2 + 1) ** 3
    within = (k.sum() - np.trace(k)) / 6
    assert mmd2_unbiased(x, x) == pytest.approx(2 * within - 2 * k.mean())


def test_spread_of_collapsed_samples_is_zero_and_of_a_wider_cloud_larger():
    rng = np.random.default_rng(2)
    collapsed = np.repeat(rng.normal(size=(1, 8)), 50, axis=0)
    narrow = rng.normal(scale=0.5, size=(200, 8))
    wide = rng.normal(scale=2.0, size=(200, 8))
    assert mean_pairwise_distance(collapsed) == pytest.approx(0.0, abs=1e-6)
    assert mean_pairwise_distance(wide) > 3 * mean_pairwise_distance(narrow)
    points = np.array([[0.0, 0.0], [3.0, 4.0]])
    assert mean_pairwise_distance(points) == pytest.approx(5.0)


def test_near_copies_are_counted_against_a_threshold_from_altered_copies():
    rng = np.random.default_rng(3)
    train = rng.normal(size=(100, 32))
    copies = train + rng.normal(scale=0.05, size=train.shape)  # lightly altered copies
    threshold = copy_threshold(train, copies, quantile=0.1)
    assert 0.95 < threshold < 1.0
    drafts = np.concatenate(
        [train[:3] + rng.normal(scale=0.05, size=(3, 32)), rng.normal(size=(17, 32))]
    )
    assert near_copy_share(drafts, train, threshold=threshold) == pytest.approx(3 / 20)
    similarity, index = nearest_similarity(drafts[:3], train)
    assert list(index) == [0, 1, 2]
    assert (similarity >= threshold).all()


def test_assigned_share_overall_and_per_class():
    asked = np.array([0, 0, 1, 1, 1, 2])
    predicted = np.array([0, 1, 1, 1, 0, 0])
    assert assigned_share(predicted, asked) == pytest.approx(3 / 6)
    assert per_class_share(predicted, asked, 4) == [0.5, pytest.approx(2 / 3), 0.0, None]
