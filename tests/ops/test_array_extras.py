"""Array extras (sort/argsort, repeat, roll, dynamic_partition, searchsorted, histograms,
ensure_shape, parallel_stack, space_to_batch/batch_to_space, edit_distance, make_template,
py_function) against real TensorFlow, plus finite-difference gradient checks.

The TensorFlow cases come from tools/fixtures/gen_array_extras.py (`cases.json`); those whose
name starts with `scatter` are tested in test_scatter_ops.py. Each case is rebuilt with
tensorflux and compared with what TensorFlow recorded: output names, static shapes, dtypes,
values, gradients for the recorded upstream gradients, and for errors the class and message.
"""

import numpy as np
import pytest
from gradcheck import check_gradients
from lambda_cases import check_case, check_error, load

import tensorflux as tf

ALL_CASES, ARRAYS = load("array_extras")
CASES = [c for c in ALL_CASES if not c["name"].startswith("scatter")]

# Composites built from other ops than TF 2's: the op names inside their scope differ.
NAMES_DIFFER = {
    "sort_int": "TF 2 sorts integers as -x - 1 (Sub); tensorflux negates",
    "repeat_scalar": "tensorflux gathers constant positions; TF 2 tiles and reshapes",
    "repeat_axis": "tensorflux gathers constant positions; TF 2 tiles and reshapes",
    "repeat_tensor": "tensorflux gathers the masked positions; TF 2 masks the tiled data",
}


def check_fixture_case(spec, arrays):
    check_case(spec, arrays, names=None if spec["name"] in NAMES_DIFFER else spec["names"],
               tol=lambda dtype: 1e-6)


def check_fixture_error(spec, arrays):
    # Static shape errors: TF names the node as `{{node X}} = X[...]`, tensorflux as TF 1.x did.
    check_error(spec, arrays, spec["message"].split(" for '{{node")[0])


@pytest.mark.parametrize("spec", [c for c in CASES if not c["error"]],
                         ids=[c["name"] for c in CASES if not c["error"]])
def test_case_matches_tf(spec):
    check_fixture_case(spec, ARRAYS)


@pytest.mark.parametrize("spec", [c for c in CASES if c["error"]],
                         ids=[c["name"] for c in CASES if c["error"]])
def test_error_matches_tf(spec):
    check_fixture_error(spec, ARRAYS)


# --- gradients -----------------------------------------------------------------------------
RNG = np.random.RandomState(3)


def test_roll_gradient():
    check_gradients(lambda x: tf.roll(x, [2, -1], [0, 1]), {"x": RNG.randn(3, 4)},
                    op_types=["Roll"])


def test_dynamic_partition_gradient():
    parts = np.array([[1, 0, 2], [2, 2, 0]], np.int32)
    check_gradients(lambda x, p: tf.dynamic_partition(x, p, 3),
                    {"x": RNG.randn(2, 3, 2), "p": parts}, op_types=["DynamicPartition"])


def test_dynamic_partition_unused_partition_gradient():
    check_gradients(lambda x, p: tf.dynamic_partition(x, p, 3)[1],
                    {"x": RNG.randn(4), "p": np.array([1, 0, 1, 1], np.int32)},
                    op_types=["DynamicPartition"])


def test_ensure_shape_gradient():
    check_gradients(lambda x: tf.ensure_shape(x, [None, 3]) ** 2, {"x": RNG.randn(2, 3)},
                    op_types=["EnsureShape"])


def test_space_to_batch_and_back_gradients():
    check_gradients(lambda x: tf.space_to_batch_nd(x, [2, 1], [[1, 1], [0, 2]]),
                    {"x": RNG.randn(2, 2, 3, 2)}, op_types=["SpaceToBatchND"])
    check_gradients(lambda x: tf.batch_to_space_nd(x, [2, 2], [[1, 0], [0, 1]]),
                    {"x": RNG.randn(4, 2, 3, 1)}, op_types=["BatchToSpaceND"])


def test_sort_and_repeat_gradients():
    check_gradients(lambda x: [tf.sort(x, axis=0), tf.repeat(x, [1, 0, 2], axis=1)],
                    {"x": RNG.randn(3, 3)}, op_types=["TopKV2"])


# --- behaviour the fixtures do not cover -------------------------------------------------------
def test_ensure_shape_checks_at_run_time():
    x = tf.placeholder(tf.float32, None)
    y = tf.ensure_shape(x, [2, None])
    with tf.Session() as sess:
        assert sess.run(y, {x: np.ones((2, 5))}).shape == (2, 5)
        with pytest.raises(tf.errors.InvalidArgumentError, match="is not compatible with "
                                                                 "expected shape"):
            sess.run(y, {x: np.ones((3, 5))})


def test_searchsorted_batched_and_repeat_dynamic():
    seq = tf.placeholder(tf.float32, [None, None])
    vals = tf.placeholder(tf.float32, [None, None])
    r = tf.placeholder(tf.int32, [None])
    out = tf.searchsorted(seq, vals, side="right")
    rep = tf.repeat(seq, r, axis=1)
    s = np.array([[1, 2, 2], [0, 5, 9]], np.float32)
    v = np.array([[2, 0.5], [9, 10]], np.float32)
    with tf.Session() as sess:
        got, got_rep = sess.run([out, rep], {seq: s, vals: v, r: [0, 2, 1]})
    np.testing.assert_array_equal(got, [[3, 0], [3, 3]])
    np.testing.assert_array_equal(got_rep, np.repeat(s, [0, 2, 1], axis=1))


def test_get_seed_at_top_level():
    g = tf.Graph()
    with g.as_default():
        assert tf.get_seed(None) == (None, None)
        tf.set_random_seed(5)
        assert tf.get_seed(None)[0] == 5 and tf.get_seed(7) == (5, 7)


def test_make_template_rejects_new_trainable_variables_later():
    t = tf.make_template("bad", lambda x: x * tf.Variable(2.0))
    t(1.0)
    with pytest.raises(ValueError, match="Trainable variable created when calling a template"):
        t(1.0)


def test_py_function_gets_eager_style_values():
    x = tf.constant([1.0, 2.0])
    y = tf.py_function(lambda a: a.numpy() * 2, [x], tf.float32)
    s, n = tf.py_function(lambda a, b: (a + b, a.numpy().sum()), [x, x], [tf.float32, tf.int64])
    with tf.Session() as sess:
        got = sess.run([y, s, n])
    np.testing.assert_array_equal(got[0], [2, 4])
    np.testing.assert_array_equal(got[1], [2, 4])
    assert got[2] == 3 and got[2].dtype == np.int64
