"""SparseTensor, sparse_placeholder feeding/fetching, and the sparse ops (values, names,
shapes, TF's index errors, finite-difference gradients)."""

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.ops import sparse_ops

IDX = np.array([[0, 0], [1, 2], [2, 1]], np.int64)
VAL = np.array([1.0, 2.0, -3.0])
SHAPE = np.array([3, 4], np.int64)


def _dense(idx=IDX, val=VAL, shape=SHAPE):
    out = np.zeros(tuple(shape), np.asarray(val).dtype)
    for i, v in zip(idx, val):
        out[tuple(i)] += v
    return out


def test_sparse_tensor_names_shape_and_fetch():
    st = tf.SparseTensor(indices=IDX, values=[1.0, 2.0, -3.0], dense_shape=[3, 4])
    assert st.indices.name == "SparseTensor/indices:0"
    assert st.values.name == "SparseTensor/values:0"
    assert st.dense_shape.name == "SparseTensor/dense_shape:0"
    assert st.indices.dtype == tf.int64 and st.dense_shape.dtype == tf.int64
    assert st.dtype == tf.float32 and st.shape.as_list() == [3, 4]
    assert st.op is st.values.op
    with tf.Session() as sess:
        v = sess.run(st)
        assert isinstance(v, tf.SparseTensorValue)
        np.testing.assert_array_equal(v.indices, IDX)
        np.testing.assert_array_equal(v.dense_shape, [3, 4])
        pair = sess.run({"a": st, "b": [st.values]})
        np.testing.assert_array_equal(pair["a"].values, VAL.astype(np.float32))
        assert st.eval().values.shape == (3,)


def test_sparse_tensor_rank_mismatch():
    with pytest.raises(ValueError):
        tf.SparseTensor(indices=IDX, values=[1.0, 2.0, 3.0], dense_shape=[3, 4, 5])
    with pytest.raises(TypeError):
        tf.convert_to_tensor(tf.SparseTensor(IDX, VAL, SHAPE))


def test_sparse_placeholder_names_and_feeds():
    sp = tf.sparse_placeholder(tf.float32)
    assert [sp.dense_shape.name, sp.values.name, sp.indices.name] == [
        "Placeholder:0", "Placeholder_1:0", "Placeholder_2:0"]
    assert sp.shape.ndims is None
    sp2 = tf.sparse_placeholder(tf.float32, shape=[3, 4], name="sp2")
    assert sp2.indices.name == "sp2/indices:0" and sp2.dense_shape.op.type == "Const"
    assert sp2.shape.as_list() == [3, 4] and sp2.indices.shape.as_list() == [None, 2]
    sp3 = tf.sparse_placeholder(tf.float32, shape=[None, 4], name="sp3")
    assert sp3.dense_shape.op.type == "Placeholder" and sp3.shape.as_list() == [None, 4]
    d = tf.sparse.to_dense(sp)
    with tf.Session() as sess:
        value = tf.SparseTensorValue(IDX, VAL, SHAPE)
        np.testing.assert_array_equal(sess.run(d, {sp: value}), _dense().astype(np.float32))
        # a plain (indices, values, shape) tuple is accepted too, and fetching gives it back
        out = sess.run(sp, {sp: (IDX, VAL, SHAPE)})
        assert isinstance(out, tf.SparseTensorValue)
        np.testing.assert_array_equal(out.values, VAL.astype(np.float32))
        np.testing.assert_array_equal(
            sess.run(tf.sparse_tensor_to_dense(sp2), {sp2: value}), _dense())


