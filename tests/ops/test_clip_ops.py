"""Norm clipping against real TensorFlow, plus finite-difference checks of the gradients."""

import json
import os

import numpy as np
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.ops.indexed_slices import IndexedSlices

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "train")
with open(os.path.join(FIXTURES, "misc.json")) as _f:
    DATA = json.load(_f)["clip"]
A = np.array(DATA["a"], np.float32)
B = np.array(DATA["b"], np.float32)


def test_clip_ops_match_tensorflow():
    ta, tb = tf.constant(A, name="a"), tf.constant(B, name="b")
    res = {
        "norm": tf.clip_by_norm(ta, 1.0),
        "norm_big": tf.clip_by_norm(ta, 100.0),
        "norm_axes": tf.clip_by_norm(ta, 1.0, axes=[1]),
        "norm_zero": tf.clip_by_norm(tf.zeros([3]), 1.0),
        "global_norm": tf.global_norm([ta, None, tb]),
        "average_norm": tf.clip_by_average_norm(ta, 0.2),
    }
    clipped, norm = tf.clip_by_global_norm([ta, None, tb], 1.5)
    clipped_inf, _ = tf.clip_by_global_norm([ta], 1.0, use_norm=tf.constant(np.inf))
    names = {k: v.name for k, v in res.items()}
    names["clipped"] = [t.name if t is not None else None for t in clipped]
    names["use_norm"] = norm.name
    assert names == DATA["names"]
    assert clipped[1] is None
    with tf.Session() as sess:
        vals = sess.run(res)
        c = sess.run([clipped[0], clipped[2], norm, clipped_inf[0]])
    for k, v in DATA["values"].items():
        np.testing.assert_allclose(vals[k], v, rtol=1e-6, atol=1e-7, err_msg=k)
    g = DATA["global"]
    np.testing.assert_allclose(c[0], g["clipped_a"], rtol=1e-6)
    np.testing.assert_allclose(c[1], g["clipped_b"], rtol=1e-6)
    np.testing.assert_allclose(c[2], g["norm"], rtol=1e-6)
    assert np.isnan(c[3]).all() and np.isnan(g["inf"]).all()


def test_clip_indexed_slices_clips_values():
    values = tf.constant([[3.0, 4.0], [0.0, 0.0]])
    s = IndexedSlices(values, tf.constant([0, 2]), tf.constant([3, 2]))
    c = tf.clip_by_norm(s, 1.0)
    assert isinstance(c, IndexedSlices)
    (cg,), norm = tf.clip_by_global_norm([s], 2.5)
    assert isinstance(cg, IndexedSlices) and cg.indices is s.indices
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(c.values), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
        np.testing.assert_allclose(sess.run(cg.values), [[1.5, 2.0], [0.0, 0.0]], rtol=1e-6)
        assert np.isclose(sess.run(norm), 5.0)


def test_global_norm_needs_a_sequence():
    import pytest

    with pytest.raises(TypeError, match="should be a sequence"):
        tf.global_norm(tf.constant([1.0]))


def test_clip_by_norm_gradient():
    check_gradients(lambda x: tf.clip_by_norm(x, 1.0), {"x": A}, op_types=["Maximum"])
    check_gradients(lambda x: tf.clip_by_norm(x, 1.0, axes=[1]), {"x": A})


def test_clip_by_global_norm_gradient():
    def build(x, y):
        clipped, norm = tf.clip_by_global_norm([x, y], 2.0)
        return clipped + [norm]

    check_gradients(build, {"x": A, "y": B}, op_types=["L2Loss"])



def test_clip_by_average_norm_is_float32_only_as_in_tf():
    # TF casts the element count to float32, so a float64 input cannot be mixed in.
    import pytest

    with pytest.raises(TypeError):
        tf.clip_by_average_norm(tf.constant([1.0, 2.0], tf.float64), 0.5)
