"""tf.TensorArray (TensorList-backed, as in a TF 2 graph): values, static shapes, names and
run-time errors against real TensorFlow (tests/fixtures/tensor_array, recorded by
tools/fixtures/gen_tensor_array.py from the programs in tensor_array_programs.py), gradients
against finite differences, and the list ops on both backends."""

import json
import os

import numpy as np
import pytest
import tensor_array_programs as programs
from gradcheck import check_gradients

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "tensor_array")
with open(os.path.join(FIXTURES, "programs.json")) as f:
    RECORD = json.load(f)
VALUES = dict(np.load(os.path.join(FIXTURES, "values.npz")))


def _shape(t):
    return None if t.shape.ndims is None else t.shape.as_list()


@pytest.mark.parametrize("name", sorted(programs.PROGRAMS))
def test_program_matches_tensorflow(name):
    want = RECORD["programs"][name]
    with tf.Graph().as_default():
        fetches, feeds = programs.PROGRAMS[name](tf)
        assert sorted(fetches) == sorted(want)
        with tf.Session() as sess:
            got = sess.run(fetches, feeds)
    for key, t in fetches.items():
        w = want[key]
        assert t.dtype.name == w["dtype"], key
        assert _shape(t) == w["shape"], (key, t.shape, w["shape"])
        if not w["name"].startswith("gradients/"):
            # gradient tensors are named by each engine's while-loop gradient (TF builds a
            # While op named while_grad, tensorflux a WhileGrad op): values are compared
            assert t.name == w["name"], key
        if w["dtype"] != "variant":
            np.testing.assert_allclose(got[key], VALUES["%s/%s" % (name, key)], rtol=1e-5,
                                       atol=1e-6, err_msg=key)


@pytest.mark.parametrize("name", sorted(programs.ERRORS))
def test_run_time_errors_are_tensorflows(name):
    cls, message = RECORD["errors"][name]
    with tf.Graph().as_default():
        fetch, feeds = programs.ERRORS[name](tf)
        with tf.Session() as sess, pytest.raises(getattr(tf.errors, cls)) as info:
            sess.run(fetch, feeds)
    assert message in str(info.value)


def test_gradients_through_a_loop_of_writes_and_reads():
    def rnn(x, w):
        xs = tf.TensorArray(tf.float64, size=3).unstack(x)
        hs = tf.TensorArray(tf.float64, size=3)

        def body(t, h, hs):
            h = tf.tanh(tf.matmul(h, w) + xs.read(t)[None, :])
            return t + 1, h, hs.write(t, h[0])

        _, h, hs = tf.while_loop(lambda t, h, hs: t < 3, body,
                                 [tf.constant(0), tf.zeros([1, 2], tf.float64), hs])
        return [hs.stack(), h]

    rng = np.random.RandomState(0)
    check_gradients(rnn, {"x": rng.randn(3, 2), "w": rng.randn(2, 2) * 0.5},
                    op_types=["TensorListFromTensor", "TensorListReserve", "TensorListStack",
                              "StatelessWhile"])


@pytest.mark.parametrize("method", ["gather", "concat", "scatter", "split", "read", "dynamic"])
def test_list_op_gradients(method):
    rng = np.random.RandomState(1)

    def build(x):
        if method == "gather":
            return tf.TensorArray(tf.float64, size=4).unstack(x).gather([2, 0, 3])
        if method == "concat":
            return tf.TensorArray(tf.float64, size=4).unstack(x).concat()
        if method == "scatter":
            return tf.TensorArray(tf.float64, size=6).scatter([5, 1, 2, 0], x).stack()
        if method == "split":
            return tf.TensorArray(tf.float64, size=3).split(tf.reshape(x, [12]),
                                                           [5, 4, 3]).concat()
        if method == "read":
            ta = tf.TensorArray(tf.float64, size=4).unstack(x)
            return ta.read(1) * ta.read(3) + ta.write(1, x[0] * x[2]).read(1)
        ta = tf.TensorArray(tf.float64, size=1, dynamic_size=True)
        return ta.write(0, x[0]).write(3, x[1] * 2.0).stack()

    types = {"gather": "TensorListGather", "concat": "TensorListConcatV2",
             "scatter": "TensorListScatterIntoExistingList", "split": "TensorListSplit",
             "read": "TensorListGetItem", "dynamic": "TensorListSetItem"}
    check_gradients(build, {"x": rng.randn(4, 3)}, op_types=[types[method]])


@pytest.mark.parametrize("size", [2, 6])
def test_resize_gradient(size):
    """TensorListResize (behind writes past the end of a dynamic array): shrinking drops rows
    and their gradients, growing adds zero rows."""
    from tensorflux.ops import list_ops

    def build(x):
        lst = list_ops.tensor_list_resize(list_ops.tensor_list_from_tensor(x, [3]), size)
        return list_ops.tensor_list_stack(lst, tf.float64, element_shape=[3])

    check_gradients(build, {"x": np.random.RandomState(3).randn(4, 3)},
                    op_types=["TensorListResize", "TensorListStack"])


