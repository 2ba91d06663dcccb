"""tensorflow.python.util.nest and util.compat: TF 1.x's structure rules (sorted dict keys,
namedtuples kept, strings are leaves) and bytes/text conversions."""

import collections

import numpy as np
import pytest

from tensorflux.util import compat, nest

Point = collections.namedtuple("Point", ["x", "y"])


def test_flatten_and_pack():
    structure = {"b": [1, (2, 3)], "a": Point(4, "five")}
    flat = nest.flatten(structure)
    assert flat == [4, "five", 1, 2, 3]
    packed = nest.pack_sequence_as(structure, [10, 20, 30, 40, 50])
    assert packed == {"b": [30, (40, 50)], "a": Point(10, 20)}
    assert list(packed) == ["b", "a"]  # the dict keeps its own key order
    assert nest.flatten(7) == [7] and nest.pack_sequence_as(7, [8]) == 8
    assert nest.flatten(np.zeros(3))[0].shape == (3,)  # arrays are leaves
    with pytest.raises(ValueError, match="Structure had 5 elements"):
        nest.pack_sequence_as(structure, [1, 2])


def test_map_structure_and_assert_same_structure():
    a = {"x": [1, 2], "y": 3}
    b = {"x": [10, 20], "y": 30}
    assert nest.map_structure(lambda u, v: u + v, a, b) == {"x": [11, 22], "y": 33}
    with pytest.raises(ValueError):
        nest.assert_same_structure([1, [2]], [1, 2])
    with pytest.raises(TypeError):
        nest.assert_same_structure((1, 2), [1, 2])
    nest.assert_same_structure((1, 2), [1, 2], check_types=False)
    assert nest.is_sequence([1]) and not nest.is_sequence("ab")
    assert nest.flatten_with_joined_string_paths({"a": [5, 6]}) == [("a/0", 5), ("a/1", 6)]
    assert nest.flatten_up_to([0, 0], [[1, 2], 3]) == [[1, 2], 3]


def test_compat_conversions():
    assert compat.as_bytes("é") == "é".encode("utf-8")
    assert compat.as_text(b"abc") == "abc" and compat.as_str("x") == "x"
    assert compat.as_str_any(5) == "5"
    assert isinstance(np.int64(3), compat.integral_types)
    with pytest.raises(TypeError):
        compat.as_bytes(5)
