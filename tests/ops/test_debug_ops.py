"""Debugging ops: tf.Print / tf.print, tf.Assert and assert_*, check_numerics, py_func, identity_n.

Formatting and messages are compared with what real TensorFlow produced
(tests/fixtures/debug_ops/format.json, written by tools/fixtures/gen_debug_ops.py).
"""

import json
import os
import re
import sys

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf
from tensorflux.backends.numpy import debug_ops as kernels

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "debug_ops", "format.json")
with open(FIXTURE) as _f:
    TF = json.load(_f)


def _array(case):
    if case["dtype"] == "string":
        flat = np.array([s.encode() for s in np.array(case["value"]).reshape(-1)], dtype=object)
        return flat.reshape(case["shape"])
    return np.array(case["value"], dtype=case["dtype"]).reshape(case["shape"])


# --- formatting, against TF ------------------------------------------------------------------
@pytest.mark.parametrize("case", TF["legacy"], ids=lambda c: "%s%s-%d" % (
    c["dtype"], c["shape"], c["summarize"]))
def test_legacy_summarize_matches_tf(case):
    assert kernels.summarize(_array(case), case["summarize"]) == case["text"]


@pytest.mark.parametrize("case", TF["v2"], ids=lambda c: "%s%s-%d" % (
    c["dtype"], c["shape"], c["summarize"]))
def test_print_v2_format_matches_tf(case):
    assert kernels.summarize_v2(_array(case), case["summarize"]) == case["text"]


def test_assert_and_check_messages_match_tf():
    x = tf.placeholder_with_default(tf.constant([[1., 2., 3.], [4., 5., 6.]]), [2, 3], name="x")
    checks = {
        "assert_equal": tf.assert_equal(x, x + 1.0),
        "assert_equal_message": tf.assert_equal(x, x + 1.0, message="custom", data=[x],
                                                summarize=2),
        "assert_less": tf.assert_less(x, 2.0),
        "assert_greater": tf.assert_greater(x, 2.0),
        "assert_positive": tf.assert_positive(x - 3),
        "assert_non_negative": tf.assert_non_negative(x - 3),
        "check_numerics_both": tf.check_numerics(tf.log(x - 3), "mymsg"),
        "check_numerics_inf": tf.check_numerics(x / 0.0, "div"),
        "check_numerics_nan": tf.check_numerics(x * np.nan, "nan"),
        "py_func_dtype": tf.py_func(lambda a: a.astype(np.float64), [x], tf.float32),
        "py_func_count": tf.py_func(lambda a: (a, a), [x], tf.float32),
    }
    with tf.Session() as sess:
        for key in sorted(checks):
            want = TF["messages"][key]
            with pytest.raises(getattr(tf.errors, want["error"])) as info:
                sess.run(checks[key])
            msg = info.value.message.split("\n\t [[")[0]
            assert re.sub(r"pyfunc_\d+", "pyfunc_N", msg) == want["message"], key


# --- tf.Print and tf.print -------------------------------------------------------------------
def test_print_prints_to_stderr_and_returns_input(capsys):
    x = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    p = tf.Print(x, [x, tf.constant(7), "str"], message="hello: ")
    assert p.op.type == "Print" and p.name == "Print:0" and p.shape == x.shape
    with tf.Session() as sess:
        out = sess.run(p)
    np.testing.assert_array_equal(out, [[1, 2, 3], [4, 5, 6]])
    assert capsys.readouterr().err == "hello: [[1 2 3]...][7][str]\n"


def test_print_first_n_and_summarize(capsys):
    x = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    p = tf.Print(x, [x], message="m", first_n=2, summarize=5)
    with tf.Session() as sess:
        for _ in range(4):
            sess.run(p)
    assert capsys.readouterr().err == "m[[1 2 3][4 5...]...]\n" * 2


def test_print_gradient_passes_through():
    check_gradients(lambda x: tf.Print(x * x, [x], message="x: ") * 3.0,
                    {"x": np.array([1.0, -2.0])}, op_types=["Print"])


def test_tf_print_formats_like_tf(capsys):
    x = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    ops = [tf.print("a", x, {"k": x}, [1, 2], output_stream=sys.stdout),
           tf.print(tf.range(10), summarize=2, output_stream=sys.stdout),
           tf.print("x", x, sep="|", end="!\n", output_stream=sys.stdout),
           tf.print(tf.constant("just a string"), output_stream=sys.stdout),
           tf.print(["a", tf.constant(1)], {"b": 2, "a": tf.constant([1.5])}, (3,),
                    output_stream=sys.stdout)]
    assert ops[0].type == "PrintV2" and ops[0].name == "PrintV2"
    assert ops[0].outputs == []
    with tf.Session() as sess:
        for op in ops:
            sess.run(op)
    assert capsys.readouterr().out == (
        "a [[1 2 3]\n [4 5 6]] {'k': [[1 2 3]\n [4 5 6]]} [1, 2]\n"
        "[0 1 ... 8 9]\n"
        "x|[[1 2 3]\n [4 5 6]]!\n"
        "just a string\n"
        "['a', 1] {'a': [1.5], 'b': 2} (3,)\n")