def test_gather_gradient_with_repeated_indices_is_tensorflows():
    """TF's gather gradient scatters into a zero list, so a repeated index keeps one of its
    gradients instead of their sum (TF 2.21 gives 1, not 2, below): kept as TF has it."""
    x = tf.placeholder(tf.float64, [4, 3])
    ta = tf.TensorArray(tf.float64, size=4).unstack(x)
    g, = tf.gradients(tf.reduce_sum(ta.gather([2, 0, 2])), x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(g, {x: np.zeros((4, 3))}),
                                      [[1, 1, 1], [0, 0, 0], [1, 1, 1], [0, 0, 0]])


def test_a_captured_array_read_in_a_loop():
    """An array made outside the loop and read inside it (a captured list): its gradient is
    the sum of the per-iteration read gradients."""
    def build(x):
        xs = tf.TensorArray(tf.float64, size=4).unstack(x)
        _, acc = tf.while_loop(lambda i, a: i < 4,
                               lambda i, a: (i + 1, a + xs.read(i) * tf.cast(i + 1, tf.float64)),
                               [0, tf.zeros([3], tf.float64)])
        return acc

    check_gradients(build, {"x": np.random.RandomState(2).randn(4, 3)}, op_types=["StatelessWhile"])


def test_static_shapes_and_api():
    ta = tf.TensorArray(tf.float32, size=2, element_shape=[3])
    assert ta.dtype == tf.float32 and ta.handle is None and ta.element_shape.as_list() == [3]
    w = ta.write(0, tf.zeros([3]))
    assert w.read(1).shape.as_list() == [3] and w.stack().shape.as_list() == [2, 3]
    assert w.flow.dtype == tf.variant and w.flow.shape.as_list() == []
    assert w.close().type == "NoOp"
    infer = tf.TensorArray(tf.float32, size=2).write(0, tf.zeros([5, 2]))
    assert infer.element_shape.as_list() == [5, 2] and infer.read(1).shape.as_list() == [5, 2]
    loose = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, tf.zeros([5]))
    assert loose.element_shape.ndims is None
    again = tf.TensorArray(tf.float32, flow=w.flow)
    assert again.element_shape.as_list() == [3]


def test_construction_errors():
    with pytest.raises(ValueError, match="Argument `size` must be provided"):
        tf.TensorArray(tf.float32)
    flow = tf.TensorArray(tf.float32, size=1).flow
    with pytest.raises(ValueError, match="Cannot provide both `flow` and `size`"):
        tf.TensorArray(tf.float32, size=1, flow=flow)
    with pytest.raises(TypeError, match="Expected `flow` to be a variant tensor"):
        tf.TensorArray(tf.float32, flow=tf.constant(1.0))
    ta = tf.TensorArray(tf.float32, size=3, element_shape=[2])
    with pytest.raises(ValueError, match=r"Inconsistent shapes: saw \(3,\) but expected \(2,\)"):
        ta.write(0, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="TensorArray dtype is float32 but Op is trying to write "
                                        "dtype int32"):
        ta.write(0, tf.constant([1, 2]))
    with pytest.raises(TypeError, match="must stay a TensorArray"):
        tf.while_loop(lambda i, t: i < 2, lambda i, t: (i + 1, t.flow), [0, ta])


def test_loop_keeps_the_array_and_other_structures():
    x = tf.placeholder(tf.float32, [3])
    state = {"ta": tf.TensorArray(tf.float32, size=3), "sum": tf.constant(0.0)}
    n, out = tf.while_loop(lambda n, s: n < 3,
                           lambda n, s: (n + 1, {"ta": s["ta"].write(n, x[n] + 1.0),
                                                 "sum": s["sum"] + x[n]}),
                           [tf.constant(0), state])
    assert isinstance(out["ta"], tf.TensorArray) and out["ta"].element_shape.as_list() == []
    with tf.Session() as sess:
        stacked, total = sess.run([out["ta"].stack(), out["sum"]], {x: [1.0, 2.0, 3.0]})
    np.testing.assert_array_equal(stacked, [2.0, 3.0, 4.0])
    assert total == 6.0


def test_runs_under_xla_as_on_numpy():
    """List ops have no XLA kernel: an XLA session runs such a plan on the interpreter."""
    pytest.importorskip("jax")
    fetches, feeds = programs.rnn(tf)
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    keys = ["states", "grad_x", "grad_w"]
    with tf.Session() as sess:
        want = sess.run([fetches[k] for k in keys], feeds)
    with tf.Session(config=config) as sess:
        for _ in range(3):
            got = sess.run([fetches[k] for k in keys], feeds)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6)
