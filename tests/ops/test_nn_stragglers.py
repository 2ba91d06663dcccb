"""tf.nn stragglers against TensorFlow (tools/fixtures/gen_nn_stragglers.py): gelu, the sparse
embedding lookups, fractional pooling and its gradient ops, space_to_batch,
with_space_to_batch, collapse_repeated and ctc_unique_labels; plus finite-difference
gradient checks and properties of the random pooling sequences."""

import numpy as np
import pytest
from gradcheck import check_gradients
from lambda_cases import check_case, check_error, load

import tensorflux as tf
from tensorflux.ops import fractional_pool_ops as fpo

ALL_CASES, ARRAYS = load("stragglers/nn")
CASES = [c for c in ALL_CASES if not c["error"]]
ERRORS = [c for c in ALL_CASES if c["error"]]

# Composites whose inner op names differ from TF 2's (same values, shapes and dtypes).
NAMES_DIFFER = {
    "ctc_unique_labels": "TF 2's map_fn stacks with TensorList ops; tensorflux's TensorArrays",
    "ctc_unique_labels_i64": "TF 2's map_fn stacks with TensorList ops",
}


class _RawOps:
    """The `tf.raw_ops` entries the fixture cases call."""

    @staticmethod
    def FractionalMaxPoolGrad(orig_input, orig_output, out_backprop, row_pooling_sequence,  # noqa: N802
                              col_pooling_sequence, overlapping=False, name=None):
        return fpo.fractional_max_pool_grad(orig_input, orig_output, out_backprop,
                                            row_pooling_sequence, col_pooling_sequence,
                                            overlapping, name)

    @staticmethod
    def FractionalAvgPoolGrad(orig_input_tensor_shape, out_backprop, row_pooling_sequence,  # noqa: N802
                              col_pooling_sequence, overlapping=False, name=None):
        return fpo.fractional_avg_pool_grad(orig_input_tensor_shape, out_backprop,
                                            row_pooling_sequence, col_pooling_sequence,
                                            overlapping, name)


@pytest.fixture(autouse=True)
def _fresh_graph(monkeypatch):
    monkeypatch.setattr(tf, "raw_ops", _RawOps, raising=False)
    with tf.Graph().as_default():
        yield


def _tol(dtype):
    return 1e-5 if dtype in (np.float32, np.int32) else 1e-10


@pytest.mark.parametrize("spec", CASES, ids=lambda s: s["name"])
def test_case_matches_tf(spec):
    names = None if spec["name"] in NAMES_DIFFER else spec["names"]
    check_case(spec, ARRAYS, names=names, tol=_tol, grad_tol=_tol)


# Errors whose message names Python classes TF's way (tensorflux's classes differ).
_MESSAGE_PREFIX = {"els_dense_ids": "sp_ids must be SparseTensor, got",
                   "els_dense_weights": "sp_weights must be either None or SparseTensor,got"}


@pytest.mark.parametrize("spec", ERRORS, ids=lambda s: s["name"])
def test_error_matches_tf(spec):
    message = _MESSAGE_PREFIX.get(spec["name"], spec["message"].split(" for '{{node")[0])
    check_error(spec, ARRAYS, message)


# --- gradients (finite differences) ----------------------------------------------------------
RNG = np.random.RandomState(0)


@pytest.mark.parametrize("approximate", [False, True])
def test_gelu_gradient(approximate):
    check_gradients(lambda x: tf.nn.gelu(x, approximate=approximate),
                    {"x": RNG.randn(3, 4) * 2}, op_types=["Erfc" if not approximate else "Tanh"])


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
def test_embedding_lookup_sparse_gradient(combiner):
    indices = [[0, 0], [0, 1], [1, 0], [1, 1], [3, 0]]

    def build(p, w):
        sp_ids = tf.SparseTensor(indices, tf.constant([1, 3, 1, 0, 2], tf.int64), [4, 2])
        sp_w = tf.SparseTensor(indices, w, [4, 2])
        # (p * 1: a dense gradient for the checker, not the IndexedSlices of the lookup)
        return tf.nn.embedding_lookup_sparse(p * 1.0, sp_ids, sp_w, combiner=combiner)

    check_gradients(build, {"p": RNG.randn(5, 3), "w": RNG.rand(5) + 0.5},
                    op_types=["SegmentSum", "Unique"])


