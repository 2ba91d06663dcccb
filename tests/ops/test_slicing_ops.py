"""Slicing: `x[...]` (StridedSlice), tf.strided_slice, tf.slice — values, static shapes, errors,
gradients."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

X = np.arange(60, dtype=np.float32).reshape(3, 4, 5)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# --- values match numpy ----------------------------------------------------------------------
KEYS = [
    (1,),
    (-1,),
    (slice(1, None),),
    (slice(None, None, -1),),
    (slice(None, None, -2), slice(1, 3)),
    (Ellipsis, 0),
    (Ellipsis, slice(None, None, 2)),
    (None, 1, Ellipsis, None),
    (slice(-2, None), None, slice(None, 1, -1), 3),
    (1, 2, 3),
    (slice(5, 10),),
    (slice(-10, 2),),
    (slice(3, 0, -1), slice(None), slice(4, None, -3)),
    (slice(2, 1),),
    (),
]


@pytest.mark.parametrize("key", KEYS, ids=[repr(k) for k in KEYS])
def test_getitem_matches_numpy(key):
    x = tf.constant(X)
    y = x[key]
    want = X[key]
    assert y.shape.as_list() == list(want.shape)
    got = run(y)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, want)


def test_names_follow_tf():
    x = tf.placeholder(tf.float32, [3, 4], name="x")
    y = x[1:, 0]
    assert y.name == "strided_slice:0"
    assert [t.op.name for t in y.op.inputs[1:]] == [
        "strided_slice/stack", "strided_slice/stack_1", "strided_slice/stack_2"]
    assert y.op.get_attr("shrink_axis_mask") == 2
    assert y.op.get_attr("begin_mask") == 0 and y.op.get_attr("end_mask") == 1
    assert x[0].name == "strided_slice_1:0"


def test_list_key_is_a_tuple_as_in_tf():
    x = tf.constant(X)
    assert x[[1, 0]].shape.as_list() == [5]
    np.testing.assert_array_equal(run(x[[1, 0]]), X[1, 0])


def test_newaxis_on_scalar_and_numpy_ints():
    s = tf.constant(3.0)
    assert s[tf.newaxis].shape.as_list() == [1]
    x = tf.constant(X)
    np.testing.assert_array_equal(run(x[np.int64(2), np.int32(1)]), X[2, 1])


def test_scalar_tensor_indices():
    x = tf.placeholder(tf.float32, [3, 4, 5])
    i = tf.placeholder(tf.int32, [])
    j = tf.placeholder(tf.int64, [])
    a, b, c = x[i], x[i:i + 2, ::2], x[..., j]
    assert a.shape.as_list() == [4, 5]
    assert b.shape.as_list() == [None, 2, 5]
    assert c.shape.as_list() == [3, 4]
    assert c.op.inputs[1].dtype == tf.int64
    va, vb, vc = run([a, b, c], {x: X, i: 1, j: -2})
    np.testing.assert_array_equal(va, X[1])
    np.testing.assert_array_equal(vb, X[1:3, ::2])
    np.testing.assert_array_equal(vc, X[..., -2])


# --- static shape inference with unknown dimensions -------------------------------------------
def test_unknown_dims_stay_unknown():
    x = tf.placeholder(tf.float32, [None, 5])
    assert x[1:3, 2:].shape.as_list() == [None, 3]
    assert x[::-1, -2].shape.as_list() == [None]
    assert x[:, tf.newaxis, 1:].shape.as_list() == [None, 1, 4]
    assert x[0].shape.as_list() == [5]
    assert x[..., 0].shape.as_list() == [None]
    # A 2**40-sized stand-in for unknown dims must never leak out as a size.
    assert x[-3:].shape.as_list() == [None, 5]
    assert x[:10**12, :10**12].shape.as_list() == [None, 5]


def test_unknown_rank_and_partially_known_spec():
    assert tf.placeholder(tf.float32)[1:3, 2].shape.ndims is None
    x = tf.placeholder(tf.float32, [6, 4])
    i = tf.placeholder(tf.int32, [])
    assert x[1:i, ::2].shape.as_list() == [None, 2]
    assert x[i:, 1].shape.as_list() == [None]
    b = tf.placeholder(tf.int32, [2])
    y = tf.strided_slice(x, b, [6, 4], [1, 1])
    assert y.shape.as_list() == [None, None]
    z = tf.strided_slice(x, tf.placeholder(tf.int32, [None]), [6], [1])
    assert z.shape.ndims is None


def test_shape_errors_at_graph_construction():
    x = tf.placeholder(tf.float32, [3, 2])
    with pytest.raises(ValueError, match="slice index 5 of dimension 0 out of bounds"):
        x[5]
    with pytest.raises(ValueError, match="slice index -4 of dimension 0 out of bounds"):
        x[-4]
    with pytest.raises(ValueError, match="Index out of range using input dim 2; input has only 2"):
        x[0, 0, 0]
    with pytest.raises(ValueError, match="Multiple ellipses in slice spec not allowed"):
        x[..., ...]
    with pytest.raises(ValueError, match=r"strides\[0\] must be non-zero"):
        x[::0]


def test_bad_index_types():
    x = tf.placeholder(tf.float32, [3, 2])
    for bad in (1.0, "a", tf.constant([1, 2]), tf.constant(1.0)):
        with pytest.raises(TypeError, match="Only integers, slices"):
            x[bad]


def test_bool_index_is_boolean_mask():
    x = tf.constant(X[:, :, 0])
    m = np.array([True, False, True])
    y = x[m]
    assert y.shape.as_list() == [None, 4]
    np.testing.assert_array_equal(run(y), X[:, :, 0][m])
    yt = x[tf.constant(m)]
    np.testing.assert_array_equal(run(yt), X[:, :, 0][m])


def test_runtime_index_out_of_range():
    x = tf.placeholder(tf.float32, [None, 2])
    i = tf.placeholder(tf.int32, [])
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of bounds"):
        run(x[i], {x: np.zeros((2, 2)), i: 2})


# --- tf.strided_slice ------------------------------------------------------------------------
def test_strided_slice_masks():
    x = tf.constant(X)
    y = tf.strided_slice(x, [0, 0, 0], [2, 3, 4], [1, 2, 3])
    assert y.name == "StridedSlice:0"
    np.testing.assert_array_equal(run(y), X[0:2, 0:3:2, 0:4:3])
    y = tf.strided_slice(x, [1, 0], [0, 0], [1, 1], begin_mask=0, end_mask=3,
                         shrink_axis_mask=0)
    np.testing.assert_array_equal(run(y), X[1:, :])
    y = tf.strided_slice(x, [0, 1], [0, 2], [1, 1], ellipsis_mask=1, shrink_axis_mask=2)
    np.testing.assert_array_equal(run(y), X[..., 1])
    y = tf.strided_slice(x, [0], [1])
    assert y.shape.as_list() == [1, 4, 5]
    assert y.op.inputs[3].op.type in ("Const", "OnesLike")


# --- tf.slice --------------------------------------------------------------------------------
def test_slice_values_and_shapes():
    x = tf.constant(X)
    y = tf.slice(x, [1, 0, 2], [2, -1, 3])
    assert y.name == "Slice:0"
    assert [t.op.name for t in y.op.inputs[1:]] == ["Slice/begin", "Slice/size"]
    assert y.shape.as_list() == [2, 4, 3]
    np.testing.assert_array_equal(run(y), X[1:3, :, 2:5])
    p = tf.placeholder(tf.float32, [3, None])
    assert tf.slice(p, [1, 1], [-1, -1]).shape.as_list() == [2, None]
    i = tf.placeholder(tf.int32, [])
    q = tf.placeholder(tf.float32, [3, 4])
    assert tf.slice(q, tf.stack([i, 1]), [2, -1]).shape.as_list() == [2, 3]
    assert tf.slice(q, tf.stack([1, i]), [2, -1]).shape.as_list() == [2, None]


def test_slice_errors():
    x = tf.placeholder(tf.float32, [3, 4])
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        tf.slice(x, [1, 1], [1])
    y = tf.slice(x, [1, 1], [3, -1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected size\[0\] in \[0, 2\]"):
        run(y, {x: np.zeros((3, 4))})
    y = tf.slice(x, [-1, 1], [1, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected begin\[0\] in \[0, 3\]"):
        run(y, {x: np.zeros((3, 4))})


# --- gradients -------------------------------------------------------------------------------
GRAD_KEYS = [
    (slice(1, None), slice(None, None, -2)),
    (Ellipsis, 1),
    (None, slice(None, 2), Ellipsis, slice(3, 0, -1)),
    (2, 1, 0),
]


@pytest.mark.parametrize("key", GRAD_KEYS, ids=[repr(k) for k in GRAD_KEYS])
def test_strided_slice_gradient(key):
    check_gradients(lambda x: x[key], {"x": np.random.RandomState(0).randn(3, 4, 5)},
                    op_types=["StridedSlice"])


def test_strided_slice_gradient_with_unknown_shape_and_tensor_index():
    def build(x):
        i = tf.constant(1)
        y = tf.placeholder_with_default(x, [None, None, 5])
        return y[i, ::-1]
    check_gradients(build, {"x": np.random.RandomState(1).randn(3, 4, 5)},
                    op_types=["StridedSlice", "PlaceholderWithDefault"])


def test_strided_slice_grad_is_differentiable():
    # d/dg of StridedSliceGrad(shape, ..., g) is a strided slice of the incoming gradient.
    def build(x):
        dy = tf.gradients(tf.reduce_sum(tf.square(x[1:, ::2])), x)[0]
        return dy * x
    check_gradients(build, {"x": np.random.RandomState(2).randn(4, 5)},
                    op_types=["StridedSliceGrad"])


def test_slice_gradient():
    check_gradients(lambda x: tf.slice(x, [1, 0, 2], [2, -1, 2]),
                    {"x": np.random.RandomState(3).randn(3, 4, 5)}, op_types=["Slice"])


def test_slice_gradient_dynamic_begin():
    def build(x):
        b = tf.placeholder_with_default(tf.constant([0, 1]), [None])
        return tf.slice(x, b, [2, 2])
    check_gradients(build, {"x": np.random.RandomState(4).randn(3, 4)}, op_types=["Slice"])


def test_variables_as_slice_bounds_and_index():
    """As TF: a Variable is read where a slice bound, step or index is expected."""
    y = tf.range(6)
    v = tf.Variable(3)
    w = tf.Variable(1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        a, b, c, d = sess.run([y[:v], y[w:v], y[v], y[::w]])
    np.testing.assert_array_equal(a, [0, 1, 2])
    np.testing.assert_array_equal(b, [1, 2])
    assert c == 3
    np.testing.assert_array_equal(d, np.arange(6))
