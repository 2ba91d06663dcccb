"""TF1 top-level names added late: deprecated aliases, shape utilities, make_tensor_proto /
make_ndarray, tensor_scatter_nd_* and the compat toggles (fixtures from real TF)."""

import json
import os

import numpy as np
import pytest
from gradcheck import check_gradients

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "api_extras",
                       "api_extras.json")
RNG = np.random.RandomState(7)
X = np.array([[3.0, 9.0, 1.0], [7.0, 2.0, 8.0]], np.float32)


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)


def _t(t):
    shape = None if t.shape.ndims is None else t.shape.as_list()
    return [t.name, t.dtype.name, shape]


def _check_value(got, want):
    """`want` is the fixture's [dtype, nested list]."""
    got = np.asarray(got)
    dtype, values = want
    if dtype in ("S", "O"):
        assert got.dtype.kind in "SO", got.dtype
        decoded = np.vectorize(lambda s: s.decode())(got) if got.size else got
        assert np.asarray(decoded).tolist() == values
        return
    if dtype != "bfloat16":  # tensorflux holds bfloat16 values as float32
        assert str(got.dtype) == dtype
    if got.size == 0:  # the fixture's nested list lost the shape; callers check it
        assert values == []
        return
    np.testing.assert_array_equal(got, np.asarray(values, dtype=got.dtype))
    assert list(got.shape) == list(np.shape(values))


def _check(sess, t, want):
    """`want` is [name, dtype, shape, value]."""
    assert _t(t) == want[:3]
    _check_value(sess.run(t), want[3])


def _graph_error(fn):
    with tf.Graph().as_default():
        with pytest.raises((ValueError, TypeError)) as info:
            fn()
    return [type(info.value).__name__, str(info.value)]


def _same_shape_error(got, want):
    """TF 2 writes the node as `'{{node X}} = X[...](...)'`, TF1 (and tensorflux) as `'X' (op:
    'X')`: the reason before ` for '` (tensorflux drops its final period) and the input
    shapes after it must agree."""
    assert got[0] == want[0]
    assert got[1].split(" for '")[0] == want[1].split(" for '")[0].rstrip(".")
    assert got[1].split("with input shapes: ")[1] == want[1].split("with input shapes: ")[1]


def _run_error(sess, fetch, feed=None):
    with pytest.raises(tf.errors.OpError) as info:
        sess.run(fetch, feed)
    return [type(info.value).__name__, str(info.value).split("\n")[0]]


# --- 1. deprecated aliases ------------------------------------------------------------------
def test_aliases_match_tf(expected):
    want = expected["aliases"]
    with tf.Graph().as_default(), tf.Session() as sess:
        ts = {"arg_max": tf.arg_max(X, 1), "arg_min": tf.arg_min(X, 0),
              "arg_max_named": tf.arg_max(X, 0, output_type=tf.int32, name="am"),
              "arg_max_2": tf.arg_max(X, 1),
              "floor_div_int": tf.floor_div([7, -7, 7, -7], [2, 2, -2, -2]),
              "floor_div_float": tf.floor_div([7.5, -7.5], [2.0, 2.0]),
              "to_bfloat16": tf.to_bfloat16([1.0, 2.5]),
              "diag": tf.diag([1.0, 2.0, 3.0]),
              "diag_2d": tf.diag([[1, 2], [3, 4]]),
              "diag_part": tf.diag_part(np.arange(16, dtype=np.float32).reshape(4, 4)),
              "diag_part_4d": tf.diag_part(np.arange(36, dtype=np.int32).reshape(2, 3, 2, 3))}
        for k, t in ts.items():
            _check(sess, t, want[k])
        assert [tf.initialize_all_tables().name,
                tf.initialize_all_tables(name="t").type] == want["initialize_all_tables"]
        p = tf.placeholder(tf.float32, [None, 3])
        assert _t(tf.diag(p)) == want["diag_unknown"]
        assert _t(tf.diag_part(tf.placeholder(tf.float32, [None, 4]))) == \
            want["diag_part_unknown"]
        assert (tf.no_regularizer(p) is None) == want["no_regularizer"]
        assert ts["floor_div_int"].op.type == "FloorDiv"
        assert ts["arg_min"].op.type == "ArgMin"


def test_alias_shape_errors_match_tf(expected):
    want = expected["aliases"]
    _same_shape_error(_graph_error(lambda: tf.diag(1.0)), want["diag_scalar_error"])
    _same_shape_error(_graph_error(lambda: tf.diag_part(tf.zeros([2, 3, 4]))),
                      want["diag_part_odd_error"])
    _same_shape_error(_graph_error(lambda: tf.diag_part(tf.zeros([2, 3]))),
                      want["diag_part_mismatch_error"])