def test_safe_embedding_lookup_sparse_gradient():
    def build(p, w):
        indices = [[0, 0], [0, 1], [2, 0], [2, 1]]
        sp_ids = tf.SparseTensor(indices, tf.constant([1, -1, 0, 2], tf.int64), [3, 2])
        sp_w = tf.SparseTensor(indices, w * 1.0, [3, 2])
        return tf.nn.safe_embedding_lookup_sparse(p * 1.0, sp_ids, sp_w, combiner="sqrtn")

    check_gradients(build, {"p": RNG.randn(3, 2), "w": np.array([1.0, 2.0, 0.5, 1.5])},
                    op_types=["SparseFillEmptyRows", "Select"])


@pytest.mark.parametrize("overlapping", [False, True])
def test_fractional_max_pool_gradient(overlapping):
    # Distinct values, so that each region's max is unique and the gradient smooth.
    x = RNG.permutation(2 * 7 * 8 * 2).reshape(2, 7, 8, 2) / 10.0
    check_gradients(lambda v: tf.nn.fractional_max_pool(
        v, [1.0, 1.5, 1.7, 1.0], overlapping=overlapping, deterministic=True, seed=4)[0],
        {"v": x}, op_types=["FractionalMaxPool"])


@pytest.mark.parametrize("pseudo_random", [False, True])
def test_fractional_avg_pool_gradient(pseudo_random):
    check_gradients(lambda v: tf.nn.fractional_avg_pool(
        v, [1.0, 1.3, 2.2, 1.0], pseudo_random=pseudo_random, overlapping=True,
        deterministic=True, seed=2, seed2=8)[0],
        {"v": RNG.randn(1, 6, 9, 2)}, op_types=["FractionalAvgPool"])


def test_with_space_to_batch_gradient():
    w = RNG.randn(2, 2, 1, 2)
    check_gradients(lambda x: tf.nn.with_space_to_batch(
        x, [2, 2], "SAME", lambda x, n, p: tf.nn.conv2d(x, w, [1, 1, 1, 1], p),
        filter_shape=[2, 2]), {"x": RNG.randn(1, 5, 4, 1)},
        op_types=["SpaceToBatchND", "BatchToSpaceND"])


# --- fractional pooling: sequences and properties --------------------------------------------
def _run(*fetches, feed=None):
    with tf.Session() as sess:
        return sess.run(list(fetches), feed)


@pytest.mark.parametrize("pseudo_random", [False, True])
@pytest.mark.parametrize("ratio", [1.0, 1.3, 1.5, 2.0, 2.7])
def test_pooling_sequence_properties(pseudo_random, ratio):
    x = tf.constant(np.zeros((1, 17, 11, 1)))
    _, rows, cols = tf.nn.fractional_max_pool(x, [1.0, ratio, ratio, 1.0],
                                              pseudo_random=pseudo_random)
    for _ in range(5):  # fresh sequences each run
        r, c = _run(rows, cols)
        for seq, size in ((r, 17), (c, 11)):
            n = int(size // ratio)
            steps = np.diff(seq)
            assert seq[0] == 0 and seq[-1] == size and len(seq) == n + 1
            assert set(steps) <= {size // n, size // n + 1}


def test_deterministic_sequences_repeat_and_undeterministic_vary():
    x = tf.constant(RNG.randn(1, 40, 40, 1))
    det = tf.nn.fractional_avg_pool(x, [1.0, 1.5, 1.5, 1.0], deterministic=True)
    rand = tf.nn.fractional_avg_pool(x, [1.0, 1.5, 1.5, 1.0])
    with tf.Session() as sess:
        d = [sess.run(det[1]) for _ in range(3)]
        r = [sess.run(rand[1]).tolist() for _ in range(6)]
    assert all(np.array_equal(d[0], s) for s in d[1:])
    assert len({tuple(s) for s in r}) > 1


def test_output_is_pooling_over_returned_sequences():
    xv = RNG.randn(2, 9, 8, 3)
    x = tf.constant(xv)
    for overlapping in (False, True):
        out, rows, cols = _run(*tf.nn.fractional_max_pool(x, [1.0, 1.4, 1.6, 1.0],
                                                          overlapping=overlapping))
        avg, arows, acols = _run(*tf.nn.fractional_avg_pool(x, [1.0, 1.4, 1.6, 1.0],
                                                            overlapping=overlapping))
        extra = 1 if overlapping else 0
        for i in range(len(rows) - 1):
            for j in range(len(cols) - 1):
                region = xv[:, rows[i]:rows[i + 1] + extra, cols[j]:cols[j + 1] + extra, :]
                np.testing.assert_allclose(out[:, i, j], region.max(axis=(1, 2)))
        for i in range(len(arows) - 1):
            for j in range(len(acols) - 1):
                region = xv[:, arows[i]:arows[i + 1] + extra, acols[j]:acols[j + 1] + extra, :]
                np.testing.assert_allclose(avg[:, i, j], region.mean(axis=(1, 2)))


def test_gradient_ops_use_the_forward_sequences():
    xv = RNG.permutation(6 * 7).reshape(1, 6, 7, 1).astype(np.float64)
    x = tf.constant(xv)
    out, rows, cols = tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.0], overlapping=True)
    (g,) = tf.gradients(tf.reduce_sum(out), [x])
    gv, ov, rv, cv = _run(g, out, rows, cols)
    assert gv.sum() == ov.size  # every output cell sends its 1 to one input
    for i in range(len(rv) - 1):
        for j in range(len(cv) - 1):
            region = xv[0, rv[i]:rv[i + 1] + 1, cv[j]:cv[j + 1] + 1, 0]
            h, w = np.unravel_index(np.argmax(region), region.shape)
            assert gv[0, rv[i] + h, cv[j] + w, 0] >= 1


