"""Array ops: shape/size/rank, reshape, transpose, concat, stack/unstack, identity and friends,
invert_permutation — values, names, static shapes, errors, gradients."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.ops import registry

RNG = np.random.RandomState(0)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# --- shape / size / rank ---------------------------------------------------------------------
def test_shape_size_rank_are_constants_when_known():
    x = tf.placeholder(tf.float32, [2, 3])
    s, n, r = tf.shape(x), tf.size(x), tf.rank(x)
    assert (s.name, n.name, r.name) == ("Shape:0", "Size:0", "Rank:0")
    assert {s.op.type, n.op.type, r.op.type} == {"Const"}
    # No feed needed: the values are static.
    vs, vn, vr = run([s, n, r])
    assert vs.tolist() == [2, 3] and vn == 6 and vr == 2
    assert tf.shape(x, out_type=tf.int64).dtype == tf.int64


def test_shape_size_rank_ops_when_unknown():
    x = tf.placeholder(tf.float32, [None, 3])
    s, n = tf.shape(x), tf.size(x, out_type=tf.int64)
    r = tf.rank(tf.placeholder(tf.float32))
    assert (s.op.type, n.op.type, r.op.type) == ("Shape", "Size", "Rank")
    assert s.shape.as_list() == [2] and n.dtype == tf.int64
    v = np.zeros((4, 3), np.float32)
    assert run(s, {x: v}).tolist() == [4, 3]
    assert run(n, {x: v}) == 12


# --- reshape / transpose ---------------------------------------------------------------------
def test_reshape_and_transpose_gradients():
    check_gradients(lambda x: tf.reshape(x, [3, -1]), {"x": RNG.randn(2, 3, 2)},
                    op_types=["Reshape"])
    check_gradients(lambda x: tf.transpose(x, [2, 0, 1]), {"x": RNG.randn(2, 3, 4)},
                    op_types=["Transpose"])

    def dynamic_perm(x):
        perm = tf.placeholder_with_default(tf.constant([1, 2, 0]), [3])
        return tf.transpose(x, perm)
    check_gradients(dynamic_perm, {"x": RNG.randn(2, 3, 4)},
                    op_types=["Transpose"])


def test_invert_permutation():
    p = tf.invert_permutation([3, 4, 0, 2, 1])
    assert p.name == "InvertPermutation:0" and p.shape.as_list() == [5]
    np.testing.assert_array_equal(run(p), [2, 4, 3, 0, 1])
    x = tf.placeholder(tf.int32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError, match="duplicated"):
        run(tf.invert_permutation(x), {x: [0, 0]})
    with pytest.raises(ValueError, match="Shape must be rank 1"):
        tf.invert_permutation([[0]])
    assert registry.get("InvertPermutation").grad == registry.NOT_DIFFERENTIABLE


# --- concat ----------------------------------------------------------------------------------
def test_concat():
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    c = tf.concat([x, x], 1)
    assert c.name == "concat:0" and c.op.inputs[-1].op.name == "concat/axis"
    assert c.shape.as_list() == [2, 6]
    assert tf.concat([x, tf.placeholder(tf.float32, [None, 3])], 0).shape.as_list() == [None, 3]
    assert tf.concat([x, x], -1).shape.as_list() == [2, 6]
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        tf.concat([x, tf.zeros([3, 3])], 1)
    with pytest.raises(ValueError, match="Shape must be at least rank 3 but is rank 2"):
        tf.concat([x, x], 2)
    with tf.Graph().as_default():
        single = tf.concat([tf.zeros([2])], 0)
        assert single.name == "concat/concat:0" and single.op.type == "Identity"


def test_concat_gradients():
    check_gradients(lambda a, b: tf.concat([a, b], 1),
                    {"a": RNG.randn(2, 3), "b": RNG.randn(2, 1)}, op_types=["ConcatV2"])

    def unknown_shapes(a, b):
        a = tf.placeholder_with_default(a, [None, None])
        return tf.concat([a, b], -1)
    check_gradients(unknown_shapes, {"a": RNG.randn(2, 3), "b": RNG.randn(2, 2)},
                    op_types=["ConcatV2"])

    def dynamic_axis(a, b):
        axis = tf.placeholder_with_default(tf.constant(-2), [])
        return tf.concat([a, b], axis)
    check_gradients(dynamic_axis, {"a": RNG.randn(2, 3), "b": RNG.randn(1, 3)},
                    op_types=["ConcatV2"])


# --- stack / unstack -------------------------------------------------------------------------
def test_stack():
    x = tf.placeholder(tf.float32, [2, 6], name="x")
    s = tf.stack([x, x], axis=1)
    assert s.name == "stack:0" and s.op.type == "Pack" and s.shape.as_list() == [2, 2, 6]
    c = tf.stack([1, 2, 3])
    assert c.op.type == "Const" and c.name == "stack_1:0"
    assert tf.pack is tf.stack and tf.unpack is tf.unstack
    assert tf.stack(x) is x
    v = RNG.randn(2, 6).astype(np.float32)
    np.testing.assert_array_equal(run(tf.stack([x, 2 * x], -1), {x: v}), np.stack([v, 2 * v], -1))
    mixed = tf.stack([tf.constant(1.0), 2.0])
    np.testing.assert_array_equal(run(mixed), [1.0, 2.0])
    with pytest.raises(ValueError, match=r"Argument `axis` = 3 not in range \[-3, 3\)"):
        tf.stack([x, x], axis=3)
    with pytest.raises(ValueError, match="Dimension 1 in both shapes must be equal"):
        tf.stack([x, tf.placeholder(tf.float32, [2, 5])])


def test_unstack():
    x = tf.placeholder(tf.float32, [2, 6, 3], name="x")
    parts = tf.unstack(x, axis=1)
    assert len(parts) == 6 and parts[0].name == "unstack:0" and parts[5].name == "unstack:5"
    assert parts[0].shape.as_list() == [2, 3]
    v = RNG.randn(2, 6, 3).astype(np.float32)
    for i, p in enumerate(run(parts, {x: v})):
        np.testing.assert_array_equal(p, v[:, i])
    assert len(tf.unstack(tf.placeholder(tf.float32, [None, 2]), axis=-1)) == 2
    assert len(tf.unstack(tf.placeholder(tf.float32, [2, None]), num=4, axis=1)) == 4
    with pytest.raises(ValueError, match=r"Argument `axis` = 3 not in range \[-3, 3\)"):
        tf.unstack(x, axis=3)
    with pytest.raises(ValueError, match="Cannot infer argument `num` from shape"):
        tf.unstack(tf.placeholder(tf.float32, [2, None]), axis=1)


def test_stack_unstack_gradients():
    check_gradients(lambda a, b: tf.stack([a, b], axis=1),
                    {"a": RNG.randn(2, 3), "b": RNG.randn(2, 3)}, op_types=["Pack"])
    # Unused outputs of Unpack get zero gradients.
    check_gradients(lambda x: tf.unstack(x, axis=1)[1:3], {"x": RNG.randn(2, 4)},
                    op_types=["Unpack"])


# --- identity-like ops -----------------------------------------------------------------------
def test_identity_like_gradients():
    check_gradients(lambda x: tf.identity(x) * 2.0, {"x": RNG.randn(3)},
                    op_types=["Identity"])
    check_gradients(lambda x: registry.make_tensor("Snapshot", [x]), {"x": RNG.randn(3)},
                    op_types=["Snapshot"])
    check_gradients(lambda x: tf.placeholder_with_default(x, [None]), {"x": RNG.randn(3)},
                    op_types=["PlaceholderWithDefault"])


def test_stop_gradient_is_not_differentiable():
    x = tf.placeholder(tf.float32, [2])
    assert tf.gradients(tf.reduce_sum(tf.stop_gradient(x)), x) == [None]