def test_tf_print_defaults_to_stderr_and_runs_as_a_control_dependency(capsys):
    x = tf.placeholder(tf.float32, [2])
    with tf.control_dependencies([tf.print("x is", x)]):
        y = tf.identity(x * 2)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [1, 2]}), [2, 4])
        sess.run(x * 3, {x: [1, 2]})  # does not depend on the print
    assert capsys.readouterr().err == "x is [1 2]\n"


def test_tf_print_to_a_file(tmp_path):
    path = tmp_path / "log.txt"
    op = tf.print("v", tf.constant([1, 2]), output_stream="file://" + str(path))
    with tf.Session() as sess:
        sess.run(op)
        sess.run(op)
    assert path.read_text() == "v [1 2]\nv [1 2]\n"


def test_tf_print_rejects_unknown_streams_and_keywords():
    with pytest.raises(ValueError):
        tf.print("a", output_stream=42)
    with pytest.raises(ValueError):
        tf.print("a", bogus=1)


# --- Assert and the assert_* family ----------------------------------------------------------
def test_assert_fails_at_run_time_with_its_data():
    x = tf.placeholder(tf.float32, [3])
    a = tf.Assert(tf.reduce_all(x > 0), [x, "msg"], name="myassert")
    assert a.type == "Assert" and a.name == "myassert/Assert"
    with tf.control_dependencies([a]):
        y = tf.identity(x)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [1, 2, 3]}), [1, 2, 3])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"assertion failed: \[-1 2 3\] \[msg\]"):
            sess.run(y, {x: [-1, 2, 3]})


def test_assert_needs_a_scalar_bool_condition():
    with pytest.raises(TypeError):
        tf.Assert(tf.constant(1), ["x"])
    a = tf.Assert(tf.constant([True, True]), ["x"])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="expects a scalar"):
            sess.run(a)


def test_asserts_pass_quietly():
    x = tf.constant([1.0, 2.0])
    ops = [tf.assert_equal(x, x), tf.assert_less(x, 3.0), tf.assert_greater(x, 0.0),
           tf.assert_positive(x), tf.assert_non_negative(x), tf.assert_less_equal(x, 2.0),
           tf.assert_greater_equal(x, 1.0), tf.assert_none_equal(x, 5.0),
           tf.assert_negative(-x), tf.assert_non_positive(-x), tf.assert_near(x, x + 1e-9),
           tf.assert_rank(x, 1), tf.assert_rank_at_least(x, 1), tf.assert_type(x, tf.float32),
           tf.assert_integer(tf.constant(1))]
    with tf.Session() as sess:
        sess.run(ops)


def test_static_assertions_fail_at_graph_construction():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.assert_equal(tf.constant(1), tf.constant(2))
    assert info.value.message == ("Condition x == y did not hold element-wise:\n"
                                  "x (Const:0) = \n1\ny (Const_1:0) = \n2")
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    with pytest.raises(ValueError, match=r"^Tensor x:0 must have rank 3.  Received rank 2, "
                                         r"shape \(2, 3\)$"):
        tf.assert_rank(x, 3)
    assert tf.assert_rank(x, 2).name == "assert_rank_1/static_checks_determined_all_ok"
    with pytest.raises(TypeError, match="^x:0 must be of type tf.int32; got tf.float32$"):
        tf.assert_type(x, tf.int32)
    assert tf.assert_type(x, tf.float32).type == "NoOp"
    with pytest.raises(TypeError):
        tf.assert_integer(x)
    with pytest.raises(ValueError):
        tf.assert_scalar(x)


def test_dynamic_rank_assertion():
    x = tf.placeholder(tf.float32, None, name="p")
    a = tf.assert_rank(x, 2)
    with tf.Session() as sess:
        sess.run(a, {x: np.zeros((2, 2))})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"assertion failed: \[\] \[Tensor p:0 must have rank\] \[2\] "
                                 r"\[Received shape: \] \[1\]"):
            sess.run(a, {x: [1.0]})


def test_debugging_namespace():
    for name in ("Assert", "assert_equal", "assert_less", "assert_greater", "assert_positive",
                 "assert_non_negative", "assert_rank", "assert_type", "check_numerics",
                 "is_nan", "is_finite"):
        assert hasattr(tf.debugging, name), name
    assert tf.debugging.assert_equal is tf.assert_equal


# --- numerics --------------------------------------------------------------------------------
def test_check_numerics_passes_finite_values_and_its_gradient():
    check_gradients(lambda x: tf.check_numerics(tf.sin(x), "msg") * 2.0,
                    {"x": np.array([0.5, -1.0, 2.0])}, op_types=["CheckNumerics"])


def test_check_numerics_checks_the_gradient_too():
    x = tf.placeholder(tf.float32, [2])
    y = tf.check_numerics(x, "fwd")
    g = tf.gradients(y, x, grad_ys=tf.constant([np.nan, 1.0], tf.float32))[0]
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Not a number \\(NaN\\) or infinity \\(Inf\\) values detected in "
                                 "gradient. fwd : Tensor had NaN values"):
            sess.run(g, {x: [1, 2]})