def test_sparse_to_dense_default_and_errors():
    st = tf.SparseTensor(IDX, VAL, SHAPE)
    d = tf.sparse_tensor_to_dense(st, default_value=7.0)
    assert d.op.type == "SparseToDense" and d.shape.as_list() == [3, 4]
    assert [t.name for t in d.op.inputs] == [
        "SparseTensor/indices:0", "SparseTensor/dense_shape:0", "SparseTensor/values:0",
        "SparseToDense/default_value:0"]
    expected = _dense()
    expected[expected == 0] = 7.0
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(d), expected)
        np.testing.assert_array_equal(sess.run(tf.sparse_to_dense([[0, 1]], [2, 3], 5.0)),
                                      [[0, 5, 0], [0, 0, 0]])
        np.testing.assert_array_equal(sess.run(tf.sparse_to_dense([0, 2], [4], 1)),
                                      [1, 0, 1, 0])
        for idx, msg in (([[1, 0], [0, 2]], r"indices\[1\] = \[0,2\] is out of order"),
                         ([[0, 0], [0, 0]], r"indices\[1\] = \[0,0\] is repeated"),
                         ([[0, 0], [5, 0]], r"indices\[1\] = \[5,0\] is out of bounds: need "
                                            r"0 <= index < \[3,4\]")):
            bad = tf.sparse.to_dense(tf.SparseTensor(idx, [1.0, 2.0], [3, 4]))
            with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
                sess.run(bad)
        unchecked = tf.sparse.to_dense(tf.SparseTensor([[1, 0], [0, 2]], [1.0, 2.0], [3, 4]),
                                       validate_indices=False)
        assert sess.run(unchecked)[0, 2] == 2.0


def test_sparse_add_dense_both_orders():
    st = tf.SparseTensor(IDX, VAL, SHAPE)
    x = tf.placeholder(tf.float64, [3, 4])
    a, b = tf.sparse_add(st, x), tf.sparse_add(x, st)
    assert a.op.type == "SparseTensorDenseAdd" and a.shape.as_list() == [3, 4]
    xv = np.arange(12.0).reshape(3, 4)
    with tf.Session() as sess:
        ra, rb = sess.run([a, b], {x: xv})
    np.testing.assert_allclose(ra, xv + _dense())
    np.testing.assert_allclose(rb, xv + _dense())
    with pytest.raises(TypeError, match="At least one input should be SparseTensor"):
        tf.sparse_add(x, x)


def test_sparse_add_sparse_threshold():
    a = tf.SparseTensor([[0, 0], [1, 1]], [1.0, -1.0], [2, 2])
    b = tf.SparseTensor([[1, 0], [1, 1]], [5.0, 1.01], [2, 2])
    s = tf.sparse.add(a, b, 0.2)
    assert s.indices.op.type == "SparseAdd" and s.indices.shape.as_list() == [None, 2]
    with tf.Session() as sess:
        v = sess.run(s)
        np.testing.assert_array_equal(v.indices, [[0, 0], [1, 0]])
        np.testing.assert_allclose(v.values, [1.0, 5.0])
        v = sess.run(tf.sparse.add(a, b))
        np.testing.assert_array_equal(v.indices, [[0, 0], [1, 0], [1, 1]])
        np.testing.assert_allclose(v.values, [1.0, 5.0, 0.01], rtol=1e-5)


@pytest.mark.parametrize("adj_a", [False, True])
@pytest.mark.parametrize("adj_b", [False, True])
def test_sparse_dense_matmul(adj_a, adj_b):
    rng = np.random.RandomState(0)
    a = _dense()
    b = rng.randn(5, 4) if adj_b else rng.randn(4, 5)
    if adj_a:
        a = a.T
        idx = IDX[:, ::-1][np.lexsort(IDX.T)]
        val = VAL[np.lexsort(IDX.T)]
        sp = tf.SparseTensor(idx, val, [4, 3])
    else:
        sp = tf.SparseTensor(IDX, VAL, SHAPE)
    out = tf.sparse_tensor_dense_matmul(sp, b, adjoint_a=adj_a, adjoint_b=adj_b)
    assert out.op.name == "SparseTensorDenseMatMul/SparseTensorDenseMatMul"
    assert out.shape.as_list() == [3, 5]
    with tf.Session() as sess:
        got = sess.run(out)
    np.testing.assert_allclose(got, (a.T if adj_a else a) @ (b.T if adj_b else b))


def test_sparse_dense_matmul_shape_error():
    with pytest.raises(ValueError, match="inner dimension does not match"):
        tf.sparse.matmul(tf.SparseTensor(IDX, VAL, SHAPE), tf.ones([3, 5], tf.float64))


