"""The sparse ops added late (`tf.sparse_concat`, `tf.sparse.slice`, `tf.sparse_segment_sum`...)
and `tf.random.stateless_*`: names, dtypes, static shapes, values (bit-exact for the stateless
samplers) and error messages against fixtures from real TF, plus finite-difference gradients."""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "sparse_extras",
                       "sparse_extras.json")


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)


def _t(t):
    shape = None if t.shape.ndims is None else t.shape.as_list()
    return [t.name, t.dtype.name, shape]


def _check_value(got, want):
    """`want` is the fixture's [dtype, nested list]; float values match to float32 rounding."""
    got = np.asarray(got)
    assert str(got.dtype) == want[0]
    wanted = np.asarray(want[1], dtype=got.dtype)
    if got.size == 0:
        assert wanted.size == 0
        return
    assert got.shape == wanted.shape
    if got.dtype.kind == "f":
        np.testing.assert_allclose(got, wanted, rtol=1e-6, atol=1e-7)
    else:
        np.testing.assert_array_equal(got, wanted)


def _check(sess, x, want):
    """Compares a Tensor or SparseTensor with the generator's `_record` of TF's."""
    if isinstance(x, tf.SparseTensor):
        shape = None if x.shape.ndims is None else x.shape.as_list()
        assert shape == want["shape"]
        value = sess.run(x)
        for t, v, w in zip((x.indices, x.values, x.dense_shape), value, want["sparse"]):
            assert _t(t) == w[:3]
            _check_value(v, w[3])
        return
    assert _t(x) == want[:3]
    _check_value(sess.run(x), want[3])


def _graph_error(fn):
    with tf.Graph().as_default():
        with pytest.raises((ValueError, TypeError)) as info:
            fn()
    return [type(info.value).__name__, str(info.value)]


def _run_error(sess, fetch, feed=None):
    with pytest.raises(tf.errors.OpError) as info:
        sess.run(fetch, feed)
    return [type(info.value).__name__, str(info.value).split("\n")[0]]


def _a():
    return tf.SparseTensor([[0, 1], [1, 0], [1, 2]], [1.0, 2.0, 3.0], [2, 3])


def _b():
    return tf.SparseTensor([[0, 0], [1, 1]], [5.0, -4.0], [2, 2])


# --- 1. structure ops ---------------------------------------------------------------------------
def test_reshaping_ops_match_tf(expected):
    want = expected["reshaping"]
    with tf.Graph().as_default(), tf.Session() as sess:
        a, b = _a(), _b()
        c = tf.SparseTensor([[0, 2]], [7.0], [1, 3])
        ts = {
            "concat_1": tf.sparse_concat(1, [a, b]),
            "concat_0": tf.sparse.concat(0, [a, c], name="cc"),
            "concat_expand": tf.sparse_concat(0, [a, b], expand_nonconcat_dim=True),
            "reshape": tf.sparse_reshape(a, [3, 2]),
            "reshape_implied": tf.sparse.reshape(a, [-1, 3, 1], name="rs"),
            "slice": tf.sparse_slice(a, [0, 1], [2, 2]),
            "slice_named": tf.sparse.slice(a, [1, 0], [5, 5], name="sl"),
            "transpose": tf.sparse_transpose(a),
            "transpose_perm": tf.sparse.transpose(a, [1, 0], name="tr"),
            "retain": tf.sparse_retain(a, [True, False, True]),
            "reset_shape": tf.sparse_reset_shape(a),
            "reset_shape_new": tf.sparse.reset_shape(a, [4, 5]),
            "expand_dims": tf.sparse.expand_dims(a, 1),
            "expand_dims_last": tf.sparse.expand_dims(a),
            "eye": tf.sparse.eye(3, 4),
            "eye_int": tf.sparse.eye(2, dtype=tf.int32, name="ey"),
            "from_dense": tf.sparse.from_dense([[0, 3], [4, 0]]),
        }
        for k, st in ts.items():
            _check(sess, st, want[k])
        parts = tf.sparse_split(sp_input=a, num_split=2, axis=1)
        for p, w in zip(parts, want["split"]):
            _check(sess, p, w)
        parts = tf.sparse.split(sp_input=a, num_split=2, axis=0, name="sp")
        for p, w in zip(parts, want["split_named"]):
            _check(sess, p, w)
        filled, empty = tf.sparse_fill_empty_rows(
            tf.SparseTensor([[1, 1], [3, 0]], [1.0, 2.0], [5, 2]), -1.0)
        _check(sess, filled, want["fill_empty_rows"][0])
        _check(sess, empty, want["fill_empty_rows"][1])
        filled, empty = tf.sparse.fill_empty_rows(a, 0.0, name="fe")
        _check(sess, filled, want["fill_empty_rows_named"][0])
        _check(sess, empty, want["fill_empty_rows_named"][1])
        assert {"concat": ts["concat_1"].indices.op.type,
                "reshape": ts["reshape"].indices.op.type, "slice": ts["slice"].indices.op.type,
                "split": parts[0].indices.op.type,
                "transpose": ts["transpose"].indices.op.type,
                "fill": filled.indices.op.type} == want["types"]
        p = tf.sparse_placeholder(tf.float32, shape=[None, 3])
        q = tf.sparse_placeholder(tf.float32)
        cat = tf.sparse_concat(1, [p, a])
        assert cat.shape.as_list() == want["concat_unknown_shape"]
        assert _run_error(sess, cat, {p: ([[0, 0]], [1.0], [3, 3])}) == want["concat_error"]
        reshaped = tf.sparse_reshape(q, [4, -1])
        assert (_run_error(sess, reshaped, {q: ([[0, 0]], [1.0], [3, 3])})
                == want["reshape_run_error"])


