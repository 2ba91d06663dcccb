"""Indexing by index tensors: gather (and its IndexedSlices gradient), gather_nd, scatter_nd,
dynamic_stitch, boolean_mask, unique, setdiff1d."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

RNG = np.random.RandomState(0)
P = np.arange(24, dtype=np.float32).reshape(2, 4, 3)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# --- gather ----------------------------------------------------------------------------------
def test_gather_values_names_shapes():
    x = tf.placeholder(tf.float32, [2, 4, 3], name="x")
    g = tf.gather(x, [1, 0, 1], axis=1)
    assert g.name == "GatherV2:0"
    assert [t.op.name for t in g.op.inputs[1:]] == ["GatherV2/indices", "GatherV2/axis"]
    assert g.shape.as_list() == [2, 3, 3]
    np.testing.assert_array_equal(run(g, {x: P}), np.take(P, [1, 0, 1], axis=1))
    g2 = tf.gather(x, [[0, 1], [1, 1]])
    assert g2.shape.as_list() == [2, 2, 4, 3]
    np.testing.assert_array_equal(run(g2, {x: P}), P[[[0, 1], [1, 1]]])
    assert tf.gather(x, tf.placeholder(tf.int32, [None]), axis=-1).shape.as_list() == [2, 4, None]
    assert tf.gather(x, [0], axis=tf.placeholder(tf.int32, [])).shape.as_list() == \
        [None, None, None]


def test_gather_batch_dims():
    idx = np.array([[0, 2, 2], [3, 1, 0]])
    g = tf.gather(P, idx, axis=1, batch_dims=1)
    assert g.shape.as_list() == [2, 3, 3]
    want = np.stack([P[b][idx[b]] for b in range(2)])
    np.testing.assert_array_equal(run(g), want)
    g = tf.gather(P, idx[:, :2] % 3, axis=2, batch_dims=1)
    assert g.shape.as_list() == [2, 4, 2]
    want = np.stack([P[b][:, idx[b, :2] % 3] for b in range(2)])
    np.testing.assert_array_equal(run(g), want)


def test_gather_errors():
    with pytest.raises(ValueError, match="Shape must be at least rank 3 but is rank 2"):
        tf.gather(tf.zeros([2, 3]), [0], axis=2)
    with pytest.raises(TypeError, match="int32, int64"):
        tf.gather(tf.zeros([2, 3]), [0.5])
    i = tf.placeholder(tf.int32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"indices\[1\] = 5 is not in \[0, 2\)"):
        run(tf.gather(tf.zeros([2, 3]), i), {i: [0, 5]})


def test_gather_gradient_is_indexed_slices():
    x = tf.placeholder(tf.float32, [3, 2])
    y = tf.gather(x, [0, 2, 0])
    g = tf.gradients(tf.reduce_sum(y * y), x)[0]
    assert isinstance(g, tf.IndexedSlices)
    assert g.dtype == tf.float32 and g.shape.as_list() == [3, 2]
    v = RNG.randn(3, 2).astype(np.float32)
    val = run(g, {x: v})
    assert isinstance(val, tf.IndexedSlicesValue)
    np.testing.assert_array_equal(val.indices, [0, 2, 0])
    np.testing.assert_allclose(val.values, 2 * v[[0, 2, 0]])
    np.testing.assert_array_equal(val.dense_shape, [3, 2])
    dense = run(tf.convert_to_tensor(g), {x: v})
    want = np.zeros_like(v)
    np.add.at(want, [0, 2, 0], 2 * v[[0, 2, 0]])
    np.testing.assert_allclose(dense, want, rtol=1e-6)


def test_gather_gradient_trains_a_variable():
    v0 = np.arange(6, dtype=np.float32).reshape(3, 2)
    var = tf.Variable(v0)
    loss = tf.reduce_sum(tf.gather(var, [0, 2, 0]))
    grad = tf.gradients(loss, var)[0]
    assert isinstance(grad, tf.IndexedSlices)
    step = tf.assign_sub(var, 0.5 * grad)
    step2 = var.assign_sub(grad * tf.constant(0.5))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        np.testing.assert_allclose(sess.run(var), v0 - 0.5 * np.array([[2, 2], [0, 0], [1, 1]]))
        sess.run(step2)
        np.testing.assert_allclose(sess.run(var), v0 - np.array([[2, 2], [0, 0], [1, 1]]))


def test_gather_gradient_aggregates_with_dense_gradients():
    x = tf.placeholder(tf.float32, [3])
    y = tf.reduce_sum(tf.gather(x, [1, 1])) + tf.reduce_sum(x * 2.0) + \
        tf.reduce_sum(tf.gather(x, [0]))
    g = tf.gradients(y, x)[0]
    assert isinstance(g, tf.Tensor)
    np.testing.assert_allclose(run(g, {x: np.zeros(3)}), [3.0, 4.0, 2.0])
    neg = -tf.gradients(tf.reduce_sum(tf.gather(x, [2])), x)[0]
    np.testing.assert_allclose(run(tf.convert_to_tensor(neg), {x: np.zeros(3)}), [0, 0, -1])


def test_gather_gradients_fd():
    # The IndexedSlices reaches the Mul gradient, which converts it to a dense tensor.
    idx = np.array([[0, 2], [2, 2]])
    check_gradients(lambda x: tf.gather(x * 1.5, idx), {"x": RNG.randn(3, 2)},
                    op_types=["GatherV2"])
    check_gradients(lambda x: tf.gather(x, [3, 0, 3], axis=1), {"x": RNG.randn(2, 4, 3)},
                    op_types=["GatherV2"])
    check_gradients(lambda x: tf.gather(x, [2, 0], axis=-1), {"x": RNG.randn(2, 3)},
                    op_types=["GatherV2"])


def test_gather_batch_dims_gradient():
    idx = np.array([[0, 2, 2], [3, 1, 0]])
    check_gradients(lambda x: tf.gather(x, idx, axis=1, batch_dims=1),
                    {"x": RNG.randn(2, 4, 3)}, op_types=["GatherV2"])
    check_gradients(lambda x: tf.gather(x, idx[:, :2] % 3, axis=2, batch_dims=1),
                    {"x": RNG.randn(2, 4, 3)}, op_types=["GatherV2"])


# --- gather_nd / scatter_nd ------------------------------------------------------------------
def test_gather_nd():
    g = tf.gather_nd(P, [[0, 1], [1, 3]])
    assert g.name == "GatherNd:0" and g.shape.as_list() == [2, 3]
    np.testing.assert_array_equal(run(g), P[[0, 1], [1, 3]])
    g = tf.gather_nd(P, [[[1, 2, 0]], [[0, 0, 2]]])
    assert g.shape.as_list() == [2, 1]
    np.testing.assert_array_equal(run(g), [[P[1, 2, 0]], [P[0, 0, 2]]])
    with pytest.raises(ValueError, match=r"indices.shape\[-1\] must be <= params.rank"):
        tf.gather_nd(tf.zeros([2, 3]), [[0, 1, 2]])
    i = tf.placeholder(tf.int32, [None, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into param shape"):
        run(tf.gather_nd(tf.zeros([2, 3]), i), {i: [[0, 3]]})


def test_scatter_nd():
    s = tf.scatter_nd([[4], [3], [1], [7], [4]], [9, 10, 11, 12, 1], [8])
    assert s.name == "ScatterNd:0" and s.shape.as_list() == [8]
    np.testing.assert_array_equal(run(s), [0, 11, 0, 10, 10, 0, 0, 12])
    s = tf.scatter_nd([[0], [2]], [[1., 2.], [3., 4.]], tf.constant([3, 2]))
    np.testing.assert_array_equal(run(s), [[1, 2], [0, 0], [3, 4]])
    with pytest.raises(ValueError, match="must match dimensions"):
        tf.scatter_nd([[0], [1]], [1., 2., 3.], [4])
    i = tf.placeholder(tf.int32, [None, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not index into"):
        run(tf.scatter_nd(i, [1.0], [4]), {i: [[5]]})


def test_gather_nd_scatter_nd_gradients():
    idx = np.array([[0, 1], [1, 3], [0, 1]])
    check_gradients(lambda x: tf.gather_nd(x, idx), {"x": RNG.randn(2, 4, 3)},
                    op_types=["GatherNd"])
    check_gradients(lambda u: tf.scatter_nd([[1], [3], [1]], u, [5, 2]),
                    {"u": RNG.randn(3, 2)}, op_types=["ScatterNd"])


# --- dynamic_stitch --------------------------------------------------------------------------
def test_dynamic_stitch():
    s = tf.dynamic_stitch([[0, 2], [1]], [[10., 30.], [20.]])
    assert s.name == "DynamicStitch:0" and s.shape.as_list() == [3]
    np.testing.assert_array_equal(run(s), [10, 20, 30])
    s = tf.dynamic_stitch([[6], [4, 1], [[5, 2], [0, 3]]],
                          [[[61, 62]], [[41, 42], [11, 12]], [[[51, 52], [21, 22]],
                                                              [[1, 2], [31, 32]]]])
    np.testing.assert_array_equal(run(s), [[1, 2], [11, 12], [21, 22], [31, 32], [41, 42],
                                           [51, 52], [61, 62]])
    unk = tf.dynamic_stitch([tf.placeholder(tf.int32, [2]), [2]],
                            [tf.placeholder(tf.float32, [2, 4]), tf.zeros([1, 4])])
    assert unk.shape.as_list() == [None, 4]
    with pytest.raises(ValueError, match="does not start with"):
        tf.dynamic_stitch([[0, 1]], [[1.0, 2.0, 3.0]])


def test_dynamic_stitch_gradient():
    check_gradients(lambda a, b: tf.dynamic_stitch([[0, 3], [2, 1]], [a, b]),
                    {"a": RNG.randn(2, 3), "b": RNG.randn(2, 3)}, op_types=["DynamicStitch"])


# --- boolean_mask ----------------------------------------------------------------------------
def test_boolean_mask():
    m = np.array([[True, False, True, False], [False, False, False, True]])
    b = tf.boolean_mask(P, m)
    assert b.shape.as_list() == [None, 3] and b.op.name == "boolean_mask/GatherV2"
    np.testing.assert_array_equal(run(b), P[m])
    b = tf.boolean_mask(P, [True, False, False, True], axis=1)
    np.testing.assert_array_equal(run(b), P[:, [0, 3]])
    with pytest.raises(ValueError, match="mask cannot be scalar"):
        tf.boolean_mask(P, True)
    with pytest.raises(ValueError, match="incompatible"):
        tf.boolean_mask(tf.zeros([3, 2]), tf.placeholder(tf.bool, [2]))


def test_boolean_mask_gradient():
    m = np.array([True, False, True])
    check_gradients(lambda x: tf.boolean_mask(x, m), {"x": RNG.randn(3, 2)},
                    op_types=["GatherV2", "Where"])


# --- unique / setdiff1d ----------------------------------------------------------------------
def test_unique():
    y, idx = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])
    assert y.name == "Unique:0" and idx.name == "Unique:1"
    assert y.shape.as_list() == [None] and idx.shape.as_list() == [9]
    vy, vi = run([y, idx])
    np.testing.assert_array_equal(vy, [1, 2, 4, 7, 8])
    np.testing.assert_array_equal(vi, [0, 0, 1, 2, 2, 2, 3, 4, 4])
    y, idx, count = tf.unique_with_counts([5., 3., 5., 1.], out_idx=tf.int64)
    assert idx.dtype == tf.int64
    vy, vi, vc = run([y, idx, count])
    np.testing.assert_array_equal(vy, [5, 3, 1])
    np.testing.assert_array_equal(vi, [0, 1, 0, 2])
    np.testing.assert_array_equal(vc, [2, 1, 1])
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.unique(tf.zeros([2, 3]))


def test_setdiff1d():
    out, idx = tf.setdiff1d([1, 2, 3, 4, 5, 6, 2], [1, 3, 5])
    assert out.name == "ListDiff:0"
    vo, vi = run([out, idx])
    np.testing.assert_array_equal(vo, [2, 4, 6, 2])
    np.testing.assert_array_equal(vi, [1, 3, 5, 6])


def test_not_differentiable():
    from tensorflux.ops import registry

    for name in ("Unique", "UniqueWithCounts", "ListDiff"):
        assert registry.get(name).grad == registry.NOT_DIFFERENTIABLE


def test_gather_gradient_dynamic_axis_and_negative_batch_dims():
    def dynamic_axis(x):
        ax = tf.placeholder_with_default(tf.constant(1), [])
        return tf.gather(x, [2, 0, 2], axis=ax)
    check_gradients(dynamic_axis, {"x": RNG.randn(2, 3, 4)}, op_types=["GatherV2"])

    def negative_batch_dims(x):
        return tf.gather(x, [[1, 0], [2, 2]], axis=-1, batch_dims=-1)
    check_gradients(negative_batch_dims, {"x": RNG.randn(2, 3)}, op_types=["GatherV2"])

    def unknown_dims(x):
        y = tf.placeholder_with_default(x, [None, None, None])
        return tf.gather(y, [[1, 0], [2, 2]], axis=2, batch_dims=1)
    check_gradients(unknown_dims, {"x": RNG.randn(2, 2, 3)}, op_types=["GatherV2"])