def test_get_logger_is_tf_logging_logger():
    assert tf.get_logger() is tf.logging.get_logger()
    assert tf.get_logger().name == "tensorflow"


def test_diag_part_checks_pairs_at_run_time():
    with tf.Graph().as_default(), tf.Session() as sess:
        p = tf.placeholder(tf.float32, [None, None])
        d = tf.diag_part(p)
        np.testing.assert_array_equal(sess.run(d, {p: np.eye(3) * 2}), [2, 2, 2])
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(d, {p: np.zeros([2, 3])})


def test_diag_gradients():
    check_gradients(lambda x: tf.diag(x), {"x": RNG.randn(2, 3)}, op_types=["Diag"])
    check_gradients(lambda x: tf.diag_part(x), {"x": RNG.randn(2, 3, 2, 3)},
                    op_types=["DiagPart"])


# --- 2. shape utilities -------------------------------------------------------------------------
def test_shape_n_matches_tf(expected):
    want = expected["shapes"]
    with tf.Graph().as_default(), tf.Session() as sess:
        a = tf.placeholder(tf.float32, [None, 3])
        b = tf.zeros([2, 4, 5])
        s = tf.shape_n([a, b])
        s64 = tf.shape_n([b], out_type=tf.int64, name="sn")
        assert [_t(t) for t in s] == want["shape_n"][0]
        for got, w in zip(sess.run(s, {a: np.zeros([6, 3])}), want["shape_n"][1]):
            _check_value(got, w)
        assert [_t(t) for t in s64] == want["shape_n_64"][0]
        _check_value(sess.run(s64)[0], want["shape_n_64"][1][0])
        assert s[0].op.type == want["shape_n_type"]


def test_broadcast_shapes_match_tf(expected):
    want = expected["shapes"]
    with tf.Graph().as_default(), tf.Session() as sess:
        _check(sess, tf.broadcast_dynamic_shape([3, 1], [2, 1, 4]), want["broadcast_dynamic"])
        x = tf.placeholder(tf.int32, [None])
        y = tf.placeholder(tf.int32, [2])
        bd2 = tf.broadcast_dynamic_shape(x, y)
        assert _t(bd2) == want["broadcast_dynamic_2"][:3]
        _check_value(sess.run(bd2, {x: [5, 1, 1], y: [1, 7]}), want["broadcast_dynamic_2"][3])
        assert _run_error(sess, bd2, {x: [2, 3], y: [4, 5]}) == \
            want["broadcast_dynamic_error"]
    got = tf.broadcast_static_shape(tf.TensorShape([None, 1, 3]), tf.TensorShape([4, 1]))
    assert got.as_list() == want["broadcast_static"]
    assert tf.broadcast_static_shape(tf.TensorShape(None), tf.TensorShape([4, 1])).ndims == \
        want["broadcast_static_unknown"]
    with pytest.raises(ValueError) as info:
        tf.broadcast_static_shape(tf.TensorShape([2, 3]), tf.TensorShape([4]))
    assert str(info.value) == want["broadcast_static_error"]


def test_get_static_value_matches_tf(expected):
    want = expected["shapes"]
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, [None, 3])
        b = tf.zeros([2, 4, 5])
        x = tf.placeholder(tf.int32, [None])
        c = tf.constant([[1, 2], [3, 4]])
        _check_value(tf.get_static_value(c), want["static_const"])
        _check_value(tf.get_static_value(tf.shape(b)), want["static_shape"])
        assert tf.get_static_value(a) is want["static_placeholder"]
        assert tf.get_static_value(tf.shape(a)) is want["static_unknown_shape"]
        assert tf.get_static_value([1, 2]) == want["static_python"]
        _check_value(tf.get_static_value(tf.cast(c, tf.float32)), want["static_cast"])
        _check_value(tf.get_static_value(tf.stack([c, c])), want["static_stack"])
        part = tf.get_static_value(tf.stack([1, x[0]]), partial=True)
        assert [None if v is None else int(v) for v in part] == want["static_stack_partial"]
        assert tf.get_static_value(tf.stack([1, x[0]])) is None