def test_reshaping_errors_match_tf(expected):
    want = expected["reshaping"]
    assert _graph_error(lambda: tf.sparse_reshape(_a(), [4, 2])) == want["reshape_error"]
    assert (_graph_error(lambda: tf.sparse_reshape(_a(), [-1, -1]))
            == want["reshape_two_implied_error"])
    assert _graph_error(lambda: tf.sparse_reset_shape(_a(), [1, 5])) == want["reset_shape_error"]
    assert _graph_error(lambda: tf.sparse_split(1, 2, _a())) == want["split_keyword_error"]
    assert (_graph_error(lambda: tf.sparse.expand_dims(_a(), 1.5))
            == want["expand_dims_axis_error"])


# --- 2. value ops -------------------------------------------------------------------------------
def test_math_ops_match_tf(expected):
    want = expected["math"]
    with tf.Graph().as_default(), tf.Session() as sess:
        a = _a()
        a2 = tf.SparseTensor([[0, 0], [1, 1]], [0.5, 9.0], [2, 3])
        ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [2, 0, 3], [2, 2])
        weights = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [0.5, 1.5, 2.0], [2, 2])
        neg = tf.SparseTensor([[0, 0], [1, 2]], [-1.0, -3.0], [2, 3])
        ts = {
            "reduce_max": tf.sparse_reduce_max(a, 1),
            "reduce_max_all": tf.sparse_reduce_max(a),
            "reduce_max_keep": tf.sparse.reduce_max(a, 0, keepdims=True),
            "reduce_max_neg": tf.sparse_reduce_max(neg, 1),
            "reduce_max_empty_row": tf.sparse_reduce_max(
                tf.SparseTensor([[0, 0]], [-1], [2, 2]), 1),
            "reduce_max_sparse": tf.sparse_reduce_max_sparse(a, 1),
            "reduce_max_sparse_keep": tf.sparse.reduce_max_sparse(a, [0], keepdims=True),
            "reduce_sum_sparse": tf.sparse_reduce_sum_sparse(a, 0),
            "reduce_sum_sparse_all": tf.sparse.reduce_sum_sparse(a),
            "softmax": tf.sparse_softmax(a),
            "softmax_named": tf.sparse.softmax(neg, name="sm"),
            "maximum": tf.sparse_maximum(a, a2),
            "minimum": tf.sparse.minimum(a, a2, name="mn"),
            "to_indicator": tf.sparse_to_indicator(ids, 4),
            "to_indicator_named": tf.sparse.to_indicator(ids, 5, name="ti"),
            "merge": tf.sparse_merge(ids, weights, 4),
            "merge_named": tf.sparse.merge(ids, weights, 6, name="mg"),
        }
        for k, t in ts.items():
            _check(sess, t, want[k])
        assert {"reduce_max": ts["reduce_max"].op.type,
                "reduce_max_sparse": ts["reduce_max_sparse"].indices.op.type,
                "reduce_sum_sparse": ts["reduce_sum_sparse"].indices.op.type,
                "softmax": ts["softmax"].values.op.type,
                "maximum": ts["maximum"].values.op.type,
                "minimum": ts["minimum"].values.op.type} == want["types"]
        x = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]),
                             tf.constant([4, 0, 7]), tf.constant([10, 2]))
        masked = tf.sparse_mask(x, [0, 9])
        masked2 = tf.sparse.mask(x, tf.constant([7, 4]), name="mk")
        _check(sess, masked.values, want["mask"][0])
        _check(sess, masked.indices, want["mask"][1])
        _check(sess, masked2.values, want["mask_named"][0])
        _check(sess, masked2.indices, want["mask_named"][1])
        assert _run_error(sess, tf.sparse_maximum(a, _b())) == want["maximum_error"]
    assert _graph_error(lambda: tf.sparse_merge(_a(), _a(), 2.5)) == want["merge_type_error"]


