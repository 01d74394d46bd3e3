"""Moving the test database through the migration graph, for the tests of the issue-13 moves
(reviews, events, jobs): a store migrated before a move keeps its rows and grants."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: tuple[str, str] | None):
    """Migrates the test database to `target` (a node) or, with None, to the latest migrations;
    returns the models as they are at `target`."""
    executor = MigrationExecutor(connection)
    targets = [target] if target else executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    state = executor.loader.project_state(target or targets)
    ContentType.objects.clear_cache()
    return state.apps


def at_migration(target: tuple[str, str]):
    """Yields the models as they were at `target`, then migrates forward again in any case,
    so the next test finds the latest schema (the body of a `before_the_move` fixture)."""
    old_apps = migrate_to(target)
    try:
        yield old_apps
    finally:
        migrate_to(None)