def test_unravel_index_matches_tf(expected):
    want = expected["shapes"]
    with tf.Graph().as_default(), tf.Session() as sess:
        _check(sess, tf.unravel_index([5, 0, 7], [3, 4]), want["unravel"])
        _check(sess, tf.unravel_index(5, [3, 4], name="ur"), want["unravel_scalar"])
        x = tf.placeholder(tf.int32, [None])
        y = tf.placeholder(tf.int32, [2])
        uu = tf.unravel_index(x, y)
        assert _t(uu) == want["unravel_unknown"]
        assert _run_error(sess, uu, {x: [1, 12], y: [3, 4]}) == want["unravel_error"]


# --- 3. make_tensor_proto / make_ndarray ------------------------------------------------------
def _proto_case(expr):
    return eval(expr, {"np": np, "tf": tf})  # noqa: S307 - the fixture's fixed expressions


def test_make_tensor_proto_bytes_match_tf(expected):
    want = expected["protos"]
    assert len(want["cases"]) > 20
    for name, expr in want["cases"].items():
        values, dtype, shape = _proto_case(expr)
        proto = tf.make_tensor_proto(values, dtype=dtype, shape=shape)
        assert isinstance(proto, tf.TensorProto)
        assert proto.SerializeToString().hex() == want[name][0], name


def test_make_ndarray_matches_tf(expected):
    want = expected["protos"]
    for name in want["cases"]:
        proto = tf.TensorProto.FromString(bytes.fromhex(want[name][0]))
        back = tf.make_ndarray(proto)
        assert list(back.shape) == want[name][2], name
        _check_value(back, want[name][1])


def test_make_tensor_proto_errors_match_tf(expected):
    want = expected["protos"]["errors"]
    calls = {"too_many": lambda: tf.make_tensor_proto([1, 2, 3], shape=[2]),
             "none": lambda: tf.make_tensor_proto(None),
             "incompatible": lambda: tf.make_tensor_proto("a", dtype=tf.int32)}
    for name, call in calls.items():
        with pytest.raises((ValueError, TypeError)) as info:
            call()
        assert [type(info.value).__name__, str(info.value)] == want[name], name
    with pytest.raises(ValueError):  # numpy's own message, which changes between versions
        tf.make_tensor_proto([[1, 2], [3]])
    proto = tf.make_tensor_proto([1.0])
    assert tf.make_tensor_proto(proto) is proto


# --- 4. tensor_scatter_nd_* ---------------------------------------------------------------------
T = np.arange(12, dtype=np.float32).reshape(4, 3)
ROWS, ROW_UPDATES = [[1], [3]], np.array([[10, 20, 30], [-1, -2, 100]], np.float32)
ELEMS, ELEM_UPDATES = [[0, 1], [2, 2], [0, 1]], np.array([50.0, -5.0, 7.0], np.float32)
SCATTERS = {"update": "tensor_scatter_nd_update", "add": "tensor_scatter_nd_add",
            "sub": "tensor_scatter_nd_sub", "min": "tensor_scatter_nd_min",
            "max": "tensor_scatter_nd_max", "alias_update": "tensor_scatter_update",
            "alias_add": "tensor_scatter_add", "alias_sub": "tensor_scatter_sub"}


def _xla_config():
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    return config


@pytest.mark.parametrize("jit", [False, True])
def test_tensor_scatter_matches_tf(expected, jit, monkeypatch):
    if jit:  # compiled from the first run; bad indices fall back to numpy for TF's message
        pytest.importorskip("jax")
        monkeypatch.setenv("TENSORFLUX_XLA_MIN_RUNS", "0")
    want = expected["tensor_scatter"]
    config = _xla_config() if jit else None
    with tf.Graph().as_default(), tf.Session(config=config) as sess:
        for k, fn_name in SCATTERS.items():
            fn = getattr(tf, fn_name)
            unique = k in ("update", "alias_update")  # repeated updates: order undefined in TF
            r = fn(T, ROWS, ROW_UPDATES)
            e = fn(T, ELEMS[:2] if unique else ELEMS, ELEM_UPDATES[:2] if unique else ELEM_UPDATES)
            assert _t(r) == want[k][0], k
            _check_value(sess.run(r), want[k][1])
            assert _t(e) == want[k][2], k
            _check_value(sess.run(e), want[k][3])
        n = tf.tensor_scatter_nd_add(tf.zeros([3], tf.int32), [[0], [0]], [4, 5], name="acc")
        _check(sess, n, want["int_named"])
        p = tf.placeholder(tf.int32, [None, 1])
        bad = tf.tensor_scatter_nd_update(T, p, ROW_UPDATES)
        assert _run_error(sess, bad, {p: [[1], [4]]}) == want["oob_error"]
        assert _run_error(sess, bad, {p: [[-1], [0]]}) == want["negative_error"]
        assert tf.tensor_scatter_update is tf.tensor_scatter_nd_update
        unknown = tf.tensor_scatter_nd_update(tf.placeholder(tf.float32), p, ROW_UPDATES)
        assert _t(unknown) == want["unknown_tensor"]


