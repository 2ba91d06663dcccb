"""Array manipulation: where/select, broadcast_to, expand_dims, squeeze, split, tile, reverse,
reverse_sequence — values, names, static shapes, errors, gradients."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

RNG = np.random.RandomState(0)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# --- where / select --------------------------------------------------------------------------
def test_where_coordinates():
    c = tf.constant([[True, False], [False, True]])
    w = tf.where(c)
    assert w.name == "Where:0" and w.dtype == tf.int64 and w.shape.as_list() == [None, 2]
    np.testing.assert_array_equal(run(w), [[0, 0], [1, 1]])
    # Numeric conditions count nonzero elements.
    np.testing.assert_array_equal(run(tf.where([0, 3, 0, 1])), [[1], [3]])
    assert run(tf.where(tf.zeros([0], tf.bool))).shape == (0, 1)


def test_where_select_names_and_values():
    s = tf.where([True, False], [1, 2], [3, 4])
    assert s.name == "Select:0"
    assert [t.op.name for t in s.op.inputs] == ["Select/condition", "Select/t", "Select/e"]
    np.testing.assert_array_equal(run(s), [1, 4])
    rows = tf.where([True, False], [[1, 2], [3, 4]], [[5, 6], [7, 8]])
    np.testing.assert_array_equal(run(rows), [[1, 2], [7, 8]])
    v2 = tf.where_v2([[True], [False]], [1.0, 2.0], 0.0)
    assert v2.name == "SelectV2:0" and v2.shape.as_list() == [2, 2]
    np.testing.assert_array_equal(run(v2), [[1, 2], [0, 0]])


def test_where_errors():
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None"):
        tf.where([True], [1])
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        tf.where([True, False, True], tf.zeros([2, 3]), tf.zeros([2, 3]))
    with pytest.raises(ValueError):
        tf.where([True, False], tf.zeros([2]), tf.zeros([3]))
    with pytest.raises(TypeError, match="Input 'e' of 'Select' Op has type int32"):
        tf.where([True], tf.zeros([1]), tf.zeros([1], tf.int32))


def test_select_gradients():
    c = np.array([True, False, True])
    check_gradients(lambda x, y: tf.where(c, x, y),
                    {"x": RNG.randn(3, 2), "y": RNG.randn(3, 2)}, op_types=["Select"])
    check_gradients(lambda x, y: tf.where_v2(np.array([[True], [False]]), x, y),
                    {"x": RNG.randn(2, 3), "y": RNG.randn(3)}, op_types=["SelectV2"])


def test_select_v2_gradient_selects_against_a_scalar_zero_as_tf():
    """TF's SelectV2 gradient is `where_v2(c, grad, zeros([]))` (dropout's backward pass), not a
    zeros_like of the gradient; Select's keeps zeros shaped like x."""
    x = tf.placeholder(tf.float32, [4, 5], name="x")
    c = tf.placeholder(tf.bool, [4, 5], name="c")
    y = tf.where_v2(c, x, 0.0)
    gx, = tf.gradients(y, [x])
    zero = gx.op.inputs[2]
    assert gx.op.type == "SelectV2" and gx.name == "gradients/SelectV2_grad/SelectV2:0"
    assert zero.op.name == "gradients/SelectV2_grad/zeros" and zero.shape.as_list() == []
    s = tf.where(tf.constant([True, False]), tf.ones([2]), tf.zeros([2]))
    gs, = tf.gradients(s, [s.op.inputs[1]])
    assert gs.op.type == "Select" and gs.op.inputs[2].shape.as_list() == [2]
    cv = RNG.rand(4, 5) > 0.5
    np.testing.assert_array_equal(run(gx, {x: RNG.randn(4, 5), c: cv}), cv.astype(np.float32))


