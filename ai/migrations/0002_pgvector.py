"""The pgvector column and HNSW index, on PostgreSQL servers that offer the extension.

A no-op on SQLite and on a PostgreSQL server without pgvector (pg_available_extensions
has no `vector`), or when this database user may not create the extension: the
in-process index then serves (AI_VECTOR_INDEX=auto). The SQL lives in ai.index.pgvector
so that the index and this migration create the same schema; the HNSW index made here is
the one of the default embedding backend (use-multilingual, 512-d), others are made by
their first `reindex_search`.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "use-multilingual"
DEFAULT_DIMENSION = 512


def add_vector_column(apps, schema_editor):
    from ai.index.pgvector import install_schema, reset, vector_extension_available

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if not vector_extension_available(cursor):
            logger.info("pgvector is not available on this server: the in-process index serves")
            return
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            install_schema(cursor, backend=DEFAULT_BACKEND, dimension=DEFAULT_DIMENSION)
    except DatabaseError as exc:
        logger.warning("Could not enable pgvector (%s): the in-process index serves", exc)
    reset()


def drop_vector_column(apps, schema_editor):
    from ai.index.pgvector import reset, uninstall_schema

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        uninstall_schema(cursor)
    reset()


class Migration(migrations.Migration):
    dependencies = [("ai", "0001_initial")]

    operations = [migrations.RunPython(add_vector_column, drop_vector_column, elidable=False)]