def _sp_build(fn, indices, shape):
    """A gradcheck build function: `fn` of a SparseTensor with fixed indices, fed values."""
    return lambda values: fn(tf.SparseTensor(indices, values, shape))


def test_sparse_softmax_gradient():
    indices = [[0, 0], [0, 2], [1, 1], [2, 0], [2, 1], [2, 2]]
    check_gradients(_sp_build(lambda sp: tf.sparse_softmax(sp).values, indices, [3, 3]),
                    {"v": np.random.RandomState(0).randn(6)}, op_types=["SparseSoftmax"])


def test_sparse_slice_and_fill_gradients():
    indices = [[0, 0], [1, 2], [3, 1]]
    check_gradients(_sp_build(lambda sp: tf.sparse_slice(sp, [1, 1], [3, 2]).values, indices,
                              [4, 3]), {"v": [1.0, 2.0, 3.0]}, op_types=["SparseSlice"])

    def fill(values, default):
        sp = tf.SparseTensor(indices, values, [5, 3])
        return tf.sparse_fill_empty_rows(sp, default)[0].values

    check_gradients(fill, {"v": [1.0, 2.0, 3.0], "d": np.float64(-1.0)},
                    op_types=["SparseFillEmptyRows"])


# --- 3. SparseSegment* --------------------------------------------------------------------------
def test_segment_ops_match_tf(expected):
    want = expected["segments"]
    data_v = np.arange(12, dtype=np.float32).reshape(4, 3) - 5.0
    with tf.Graph().as_default(), tf.Session() as sess:
        data = tf.constant(data_v)
        idx, seg = [0, 2, 1, 3, 0], [0, 0, 1, 3, 3]
        ts = {
            "sum": tf.sparse_segment_sum(data, idx, seg),
            "mean": tf.sparse_segment_mean(data, idx, seg),
            "sqrt_n": tf.sparse_segment_sqrt_n(data, idx, seg),
            "sum_n": tf.sparse.segment_sum(data, idx, seg, num_segments=6, name="ss"),
            "mean_n": tf.sparse.segment_mean(data, idx, seg, num_segments=5),
            "sqrt_n_n": tf.sparse.segment_sqrt_n(data, idx, seg, num_segments=4),
            "sum_64": tf.sparse_segment_sum(data, tf.constant(idx, tf.int64), seg),
        }
        r = tf.constant(np.linspace(-1, 1, 15, dtype=np.float32).reshape(5, 3))
        for k, t in ts.items():
            _check(sess, t, want[k])
            assert t.op.type == want[k + "_type"]
            g = tf.gradients(t, data, grad_ys=r[:t.shape[0]] if t.shape[0] <= 5 else None)[0]
            _check_value(sess.run(g), want[k + "_grad"][3])
            assert g.op.type == want[k + "_grad"][0].split("/")[-1].split(":")[0]
        p = tf.placeholder(tf.float32, [None, 3])
        assert _t(tf.sparse_segment_sum(p, [0], [0])) == want["unknown"]
        assert (_run_error(sess, tf.sparse_segment_sum(data, [0, 1], [1, 0]))
                == want["unsorted_error"])
        assert (_run_error(sess, tf.sparse_segment_sum(data, [0, 9], [0, 0]))
                == want["index_error"])


