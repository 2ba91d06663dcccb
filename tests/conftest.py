"""Every test starts with an empty global default graph (and no default session)."""

import pytest

import tensorflux as tf


@pytest.fixture(autouse=True)
def _fresh_default_graph():
    tf.reset_default_graph()
    yield