# --- broadcast_to ----------------------------------------------------------------------------
def test_broadcast_to():
    b = tf.broadcast_to([1, 2, 3], [2, 3])
    assert b.name == "BroadcastTo:0" and b.shape.as_list() == [2, 3]
    np.testing.assert_array_equal(run(b), [[1, 2, 3], [1, 2, 3]])
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 3 and 4"):
        tf.broadcast_to(tf.zeros([3]), [2, 4])
    p = tf.placeholder(tf.float32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Unable to broadcast"):
        run(tf.broadcast_to(p, [2, 4]), {p: np.zeros(3)})


def test_broadcast_to_gradient():
    check_gradients(lambda x: tf.broadcast_to(x, [2, 3, 4]), {"x": RNG.randn(3, 1)},
                    op_types=["BroadcastTo"])


# --- expand_dims / squeeze -------------------------------------------------------------------
def test_expand_dims():
    x = tf.placeholder(tf.float32, [2, None], name="x")
    y = tf.expand_dims(x, -1)
    assert y.name == "ExpandDims:0" and y.op.inputs[1].op.name == "ExpandDims/dim"
    assert y.shape.as_list() == [2, None, 1]
    assert tf.expand_dims(x, 0).shape.as_list() == [1, 2, None]
    assert tf.expand_dims(x, dim=1).shape.as_list() == [2, 1, None]
    with pytest.raises(ValueError, match=r"dim 4 not in the interval \[-3, 2\]"):
        tf.expand_dims(x, 4)
    with pytest.raises(ValueError, match="Must specify an axis"):
        tf.expand_dims(x)
    assert run(tf.expand_dims([1, 2], 1)).shape == (2, 1)


def test_squeeze():
    x = tf.placeholder(tf.float32, [1, None, 1, 3])
    assert tf.squeeze(x, [0, 2]).shape.as_list() == [None, 3]
    assert tf.squeeze(x, axis=-2).shape.as_list() == [1, None, 3]
    assert tf.squeeze(x).shape.ndims is None  # an unknown dim might be 1
    assert tf.squeeze(tf.zeros([1, 2, 1])).shape.as_list() == [2]
    with pytest.raises(ValueError, match=r"Can not squeeze dim\[3\], expected a dimension of 1"):
        tf.squeeze(x, [3])
    with pytest.raises(ValueError, match=r"squeeze_dims\[0\] not in \[-4,4\)"):
        tf.squeeze(x, [4])
    y = tf.squeeze(x, [1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Can not squeeze dim"):
        run(y, {x: np.zeros((1, 2, 1, 3))})
    assert run(tf.squeeze(x), {x: np.zeros((1, 2, 1, 3))}).shape == (2, 3)


def test_expand_squeeze_gradients():
    check_gradients(lambda x: tf.expand_dims(x, 1), {"x": RNG.randn(2, 3)},
                    op_types=["ExpandDims"])
    check_gradients(lambda x: tf.squeeze(x, [0, 2]), {"x": RNG.randn(1, 3, 1)},
                    op_types=["Squeeze"])


# --- split -----------------------------------------------------------------------------------
def test_split_num():
    x = tf.placeholder(tf.float32, [2, 6, 3], name="x")
    parts = tf.split(x, 3, axis=1)
    assert isinstance(parts, list) and len(parts) == 3
    assert [p.name for p in parts] == ["split:0", "split:1", "split:2"]
    assert parts[0].op.type == "Split" and parts[0].op.inputs[0].op.name == "split/split_dim"
    assert all(p.shape.as_list() == [2, 2, 3] for p in parts)
    v = RNG.randn(2, 6, 3).astype(np.float32)
    for got, want in zip(run(parts, {x: v}), np.split(v, 3, axis=1)):
        np.testing.assert_array_equal(got, want)


def test_split_sizes():
    x = tf.placeholder(tf.float32, [2, 6, 3], name="x")
    parts = tf.split(x, [1, -1, 2], axis=1)
    assert parts[0].op.type == "SplitV"
    assert [t.op.name for t in parts[0].op.inputs] == ["x", "Const", "split/split_dim"]
    assert [p.shape.as_list() for p in parts] == [[2, 1, 3], [2, 3, 3], [2, 2, 3]]
    v = RNG.randn(2, 6, 3).astype(np.float32)
    got = run(parts, {x: v})
    for g, w in zip(got, np.split(v, [1, 4], axis=1)):
        np.testing.assert_array_equal(g, w)
    unk = tf.split(tf.placeholder(tf.float32, [2, None]), [-1, 3], axis=1)
    assert [p.shape.as_list() for p in unk] == [[2, None], [2, 3]]
    dyn = tf.split(x, 2, axis=tf.placeholder(tf.int32, []))
    assert [p.shape.as_list() for p in dyn] == [[None, None, None]] * 2
    sizes = tf.placeholder(tf.int32, [2])
    a, b = tf.split(x, sizes, axis=-1)
    va, vb = run([a, b], {x: v, sizes: [2, 1]})
    np.testing.assert_array_equal(vb, v[..., 2:])


def test_split_errors():
    x = tf.placeholder(tf.float32, [2, 5])
    with pytest.raises(ValueError, match="Dimension size must be evenly divisible by 3 but is 5"):
        tf.split(x, 3, axis=1)
    with pytest.raises(ValueError, match=r"can't split axis of size 5 into pieces of size \[1,2\]"):
        tf.split(x, [1, 2], axis=1)
    with pytest.raises(ValueError, match="size_splits can only have one -1"):
        tf.split(x, [-1, -1, 3], axis=1)
    with pytest.raises(ValueError, match="Rank-0 tensors are not supported"):
        tf.split(x, tf.constant(2), axis=1)
    with pytest.raises(ValueError, match="Shape must be at least rank 3 but is rank 2"):
        tf.split(x, 1, axis=2)
    p = tf.placeholder(tf.float32, [2, None])
    parts = tf.split(p, 2, axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="evenly divide"):
        run(parts, {p: np.zeros((2, 5))})


def test_split_gradients():
    check_gradients(lambda x: tf.split(x, 3, axis=1)[::2], {"x": RNG.randn(2, 6)},
                    op_types=["Split"])
    check_gradients(lambda x: tf.split(x, [1, -1], axis=0), {"x": RNG.randn(4, 2)},
                    op_types=["SplitV"])


# --- tile ------------------------------------------------------------------------------------
def test_tile():
    x = tf.placeholder(tf.float32, [2, 6, 3], name="x")
    t = tf.tile(x, [1, 2, 3])
    assert t.name == "Tile:0" and t.op.inputs[1].op.name == "Tile/multiples"
    assert t.shape.as_list() == [2, 12, 9]
    v = RNG.randn(2, 6, 3).astype(np.float32)
    np.testing.assert_array_equal(run(t, {x: v}), np.tile(v, [1, 2, 3]))
    i = tf.placeholder(tf.int32, [])
    assert tf.tile(tf.placeholder(tf.float32, [2, None]), tf.stack([2, i])).shape.as_list() == \
        [4, None]
    assert tf.tile(tf.placeholder(tf.float32, [2, None]), [2, 0]).shape.as_list() == [4, 0]
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 3"):
        tf.tile(tf.zeros([2, 3]), [1, 2, 3])
    m = tf.placeholder(tf.int32, [None])
    with pytest.raises(tf.errors.InvalidArgumentError, match="vector of length 2"):
        run(tf.tile(tf.zeros([2, 3]), m), {m: [1, 2, 3]})


def test_tile_gradient():
    check_gradients(lambda x: tf.tile(x, [2, 1, 3]), {"x": RNG.randn(2, 3, 2)},
                    op_types=["Tile"])

    def dynamic(x):
        return tf.tile(tf.placeholder_with_default(x, [None, None]), [3, 2])
    check_gradients(dynamic, {"x": RNG.randn(2, 3)}, op_types=["Tile"])


# --- reverse ---------------------------------------------------------------------------------
def test_reverse():
    x = tf.placeholder(tf.float32, [2, 6, 3], name="x")
    r = tf.reverse(x, [1, -1])
    assert r.name == "ReverseV2:0" and r.op.inputs[1].op.name == "ReverseV2/axis"
    assert tf.reverse_v2 is tf.reverse
    v = RNG.randn(2, 6, 3).astype(np.float32)
    np.testing.assert_array_equal(run(r, {x: v}), v[:, ::-1, ::-1])
    with pytest.raises(ValueError, match=r"'axis'\[0\] = 3 is out of valid range"):
        tf.reverse(x, [3])
    with pytest.raises(ValueError, match="axis 1 specified more than once"):
        tf.reverse(x, [1, -2])
    np.testing.assert_array_equal(run(tf.reverse(x, tf.constant([], tf.int32)), {x: v}), v)


def test_reverse_gradient():
    check_gradients(lambda x: tf.reverse(x, [0, 2]), {"x": RNG.randn(2, 3, 4)},
                    op_types=["ReverseV2"])


# --- reverse_sequence ------------------------------------------------------------------------
def test_reverse_sequence():
    r = tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1)
    assert r.name == "ReverseSequence:0" and r.shape.as_list() == [2, 3]
    np.testing.assert_array_equal(run(r), [[2, 1, 3], [6, 5, 4]])
    x = np.arange(24).reshape(2, 3, 4)
    r = tf.reverse_sequence(x, [1, 4, 2], seq_dim=2, batch_dim=1)
    want = x.copy()
    for b, n in enumerate([1, 4, 2]):
        want[:, b, :n] = x[:, b, :n][:, ::-1]
    np.testing.assert_array_equal(run(r), want)
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        tf.reverse_sequence(tf.zeros([2, 3]), [1, 2, 3], seq_axis=1)
    p = tf.placeholder(tf.int32, [2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="seq_lengths"):
        run(tf.reverse_sequence(tf.zeros([2, 3]), p, 1), {p: [1, 5]})


def test_reverse_sequence_gradient():
    check_gradients(lambda x: tf.reverse_sequence(x, [3, 1], seq_axis=1, batch_axis=0),
                    {"x": RNG.randn(2, 4, 2)}, op_types=["ReverseSequence"])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("fill", [0.0, -0.0, 2.5, np.nan])
def test_where_v2_with_a_single_value_is_exact(dtype, fill):
    """The bit-mask path of large selects (dropout) gives np.where's exact bits."""
    rng = np.random.default_rng(11)
    keep = rng.random((64, 100)) > 0.4
    x = rng.standard_normal((64, 100)).astype(dtype)
    x[0, :4] = [np.nan, -0.0, np.inf, -np.inf]
    keep[0, :4] = True
    c = tf.placeholder(tf.bool, keep.shape)
    v = tf.placeholder(tf.as_dtype(dtype), x.shape)
    f = tf.constant(fill, dtype=tf.as_dtype(dtype))
    with tf.Session() as sess:
        a, b = sess.run([tf.where_v2(c, v, f), tf.where_v2(c, f, v)], {c: keep, v: x})
    for got, want in ((a, np.where(keep, x, dtype(fill))), (b, np.where(keep, dtype(fill), x))):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))
