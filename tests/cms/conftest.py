from __future__ import annotations

import pytest

from tests.cms.factories import SmallTree, small_tree


@pytest.fixture
def tree(db) -> SmallTree:
    return small_tree()
