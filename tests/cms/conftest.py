from __future__ import annotations

import pytest

from tests.cms.factories import SmallTree, small_tree


@pytest.fixture
def tree(db) -> SmallTree:
    return small_tree()


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty cache: the test database is rolled back, a local cache is not."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