def test_tensor_scatter_shape_error_matches_tf(expected):
    zeros = np.zeros([2, 4], np.float32)
    got = _graph_error(lambda: tf.tensor_scatter_nd_update(T, ROWS, zeros))
    _same_shape_error(got, expected["tensor_scatter"]["update_shape_error"])


def test_tensor_scatter_leaves_its_input_alone():
    with tf.Graph().as_default(), tf.Session() as sess:
        p = tf.placeholder(tf.float32, [4, 3])
        value = T.copy()
        out = sess.run(tf.tensor_scatter_nd_add(p, ROWS, ROW_UPDATES), {p: value})
        np.testing.assert_array_equal(value, T)
        assert out[1, 0] == T[1, 0] + 10


@pytest.mark.parametrize("op_type", ["TensorScatterUpdate", "TensorScatterAdd",
                                     "TensorScatterSub"])
def test_tensor_scatter_gradients(op_type):
    fn = {"TensorScatterUpdate": tf.tensor_scatter_nd_update,
          "TensorScatterAdd": tf.tensor_scatter_nd_add,
          "TensorScatterSub": tf.tensor_scatter_nd_sub}[op_type]
    indices = np.array([[2], [0]], np.int32)
    check_gradients(lambda t, u: fn(t, indices, u),
                    {"t": RNG.randn(4, 3), "u": RNG.randn(2, 3)}, op_types=[op_type])
    check_gradients(lambda t, u: fn(t, [[1, 2], [3, 0]], u),
                    {"t": RNG.randn(4, 3), "u": RNG.randn(2)}, op_types=[op_type])


@pytest.mark.parametrize("op_type", ["TensorScatterMin", "TensorScatterMax"])
def test_tensor_scatter_min_max_gradients(op_type):
    fn = tf.tensor_scatter_nd_min if op_type == "TensorScatterMin" else tf.tensor_scatter_nd_max
    # values well apart, so no tie sits within the finite-difference step
    t = np.arange(12, dtype=np.float64).reshape(4, 3) * 0.5
    u = np.array([[3.2, -1.3, 9.1], [0.7, 6.4, -2.2]])
    check_gradients(lambda t, u: fn(t, [[1], [3]], u), {"t": t, "u": u}, op_types=[op_type])


# --- 5. compat toggles --------------------------------------------------------------------------
def test_toggle_queries_report_tensorflux_state(expected):
    want = expected["toggles"]
    # As TF1 reports them: no eager context, reference variables, identity equality.
    assert tf.executing_eagerly_outside_functions() is want["executing_eagerly_outside_functions"]
    assert tf.resource_variables_enabled() is want["resource_variables_enabled"]
    with tf.Graph().as_default():
        a = tf.constant(1.0)
        assert (a == tf.constant(1.0)) is want["tensor_equality"]
        assert {a: 1}[a] == 1
    # Unlike TF1: tensorflux's tf.cond / tf.while_loop always build If / While (v2) ops.
    assert want["control_flow_v2_enabled"] is False
    assert tf.control_flow_v2_enabled() is True
    with tf.Graph().as_default():
        assert tf.cond(tf.constant(True), lambda: 1.0, lambda: 2.0).op.type != "Merge"


def test_toggles_to_tf1_state_are_no_ops():
    for name in ("disable_v2_behavior", "disable_control_flow_v2", "enable_control_flow_v2",
                 "disable_tensor_equality", "disable_v2_tensorshape", "disable_eager_execution"):
        assert getattr(tf, name)() is None, name
        assert getattr(tf, name).__doc__, name
    assert tf.control_flow_v2_enabled() is True
    assert tf.executing_eagerly() is False
    with tf.Graph().as_default():
        assert isinstance(tf.zeros([2, 3]).shape[0], tf.Dimension)


@pytest.mark.parametrize("name,what", [("enable_v2_behavior", "TF 2 behavior"),
                                       ("enable_eager_execution", "eager execution"),
                                       ("enable_tensor_equality", "Tensor equality"),
                                       ("enable_v2_tensorshape", "TensorShape")])
def test_toggles_to_missing_features_raise(name, what):
    with pytest.raises(NotImplementedError, match=what):
        getattr(tf, name)()
    assert tf.executing_eagerly() is False
    with tf.Graph().as_default():
        a = tf.constant(1.0)
        assert (a == a) is True and (a == tf.constant(1.0)) is False
