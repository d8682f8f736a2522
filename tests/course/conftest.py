"""Fixtures of the course tests: a real PostgreSQL server for the parallel gradebook."""

from __future__ import annotations

import pytest

from actbook.course import parallel


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL server in a temporary folder (Debian's `postgresql`); skips if absent.

    ``postgres.database(name)`` creates a database and returns its URL for NBGRADER_DB_URL.
    """
    if parallel.pg_bin() is None:
        pytest.skip(parallel.INSTALL_HINT)
    with parallel.TemporaryPostgres() as server:
        yield server