def test_check_numerics_needs_floats():
    with pytest.raises(TypeError, match="not in list of allowed values"):
        tf.check_numerics(tf.constant([1, 2]), "ints")


def test_add_check_numerics_ops():
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.log(x)
    check = tf.add_check_numerics_ops()
    assert check.type == "NoOp"
    with tf.Session() as sess:
        sess.run([y, check], {x: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Log:0 : Tensor had NaN values"):
            sess.run([y, check], {x: [-1.0, 2.0]})


def test_verify_tensor_all_finite():
    x = tf.placeholder(tf.float32, [2])
    y = tf.verify_tensor_all_finite(x, "bad")
    with tf.Session() as sess:
        sess.run(y, {x: [1, 2]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad : Tensor had Inf"):
            sess.run(y, {x: [np.inf, 2]})


# --- py_func ---------------------------------------------------------------------------------
def test_py_func_runs_python_on_numpy_values():
    x = tf.placeholder(tf.float32, [2, 3])
    y = tf.py_func(lambda a: a * 2, [x], tf.float32)
    assert y.op.type == "PyFunc" and y.name == "PyFunc:0" and y.shape.ndims is None
    pair = tf.py_func(lambda a, b: (a * 2, b + 1), [x, tf.constant(1)], [tf.float32, tf.int32])
    assert isinstance(pair, list) and [t.dtype for t in pair] == [tf.float32, tf.int32]
    stateless = tf.py_func(np.sinh, [x], tf.float32, stateful=False)
    assert stateless.op.type == "PyFuncStateless"
    nf = tf.numpy_function(lambda a: a + 1, [x], tf.float32)
    xv = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Session() as sess:
        out, (a, b), s, n = sess.run([y, pair, stateless, nf], {x: xv})
    np.testing.assert_array_equal(out, xv * 2)
    np.testing.assert_array_equal(a, xv * 2)
    assert b == 2
    np.testing.assert_allclose(s, np.sinh(xv))
    np.testing.assert_array_equal(n, xv + 1)


def test_py_func_without_outputs_returns_an_op():
    seen = []
    op = tf.py_func(lambda a: seen.append(a.tolist()), [tf.constant([1, 2])], [])
    assert isinstance(op, tf.Operation)
    with tf.Session() as sess:
        assert sess.run(op) is None
    assert seen == [[1, 2]]


def test_py_func_inputs_are_copies():
    c = tf.constant([1.0, 2.0])

    def mutate(a):
        a[0] = 100.0
        return a

    y = tf.py_func(mutate, [c], tf.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y), [100, 2])
        np.testing.assert_array_equal(sess.run(c), [1, 2])


def test_py_func_errors_map_to_tf_classes():
    x = tf.constant([1.0])

    def raiser(exc):
        def f(a):
            raise exc("boom")
        return f

    cases = [(ValueError, tf.errors.InvalidArgumentError),
             (TypeError, tf.errors.InvalidArgumentError),
             (NotImplementedError, tf.errors.UnimplementedError),
             (ZeroDivisionError, tf.errors.UnknownError)]
    with tf.Session() as sess:
        for exc, err in cases:
            with pytest.raises(err, match="%s: boom" % exc.__name__):
                sess.run(tf.py_func(raiser(exc), [x], tf.float32))


def test_py_func_is_not_differentiable_unless_overridden():
    x = tf.placeholder(tf.float32, [3])
    y = tf.py_func(lambda a: a ** 2, [x], tf.float32)
    assert tf.gradients(y, x) == [None]

    @tf.RegisterGradient("DebugOpsSquareGrad")
    def _square_grad(op, grad):
        return [grad * 2.0 * op.inputs[0]]

    with tf.get_default_graph().gradient_override_map({"PyFunc": "DebugOpsSquareGrad"}):
        y2 = tf.py_func(lambda a: a ** 2, [x], tf.float32)
    g = tf.gradients(y2, x)[0]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(g, {x: [1, 2, 3]}), [2, 4, 6])


def test_py_func_needs_a_callable():
    with pytest.raises(ValueError, match="Expected func to be callable"):
        tf.py_func(3, [], tf.float32)


# --- identity_n ------------------------------------------------------------------------------
def test_identity_n():
    a, b = tf.identity_n([tf.constant([1.0, 2.0]), tf.constant(3)])
    assert a.name == "IdentityN:0" and b.name == "IdentityN:1" and b.dtype == tf.int32
    with tf.Session() as sess:
        av, bv = sess.run([a, b])
    np.testing.assert_array_equal(av, [1, 2])
    assert bv == 3
    (single,) = tf.identity_n([tf.constant([4.0])])
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(single), [4.0])


def test_identity_n_gradient():
    check_gradients(lambda x, y: [v * 2.0 for v in tf.identity_n([tf.sin(x), y * y])],
                    {"x": np.array([0.3, 0.7]), "y": np.array([[1.5]])}, op_types=["IdentityN"])
