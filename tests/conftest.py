"""Session-wide fixtures: one real PostgreSQL cluster for the whole run, started on first use.

A test run that cannot start PostgreSQL fails here (it never skips): the store suite runs
on both backends in every run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pgserver import PgCluster

TEMPLATE = "provdesk_template"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """The run's PostgreSQL server, with a template database already holding the provdesk schema."""
    from store.db.postgres.admin import migrate

    cluster = PgCluster()
    try:
        cluster.sql(f'CREATE DATABASE "{TEMPLATE}"')
        migrate(cluster.url(TEMPLATE))
        yield cluster
    finally:
        cluster.close()


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """A fresh database holding an empty provdesk store (dropped after the test)."""
    name = pg_cluster.new_database(template=TEMPLATE)
    yield pg_cluster.url(name)
    pg_cluster.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
