"""Session: fetch structures, feeds, errors, partial execution, default sessions, placement."""

import collections

import numpy as np
import pytest

import tensorflux as tf

Pair = collections.namedtuple("Pair", ["a", "b"])


@pytest.fixture
def graph():
    """A small graph: placeholder p [None, 3], y = 2p, constant c = 5, d = 2c."""
    p = tf.placeholder(tf.float32, [None, 3], name="p")
    y = p * 2.0
    c = tf.constant(5.0, name="c")
    d = c * 2.0
    return p, y, c, d


# --- fetches -------------------------------------------------------------------------------
def test_fetch_single_tensor_gives_numpy_scalar(graph):
    _, _, c, _ = graph
    with tf.Session() as sess:
        v = sess.run(c)
        assert type(v) is np.float32 and v == 5.0
        assert type(sess.run(tf.constant(1))) is np.int32
        arr = sess.run(tf.constant([1.0, 2.0]))
        assert isinstance(arr, np.ndarray) and arr.dtype == np.float32


def test_nested_fetch_structures(graph):
    _, _, c, d = graph
    with tf.Session() as sess:
        assert sess.run([c, d]) == [5.0, 10.0]
        assert sess.run((c, d)) == (5.0, 10.0)
        assert sess.run({"x": c, "y": (d, [c])}) == {"x": 5.0, "y": (10.0, [5.0])}
        got = sess.run(Pair(c, [d, d.op]))
        assert type(got) is Pair and got == Pair(5.0, [10.0, None])
        od = sess.run(collections.OrderedDict([("z", c), ("a", d)]))
        assert type(od) is collections.OrderedDict and list(od) == ["z", "a"]
        assert sess.run([]) == []
        assert sess.run({}) == {}
        assert sess.run([[c], []]) == [[5.0], []]


def test_fetch_by_name_and_op(graph):
    _, _, c, d = graph
    with tf.Session() as sess:
        assert sess.run("c:0") == 5.0
        assert sess.run("c") is None
        assert sess.run(d.op) is None
        assert sess.run([c, "c:0", c]) == [5.0, 5.0, 5.0]
        assert sess.run([c, tf.no_op()]) == [5.0, None]


def test_fetch_errors(graph):
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="Fetch argument None has invalid type"):
            sess.run(None)
        with pytest.raises(TypeError, match="Fetch argument 1 has invalid type <class 'int'>, "
                                            "must be a string or Tensor."):
            sess.run(1)
        with pytest.raises(ValueError, match="Fetch argument 'zz:0' cannot be interpreted as a "
                                             "Tensor. .*The name 'zz:0' refers to a Tensor "
                                             "which does not exist"):
            sess.run("zz:0")
        with tf.Graph().as_default():
            other = tf.constant(1.0)
        with pytest.raises(ValueError, match="cannot be interpreted as a Tensor. .*is not an "
                                             "element of this graph"):
            sess.run(other)


def test_fetched_arrays_are_copies():
    v = tf.Variable([1.0, 2.0])
    c = tf.constant([3.0, 4.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        a = sess.run(v)
        a[0] = 100.0
        b = sess.run(c)
        b[0] = 100.0
        assert sess.run(v).tolist() == [1.0, 2.0]
        assert sess.run(c).tolist() == [3.0, 4.0]


# --- feeds ---------------------------------------------------------------------------------
def test_feed_placeholder(graph):
    p, y, _, _ = graph
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {p: np.ones((2, 3))}), np.full((2, 3), 2.0))
        np.testing.assert_allclose(sess.run(y, {p: [[1, 2, 3]]}), [[2, 4, 6]])
        np.testing.assert_allclose(sess.run(y, feed_dict={"p:0": [[1, 1, 1]]}), [[2, 2, 2]])


def test_feed_converts_to_the_placeholder_dtype():
    i = tf.placeholder(tf.int32, [], name="i")
    f = tf.placeholder(tf.float32, [], name="f")
    with tf.Session() as sess:
        out = sess.run(i, {i: 1.7})  # numpy conversion truncates, as in TF
        assert out.dtype == np.int32 and out == 1
        assert sess.run(f, {f: 3}).dtype == np.float32
        assert sess.run(f * 2.0, {f: np.float64(3)}) == 6.0
        with pytest.raises(TypeError, match="is not compatible with Tensor type"):
            sess.run(i, {i: 2**40})
        with pytest.raises(ValueError):
            sess.run(f, {f: "abc"})


def test_feed_shape_errors(graph):
    p, y, _, _ = graph
    q = tf.placeholder(tf.int32, [], name="q")
    with tf.Session() as sess:
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2, 4\) for Tensor "
                                             r"p:0, which has shape \(\?, 3\)"):
            sess.run(y, {p: np.zeros((2, 4))})
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for Tensor p:0"):
            sess.run(y, {p: np.zeros(3)})
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(2,\) for Tensor q:0, "
                                             r"which has shape \(\)"):
            sess.run(q, {q: [1, 2]})


