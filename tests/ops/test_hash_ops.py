"""String hash buckets against real TF: FarmHash (fast), SipHash-2-4 (strong), legacy Hash64."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "lookup_sets", "hashes.json")


@pytest.fixture(scope="module")
def fix():
    with open(FIX) as f:
        return json.load(f)


@pytest.mark.parametrize("kind", ["fast", "legacy"])
def test_buckets_match_tf(fix, kind):
    fn = tf.strings.to_hash_bucket_fast if kind == "fast" else tf.string_to_hash_bucket
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(fix["strings"])
        for n, want in fix[kind].items():
            got = sess.run(fn(x, int(n)))
            assert got.dtype == np.int64
            np.testing.assert_array_equal(got, np.array(want, np.int64), err_msg=n)


def test_strong_matches_tf(fix):
    with tf.Graph().as_default(), tf.Session() as sess:
        x = tf.constant(fix["strings"])
        for key, want in fix["strong"].items():
            k = [int(v) for v in key.split("_")]
            got = sess.run(tf.strings.to_hash_bucket_strong(x, 2 ** 62, key=k))
            np.testing.assert_array_equal(got, np.array(want, np.int64), err_msg=key)


def test_names_and_shapes(fix):
    names = fix["names"]
    with tf.Graph().as_default():
        for _ in range(5):
            tf.string_to_hash_bucket_fast(["a"], 3)
            tf.string_to_hash_bucket(["a"], 3)
        for _ in range(3):
            tf.string_to_hash_bucket_strong(["a"], 3, [1, 2])
        t = tf.string_to_hash_bucket_fast(tf.constant([["a", "b"]]), 10)
        assert t.name == names["fast"]
        assert t.shape.as_list() == names["shape"]
        assert tf.string_to_hash_bucket_strong(["a"], 3, [1, 2]).name == names["strong"]
        assert tf.string_to_hash_bucket(["a"], 3).name == names["legacy"]
        assert tf.strings.to_hash_bucket_fast(["a"], 3, name="hb").name == names["named"]
        assert t.op.type == "StringToHashBucketFast"


def test_aliases_and_feeds():
    assert tf.strings.to_hash_bucket_strong is tf.string_to_hash_bucket_strong
    with tf.Graph().as_default(), tf.Session() as sess:
        p = tf.placeholder(tf.string, [None])
        out = tf.string_to_hash_bucket(string_tensor=p, num_buckets=5)
        same = tf.strings.to_hash_bucket(p, 5)
        a, b = sess.run([out, same], {p: ["x", "y", "x"]})
        np.testing.assert_array_equal(a, b)
        assert a[0] == a[2] and 0 <= a.min() and a.max() < 5


def test_errors(fix):
    with tf.Graph().as_default():
        with pytest.raises(TypeError) as e:
            tf.string_to_hash_bucket_fast([1, 2], 3)
        assert str(e.value) == fix["errors"]["int_input"]["message"]
        with pytest.raises(TypeError, match="'StringToHashBucketFast' Op has type int32 that"):
            tf.string_to_hash_bucket_fast(tf.constant([1, 2]), 3)
        with pytest.raises(ValueError):
            tf.string_to_hash_bucket_strong(["a"], 3, key=[1])
        with pytest.raises(ValueError):
            tf.string_to_hash_bucket_fast(["a"], 0)


def test_not_differentiable():
    from tensorflux.ops import registry

    for t in ("StringToHashBucketFast", "StringToHashBucketStrong", "StringToHashBucket"):
        assert registry.get(t).grad is registry.NOT_DIFFERENTIABLE