@pytest.mark.parametrize("fn,op_type,op_type_n", [
    (tf.sparse_segment_sum, "SparseSegmentSum", "SparseSegmentSumWithNumSegments"),
    (tf.sparse_segment_mean, "SparseSegmentMean", "SparseSegmentMeanWithNumSegments"),
    (tf.sparse_segment_sqrt_n, "SparseSegmentSqrtN", "SparseSegmentSqrtNWithNumSegments"),
])
def test_segment_gradients(fn, op_type, op_type_n):
    data = np.random.RandomState(1).randn(5, 2)
    check_gradients(lambda d: fn(d, [4, 0, 0, 2, 1], [0, 0, 1, 1, 3]), {"d": data},
                    op_types=[op_type])
    check_gradients(lambda d: fn(d, [4, 0, 2], [0, 2, 2], num_segments=4), {"d": data},
                    op_types=[op_type_n])


# --- 4. tf.random.stateless_* -------------------------------------------------------------------
def test_stateless_random_match_tf_bit_for_bit(expected):
    want = expected["stateless"]
    with tf.Graph().as_default(), tf.Session() as sess:
        seed = [1, 2]
        ts = {
            "uniform": tf.random.stateless_uniform([2, 3], seed),
            "uniform_range": tf.random.stateless_uniform([5], [7, 9], minval=-2.0, maxval=3.0,
                                                         name="ur"),
            "uniform_f64": tf.random.stateless_uniform([3], seed, dtype=tf.float64),
            "uniform_int": tf.random.stateless_uniform([6], seed, minval=3, maxval=17,
                                                       dtype=tf.int32),
            "uniform_int64": tf.random.stateless_uniform([4], [3, 4], minval=-5, maxval=5,
                                                         dtype=tf.int64),
            "normal": tf.random.stateless_normal([2, 3], seed),
            "normal_scaled": tf.random.stateless_normal([4], [5, 6], mean=1.0, stddev=2.0,
                                                        dtype=tf.float64, name="nm"),
            "truncated": tf.random.stateless_truncated_normal([7], seed),
            "truncated_scaled": tf.random.stateless_truncated_normal([3], [0, 0], mean=-1.0,
                                                                     stddev=0.5),
            "categorical": tf.random.stateless_categorical([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]],
                                                           6, [7, 8]),
            "categorical_one": tf.random.stateless_categorical([[0.0, -1.0, 2.0, 0.5]], 9,
                                                               [1, 2], dtype=tf.int32,
                                                               name="ct"),
            "multinomial": tf.random.stateless_multinomial([[1.0, 2.0, 3.0]], 4, [7, 8]),
        }
        for k, t in ts.items():
            assert _t(t) == want[k][:3]
            got = sess.run(t)
            assert str(got.dtype) == want[k][3][0]
            np.testing.assert_array_equal(got, np.asarray(want[k][3][1], got.dtype))
            assert t.op.type == want[k + "_type"]
    assert (_graph_error(lambda: tf.random.stateless_uniform([2], [1, 2], dtype=tf.int32))
            == want["uniform_int_maxval_error"])


def test_stateless_categorical_follows_the_logits():
    """Many draws land on each class about as often as softmax(logits) says."""
    logits = np.log(np.array([[0.1, 0.6, 0.3]], np.float32))
    with tf.Graph().as_default(), tf.Session() as sess:
        draws = sess.run(tf.random.stateless_categorical(logits, 20000, [3, 4]))
    freq = np.bincount(draws.ravel(), minlength=3) / 20000.0
    np.testing.assert_allclose(freq, [0.1, 0.6, 0.3], atol=0.02)