def test_unfed_placeholder_error(graph):
    p, y, _, _ = graph
    q = tf.placeholder(tf.int32, name="q")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"You must feed a value for placeholder tensor 'p' with dtype "
                                 r"float and shape \[\?,3\]"):
            sess.run(y)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="You must feed a value for placeholder tensor 'q' with dtype "
                                 "int32"):
            sess.run(q + 1)
        try:
            sess.run(y)
        except tf.errors.InvalidArgumentError as e:
            assert e.op is not None and e.op.name == "p"
            assert e.error_code == tf.errors.INVALID_ARGUMENT


def test_feed_errors(graph):
    p, y, c, d = graph
    with tf.Session() as sess:
        with pytest.raises(TypeError, match="The value of a feed cannot be a tf.Tensor object."):
            sess.run(y, {p: c})
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: Can not "
                                            "convert a int into a Tensor."):
            sess.run(d, {1: 1.0})
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: The name "
                                            "'c' refers to an Operation, not a Tensor."):
            sess.run(d, {"c": 1.0})
        with tf.Graph().as_default():
            other = tf.constant(1.0)
        with pytest.raises(TypeError, match="Cannot interpret feed_dict key as Tensor: .*is not "
                                            "an element of this graph"):
            sess.run(d, {other: 1.0})


def test_feed_any_tensor_and_fetch_a_fed_tensor(graph):
    _, _, c, d = graph
    with tf.Session() as sess:
        assert sess.run(d, {c: 1.0}) == 2.0
        fed = sess.run(c, {c: 7.0})
        assert fed == 7.0
        assert sess.run([c, d], {c: 1.5}) == [1.5, 3.0]
        assert sess.run(d) == 10.0  # nothing stays fed


def test_str_feeds_are_bytes_inside_the_graph(graph):
    # TF's runtime holds strings as bytes: a fed str compares equal to a string constant and
    # comes out of ops as bytes; fetching the fed tensor itself gives the value as given
    p = tf.placeholder(tf.string, [])
    q = tf.placeholder(tf.string, [2])
    with tf.Session() as sess:
        assert sess.run(tf.equal(p, "abc"), {p: "abc"})
        assert sess.run(tf.identity(p), {p: "abc"}) == b"abc"
        np.testing.assert_array_equal(sess.run(tf.identity(q), {q: ["a", "\u00e9"]}),
                                      np.array([b"a", b"\xc3\xa9"], object))
        fed = sess.run(p, {p: "abc"})
        assert fed.dtype == object and fed[()] == "abc"
        assert sess.make_callable(tf.equal(p, "abc"), [p])("abc")


def test_feeding_cuts_the_graph():
    p = tf.placeholder(tf.float32, [], name="p")
    q = p + 1.0
    r = q * 3.0
    with tf.Session() as sess:
        assert sess.run(r, {q: 2.0}) == 6.0  # p need not be fed


def test_placeholder_with_default():
    x = tf.placeholder_with_default(3.0, [])
    y = x * 2.0
    with tf.Session() as sess:
        assert sess.run(y) == 6.0
        assert sess.run(y, {x: 5.0}) == 10.0


# --- partial execution and state ----------------------------------------------------------
def test_only_needed_ops_run():
    v = tf.Variable(0, name="counter")
    inc = tf.assign_add(v, 1)
    c = tf.constant(5)
    total = c + 1
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(total) == 6
        assert sess.run(v) == 0  # inc is in the graph but was not needed
        assert sess.run([inc, inc]) == [1, 1]  # an op runs once per run
        assert sess.run(v) == 1


def test_control_dependencies_run_first():
    v = tf.Variable(0, name="v")
    inc = tf.assign_add(v, 10)
    with tf.control_dependencies([inc]):
        out = tf.identity(tf.constant(1))
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(out)
        assert sess.run(v) == 10


def test_two_sessions_hold_separate_variables():
    v = tf.Variable(0, name="v")
    inc = tf.assign_add(v, 1)
    s1, s2 = tf.Session(), tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    s2.run(inc)
    assert (s1.run(v), s2.run(v)) == (2, 1)
    s1.close()
    s2.close()


def test_failed_run_leaves_state_untouched():
    v = tf.Variable(1.0, name="v")
    p = tf.placeholder(tf.float32, None, name="p")
    upd = tf.assign_add(v, 1.0)
    out = tf.reshape(p * upd, [3])  # runs after the update, fails at run time
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(out, {p: [1.0, 2.0]})
        assert sess.run(v) == 1.0
        assert sess.run(out, {p: [1.0, 2.0, 3.0]}).tolist() == [2.0, 4.0, 6.0]
        assert sess.run(v) == 2.0


def test_uninitialized_variable_error():
    u = tf.Variable(1.0, name="u")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value u"):
            sess.run(u * 2.0)
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value u"):
            sess.run(u.assign_add(1.0))


def test_run_returns_none_for_ops():
    v = tf.Variable(1.0)
    with tf.Session() as sess:
        assert sess.run(tf.global_variables_initializer()) is None
        assert sess.run([tf.constant(1), v.initializer]) == [1, None]


