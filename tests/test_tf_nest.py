"""`tf.nest` against real TensorFlow: the nest cases of tools/fixtures/gen_strings.py.

Results are compared by `repr` (so container types, key order and leaves all count). For errors
the exception class is compared: TF 2 rewrote nest's messages, tensorflux keeps TF 1.x's wording.
"""

import collections
import json
import os

import pytest

import tensorflux as tf
from tensorflux.util import nest as util_nest

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "strings")

with open(os.path.join(FIXTURES, "cases.json"), encoding="utf-8") as _f:
    CASES = json.load(_f)["nest"]

Point = collections.namedtuple("Point", ["x", "y"])
OK = [c for c in CASES if "error" not in c]
ERRORS = [c for c in CASES if "error" in c]


def _run(code):
    return eval(code, {"tf": tf, "Point": Point})  # noqa: S307 - the fixture's case table


@pytest.mark.parametrize("spec", OK, ids=[c["name"] for c in OK])
def test_case_matches_tf(spec):
    assert repr(_run(spec["code"])) == spec["repr"]


@pytest.mark.parametrize("spec", ERRORS, ids=[c["name"] for c in ERRORS])
def test_error_matches_tf(spec):
    expected = {"ValueError": ValueError, "TypeError": TypeError}[spec["error"]]
    with pytest.raises(expected) as info:
        _run(spec["code"])
    assert type(info.value) is expected


def test_public_names():
    assert sorted(tf.nest.__all__) == ["assert_same_structure", "flatten", "is_nested",
                                       "map_structure", "pack_sequence_as"]
    for name in tf.nest.__all__:
        assert getattr(tf.nest, name) is getattr(util_nest, name)


def test_roundtrip_keeps_dict_order_and_types():
    s = collections.OrderedDict([("b", (1, [2])), ("a", Point(3, {"z": 4, "y": 5}))])
    flat = tf.nest.flatten(s)
    assert flat == [3, 5, 4, 1, 2]
    back = tf.nest.pack_sequence_as(s, flat)
    assert back == s and type(back) is collections.OrderedDict
    assert list(back) == ["b", "a"]


def test_map_structure_over_tensors():
    x = {"a": tf.constant(1.0), "b": [tf.constant(2.0)]}
    y = tf.nest.map_structure(lambda t: t * 3.0, x)
    with tf.Session() as sess:
        assert sess.run(y) == {"a": 3.0, "b": [6.0]}


def test_map_structure_rejects_unknown_kwargs():
    with pytest.raises(ValueError, match="check_types"):
        tf.nest.map_structure(lambda a: a, [1], bogus=True)
