"""What the events app announces. The apps above listen (ai's recommender); events never calls them.

interaction_history_seeded(events)
    The demo store's shopping history was written in bulk (`events` interaction events).
    Sent at once, inside the seeding transaction: the recommender trains on it straight away,
    so a fresh demo store shows recommendations before the first nightly training. A
    receiver may return a dict of counts, which the seed adds to its report.
"""

from django.dispatch import Signal

interaction_history_seeded = Signal()


def announce_interaction_history_seeded(*, events: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for _receiver, response in interaction_history_seeded.send(sender="events", events=events):
        if isinstance(response, dict):
            counts.update(response)
    return counts