# --- make_callable -------------------------------------------------------------------------
def test_make_callable(graph):
    p, y, c, d = graph
    with tf.Session() as sess:
        f = sess.make_callable(y, [p])
        np.testing.assert_allclose(f(np.ones((1, 3))), [[2.0, 2.0, 2.0]])
        np.testing.assert_allclose(f([[1, 2, 3]]), [[2.0, 4.0, 6.0]])
        g = sess.make_callable([y, d], [p])
        out = g(np.ones((1, 3)))
        assert isinstance(out, list) and out[1] == 10.0
        assert sess.make_callable(d.op)() is None
        assert sess.make_callable({"k": c})() == {"k": 5.0}
        assert sess.make_callable(d, [c])(2.0) == 4.0
        with pytest.raises(ValueError, match="Cannot feed value of shape \\(1, 4\\)"):
            f(np.ones((1, 4)))


def test_make_callable_stateful():
    v = tf.Variable(0)
    inc = tf.assign_add(v, 1)
    with tf.Session() as sess:
        sess.run(v.initializer)
        step = sess.make_callable(inc)
        assert [step() for _ in range(3)] == [1, 2, 3]


# --- default sessions ----------------------------------------------------------------------
def test_eval_and_run_with_default_session(graph):
    _, _, c, d = graph
    with pytest.raises(ValueError, match="Cannot evaluate tensor using `eval\\(\\)`: No default "
                                         "session is registered."):
        c.eval()
    with pytest.raises(ValueError, match="Cannot execute operation using `run\\(\\)`: No "
                                         "default session is registered."):
        d.op.run()
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert c.eval() == 5.0
        assert d.eval(feed_dict={c: 1.0}) == 2.0
        d.op.run()
    assert tf.get_default_session() is None
    sess = tf.Session()
    assert c.eval(session=sess) == 5.0
    with sess.as_default():
        assert c.eval() == 5.0
    assert tf.get_default_session() is None
    sess.close()


def test_eval_in_a_session_of_another_graph(graph):
    _, _, c, _ = graph
    g = tf.Graph()
    with g.as_default():
        gc = tf.constant(1.0)
    with tf.Session(graph=g) as s:
        assert tf.get_default_graph() is g
        assert gc.eval() == 1.0
        with pytest.raises(ValueError, match="Cannot use the default session to evaluate tensor: "
                                             "the tensor's graph is different from the "
                                             "session's graph."):
            c.eval()
        with pytest.raises(ValueError, match="Cannot use the given session to evaluate tensor"):
            c.eval(session=s)


def test_variable_eval_with_default_session():
    v = tf.Variable([1, 2])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert v.eval().tolist() == [1, 2]


def test_interactive_session():
    c = tf.constant(5.0)
    sess = tf.InteractiveSession()
    try:
        assert tf.get_default_session() is sess
        assert c.eval() == 5.0
    finally:
        sess.close()
    assert tf.get_default_session() is None


def test_closed_session():
    c = tf.constant(1.0)
    sess = tf.Session()
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(c)
    sess.close()  # closing twice is fine
    with tf.Session() as s2:
        pass
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        s2.run(c)


def test_session_arguments():
    with pytest.raises(TypeError, match="graph must be a tf.Graph"):
        tf.Session(graph=1)
    with pytest.raises(TypeError, match="config must be a tf.ConfigProto"):
        tf.Session(config=1)
    g = tf.Graph()
    s = tf.Session(graph=g)
    assert s.graph is g
    assert s.sess_str == ""
    s.close()


def test_run_accepts_options_and_metadata(graph):
    _, _, c, _ = graph
    with tf.Session() as sess:
        opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        meta = tf.RunMetadata()
        assert sess.run(c, options=opts, run_metadata=meta) == 5.0


def test_new_ops_after_a_run_are_seen(graph):
    _, _, c, _ = graph
    with tf.Session() as sess:
        assert sess.run(c) == 5.0
        e = c + 1.0
        assert sess.run(e) == 6.0


# --- placement ----------------------------------------------------------------------------
def test_unavailable_device_needs_soft_placement():
    p = tf.placeholder(tf.float32, [])
    with tf.device("/device:XLA_NOPE:3"):
        y = p * 2.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Cannot assign a device for operation mul(/y)?: {{node "
                                 "mul(/y)?}} was explicitly assigned to /device:XLA_NOPE:3 but "
                                 "available devices are"):
            sess.run(y, {p: 1.0})
    config = tf.ConfigProto(allow_soft_placement=True)
    with tf.Session(config=config) as sess:
        assert sess.run(y, {p: 1.0}) == 2.0


def test_bad_device_fails_even_when_folded():
    with tf.device("/job:nope/task:7"):
        y = tf.constant(3.0) * 2.0
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot assign a device"):
            sess.run(y)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as sess:
        assert sess.run(y) == 6.0


def test_cpu_device_runs_and_logs(capsys):
    with tf.device("/cpu:0"):
        y = tf.constant(2.0, name="two") * 3.0
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as sess:
        assert sess.run(y) == 6.0
    err = capsys.readouterr().err
    assert "/job:localhost/replica:0/task:0/device:CPU:0" in err
