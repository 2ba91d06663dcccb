"""Generated tensors: fill, zeros/ones(_like), range, linspace, one_hot, sequence_mask, meshgrid."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

RNG = np.random.RandomState(0)


def run(t, feed=None):
    with tf.Session() as sess:
        return sess.run(t, feed)


# --- fill / zeros / ones ---------------------------------------------------------------------
def test_fill():
    f = tf.fill([2, 3], 1.0)
    assert f.name == "Fill:0" and f.shape.as_list() == [2, 3]
    assert [t.op.name for t in f.op.inputs] == ["Fill/dims", "Fill/value"]
    np.testing.assert_array_equal(run(f), np.ones((2, 3)))
    n = tf.placeholder(tf.int32, [])
    g = tf.fill(tf.stack([n, 2]), 7)
    assert g.shape.as_list() == [None, 2] and g.dtype == tf.int32
    assert run(g, {n: 3}).shape == (3, 2)
    with pytest.raises(ValueError, match="Shape must be rank 0 but is rank 1"):
        tf.fill([2, 3], [1.0])


def test_fill_gradient():
    check_gradients(lambda v: tf.fill([2, 3], v), {"v": np.array(1.5)}, op_types=["Fill"])


def test_zeros_ones():
    z = tf.zeros([2, 3])
    assert z.name == "zeros:0" and z.op.type == "Const" and z.dtype == tf.float32
    big = tf.ones([100, 100], tf.int32)
    assert big.op.type == "Fill" and big.name == "ones:0"
    assert run(big).sum() == 10000
    n = tf.placeholder(tf.int32, [])
    d = tf.zeros(tf.stack([n, 2]), tf.bool)
    assert d.shape.as_list() == [None, 2]
    assert run(d, {n: 2}).tolist() == [[False, False], [False, False]]
    assert run(tf.ones(3, tf.bool)).tolist() == [True] * 3
    assert run(tf.zeros(tf.TensorShape([2]))).tolist() == [0.0, 0.0]
    assert run(tf.zeros([2], tf.string)).tolist() == [b"", b""]


def test_scalar_zeros_and_ones_are_one_const():
    # TF: np.prod([]) == 1 < 1000, so a scalar shape gives a constant, not Fill and its inputs
    g = tf.get_default_graph()
    before = len(g.get_operations())
    z, o = tf.zeros([]), tf.ones((), tf.int32)
    assert (z.op.type, z.name, z.shape.ndims, o.op.type, o.name) == (
        "Const", "zeros:0", 0, "Const", "ones:0")
    assert len(g.get_operations()) == before + 2
    step = tf.train.get_or_create_global_step()
    assert step.initializer.inputs[1].op.name == "global_step/Initializer/zeros"
    assert (run(z), run(o)) == (0.0, 1)


def test_zeros_like_needs_no_feed_when_shape_is_known():
    x = tf.placeholder(tf.float32, [2, 3])
    z, o = tf.zeros_like(x), tf.ones_like(x, dtype=tf.int32)
    assert z.name == "zeros_like:0" and o.name == "ones_like:0"
    assert o.dtype == tf.int32
    np.testing.assert_array_equal(run(z), np.zeros((2, 3)))
    np.testing.assert_array_equal(run(o), np.ones((2, 3)))
    u = tf.placeholder(tf.float32, [None, 3])
    zu, ou = tf.zeros_like(u), tf.ones_like(u, dtype=tf.float64)
    assert zu.op.type == "ZerosLike" and zu.shape.as_list() == [None, 3]
    assert ou.dtype == tf.float64 and ou.shape.as_list() == [None, 3]
    np.testing.assert_array_equal(run(ou, {u: np.zeros((1, 3))}), np.ones((1, 3)))


# --- range -----------------------------------------------------------------------------------
def test_range():
    r = tf.range(5)
    assert r.name == "range:0" and r.dtype == tf.int32 and r.shape.as_list() == [5]
    assert [t.op.name for t in r.op.inputs] == ["range/start", "range/limit", "range/delta"]
    np.testing.assert_array_equal(run(tf.range(3, 18, 3)), [3, 6, 9, 12, 15])
    f = tf.range(1, 5.0)
    assert f.dtype == tf.float32 and f.shape.as_list() == [4]
    np.testing.assert_allclose(run(tf.range(0.0, 1.0, 0.3)), [0, 0.3, 0.6, 0.9], rtol=1e-6)
    np.testing.assert_array_equal(run(tf.range(5, 1, -2)), [5, 3])
    assert tf.range(1, 3, dtype=tf.int64).dtype == tf.int64
    with pytest.raises(ValueError, match="Requires start <= limit when delta > 0: 5/1"):
        tf.range(5, 1)
    n = tf.placeholder(tf.int32, [])
    r = tf.range(n)
    assert r.shape.as_list() == [None]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Requires start <= limit"):
        run(r, {n: -1})


# --- linspace --------------------------------------------------------------------------------
def test_linspace():
    s = tf.linspace(0., 1., 5)
    assert s.name == "LinSpace:0" and s.shape.as_list() == [5] and tf.lin_space is tf.linspace
    np.testing.assert_allclose(run(s), np.linspace(0, 1, 5))
    np.testing.assert_allclose(run(tf.linspace(10.0, 12.0, 1)), [10.0])
    n = tf.placeholder(tf.int32, [])
    assert tf.linspace(0., 1., n).shape.as_list() == [None]
    with pytest.raises(TypeError):
        tf.linspace(0, 1, 3)


def test_linspace_gradient():
    check_gradients(lambda a, b: tf.linspace(a, b, 4), {"a": np.array(0.5), "b": np.array(2.0)},
                    op_types=["LinSpace"])
    check_gradients(lambda a, b: tf.linspace(a, b, 1), {"a": np.array(0.5), "b": np.array(2.0)},
                    op_types=["LinSpace"], allow_none=("b",))


# --- one_hot ---------------------------------------------------------------------------------
def test_one_hot():
    o = tf.one_hot([0, 2, -1, 5], 3)
    assert o.name == "one_hot:0" and o.dtype == tf.float32 and o.shape.as_list() == [4, 3]
    assert [t.op.name for t in o.op.inputs] == ["one_hot/indices", "one_hot/depth",
                                                "one_hot/on_value", "one_hot/off_value"]
    np.testing.assert_array_equal(run(o), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    o = tf.one_hot([[0, 2], [1, 1]], 3, on_value=5, off_value=-1, axis=0)
    assert o.dtype == tf.int32 and o.shape.as_list() == [3, 2, 2]
    want = np.where(np.arange(3)[:, None, None] == np.array([[0, 2], [1, 1]]), 5, -1)
    np.testing.assert_array_equal(run(o), want)
    o = tf.one_hot([1], 2, off_value=0.5, axis=1)
    np.testing.assert_array_equal(run(o), [[0.5, 1.0]])
    assert tf.one_hot([1], 2, dtype=tf.int64).dtype == tf.int64
    assert tf.one_hot(tf.placeholder(tf.int64, [None]), 4).shape.as_list() == [None, 4]


def test_one_hot_errors():
    with pytest.raises(TypeError, match="of on_value does not match dtype parameter"):
        tf.one_hot([1, 2], 3, on_value=1.0, dtype=tf.int32)
    with pytest.raises(TypeError, match="does not match dtype <dtype: 'int32'> of off_value"):
        tf.one_hot([1, 2], 3, on_value=1.0, off_value=0)
    with pytest.raises(TypeError, match="not in list of allowed values"):
        tf.one_hot([1., 2.], 3)
    with pytest.raises(ValueError, match="axis must be >= -1"):
        tf.one_hot([1, 2], 3, axis=-2)


# --- sequence_mask ---------------------------------------------------------------------------
def test_sequence_mask():
    m = tf.sequence_mask([1, 3, 2], 5)
    assert m.name == "SequenceMask/Less:0" and m.dtype == tf.bool
    assert m.shape.as_list() == [3, 5]
    np.testing.assert_array_equal(run(m), np.arange(5) < np.array([[1], [3], [2]]))
    m = tf.sequence_mask([[1, 0], [2, 3]], dtype=tf.float32)
    assert m.dtype == tf.float32
    np.testing.assert_array_equal(run(m), (np.arange(3) < np.array([[1, 0], [2, 3]])[..., None]))
    with pytest.raises(ValueError, match="must be scalar for sequence_mask"):
        tf.sequence_mask([1, 2], [3])


# --- meshgrid --------------------------------------------------------------------------------
@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid(indexing):
    x, y, z = [1, 2, 3], [4, 5], [6., 7., 8., 9.]
    grids = tf.meshgrid(x, y, indexing=indexing)
    want = np.meshgrid(x, y, indexing=indexing)
    assert [g.shape.as_list() for g in grids] == [list(w.shape) for w in want]
    assert grids[0].op.name.startswith("meshgrid/")
    for g, w in zip(run(grids), want):
        np.testing.assert_array_equal(g, w)
    grids = tf.meshgrid(np.array(z), np.array(z[:2]), np.array(z[:3]), indexing=indexing)
    for g, w in zip(run(grids), np.meshgrid(z, z[:2], z[:3], indexing=indexing)):
        np.testing.assert_array_equal(g, w)


def test_meshgrid_errors():
    with pytest.raises(TypeError, match="invalid keyword"):
        tf.meshgrid([1], foo=1)
    with pytest.raises(ValueError, match="'xy' or 'ij'"):
        tf.meshgrid([1], indexing="yx")