def test_gradient_of_gradient_op_is_not_registered():
    x = tf.constant(RNG.randn(1, 4, 4, 1))
    out = tf.nn.fractional_avg_pool(x, [1.0, 1.5, 1.5, 1.0])[0]
    (g,) = tf.gradients(out, [x])
    with pytest.raises(LookupError):
        tf.gradients(g, [x], grad_ys=tf.ones_like(g))


def test_bad_sequence_for_gradient_op():
    g = fpo.fractional_avg_pool_grad([1, 4, 4, 1], tf.ones([1, 2, 2, 1]), [0, 3, 2], [0, 2, 4])
    with pytest.raises(tf.errors.InvalidArgumentError):
        _run(g)


def test_public_names():
    for name in ("gelu", "embedding_lookup_sparse", "safe_embedding_lookup_sparse",
                 "fractional_max_pool", "fractional_avg_pool", "space_to_batch",
                 "with_space_to_batch", "collapse_repeated", "ctc_unique_labels"):
        assert callable(getattr(tf.nn, name)), name


def test_with_space_to_batch_dynamic_shape_matches_static():
    xv = RNG.randn(2, 7, 9, 2)
    w = RNG.randn(3, 3, 2, 3)

    def conv(x, n, p):
        return tf.nn.conv2d(x, w, [1, 1, 1, 1], p)

    ph = tf.placeholder(tf.float64, [None, None, None, 2])
    dyn = tf.nn.with_space_to_batch(ph, [2, 3], "SAME", conv, filter_shape=[3, 3])
    static = tf.nn.with_space_to_batch(tf.constant(xv), [2, 3], "SAME", conv,
                                       filter_shape=[3, 3])
    ref = tf.nn.convolution(tf.constant(xv), w, "SAME", dilation_rate=[2, 3])
    with tf.Session() as sess:
        a, b, c = sess.run([dyn, static, ref], {ph: xv})
    np.testing.assert_allclose(a, c, rtol=1e-10)
    np.testing.assert_allclose(b, c, rtol=1e-10)


def test_fractional_pool_unknown_shape():
    ph = tf.placeholder(tf.float32, [None, None, None, 3])
    out, rows, cols = tf.nn.fractional_max_pool(ph, [1.0, 2.0, 2.0, 1.0])
    assert out.shape.as_list() == [None, None, None, 3]
    with tf.Session() as sess:
        o, r, c = sess.run([out, rows, cols], {ph: np.ones((1, 8, 6, 3), np.float32)})
    assert o.shape == (1, 4, 3, 3) and r.tolist() == [0, 2, 4, 6, 8] and len(c) == 4