def test_sparse_reduce_sum():
    st = tf.SparseTensor(IDX, VAL, SHAPE)
    r_all = tf.sparse_reduce_sum(st)
    r1 = tf.sparse_reduce_sum(st, axis=1)
    r1k = tf.sparse_reduce_sum(st, axis=1, keepdims=True)
    r0 = tf.sparse_reduce_sum(st, reduction_axes=[-2], keep_dims=False)
    assert r_all.shape.as_list() == [] and r1.shape.as_list() == [3]
    assert r1k.shape.as_list() == [3, 1] and r0.shape.as_list() == [4]
    assert r_all.op.name == "SparseReduceSum" and r1.op.name == "SparseReduceSum_1"
    sp = tf.sparse_placeholder(tf.float64)
    rs = tf.sparse_reduce_sum(sp, axis=1)
    assert rs.shape.ndims is None
    with tf.Session() as sess:
        vals = sess.run([r_all, r1, r1k, r0])
        fed = sess.run(rs, {sp: (IDX, VAL, SHAPE)})
    d = _dense()
    np.testing.assert_allclose(vals[0], d.sum())
    np.testing.assert_allclose(vals[1], d.sum(1))
    np.testing.assert_allclose(vals[2], d.sum(1, keepdims=True))
    np.testing.assert_allclose(vals[3], d.sum(0))
    np.testing.assert_allclose(fed, d.sum(1))


def test_sparse_reorder():
    st = tf.sparse.reorder(tf.SparseTensor([[1, 0], [0, 2]], [1.0, 2.0], [3, 4]))
    with tf.Session() as sess:
        v = sess.run(st)
    np.testing.assert_array_equal(v.indices, [[0, 2], [1, 0]])
    np.testing.assert_array_equal(v.values, [2.0, 1.0])


# --- gradients ------------------------------------------------------------------------------
def test_sparse_to_dense_gradient():
    check_gradients(
        lambda v, d: tf.sparse_to_dense(IDX, SHAPE, v, default_value=d) ** 2,
        {"v": VAL, "d": np.array(0.5)}, op_types=["SparseToDense"])


def test_sparse_dense_add_gradient():
    check_gradients(
        lambda v, x: tf.sparse_add(tf.SparseTensor(IDX, v, SHAPE), x) ** 2,
        {"v": VAL, "x": np.random.RandomState(1).randn(3, 4)},
        op_types=["SparseTensorDenseAdd"])


def test_sparse_add_gradient():
    def build(va, vb):
        a = tf.SparseTensor([[0, 0], [1, 1]], va, [2, 2])
        b = tf.SparseTensor([[1, 0], [1, 1]], vb, [2, 2])
        return tf.sparse.add(a, b).values * tf.constant([1.0, 2.0, 3.0], tf.float64)

    check_gradients(build, {"va": np.array([1.0, -1.0]), "vb": np.array([5.0, 2.0])},
                    op_types=["SparseAdd"])


@pytest.mark.parametrize("adj_a,adj_b", [(False, False), (True, False), (False, True),
                                         (True, True)])
def test_sparse_dense_matmul_gradient(adj_a, adj_b):
    rng = np.random.RandomState(2)
    shape = [4, 3] if adj_a else [3, 4]
    idx = IDX[:, ::-1][np.lexsort(IDX.T)] if adj_a else IDX
    b = rng.randn(5, 4) if adj_b else rng.randn(4, 5)
    check_gradients(
        lambda v, b: tf.sparse_tensor_dense_matmul(tf.SparseTensor(idx, v, shape), b,
                                                   adjoint_a=adj_a, adjoint_b=adj_b),
        {"v": VAL, "b": b}, op_types=["SparseTensorDenseMatMul"])


@pytest.mark.parametrize("axis,keep", [(None, False), (1, False), (0, True), ([0, 1], True)])
def test_sparse_reduce_sum_gradient(axis, keep):
    check_gradients(
        lambda v: tf.sparse_reduce_sum(tf.SparseTensor(IDX, v, SHAPE), axis=axis,
                                       keepdims=keep) ** 2,
        {"v": VAL}, op_types=["SparseReduceSum"])


def test_sparse_reorder_gradient():
    check_gradients(
        lambda v: tf.sparse.reorder(tf.SparseTensor([[1, 0], [0, 2], [0, 1]], v, [3, 4])).values
        * tf.constant([1.0, 2.0, 3.0], tf.float64),
        {"v": np.array([1.0, 2.0, 3.0])}, op_types=["SparseReorder"])


def test_namespace():
    assert tf.sparse.to_dense is sparse_ops.sparse_tensor_to_dense
    assert tf.sparse.SparseTensor is tf.SparseTensor
    assert tf.sparse.sparse_dense_matmul is tf.sparse_tensor_dense_matmul
