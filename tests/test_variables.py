"""tf.Variable: ops and names, initializers, reads and assignments, collections, errors."""

import numpy as np
import pytest

import tensorflux as tf


def test_variable_ops_and_names():
    v = tf.Variable([1.0, 2.0], name="v")
    g = tf.get_default_graph()
    assert [op.name for op in g.get_operations()] == ["v/initial_value", "v", "v/Assign",
                                                      "v/read"]
    assert v.name == "v:0" and v.op.name == "v" and v.op.type == "VariableV2"
    assert v.initializer.name == "v/Assign"
    assert v.value().name == "v/read:0"
    assert v.initial_value.name == "v/initial_value:0"
    assert v.dtype == tf.float32._as_ref and v.dtype.base_dtype == tf.float32
    assert v.shape == tf.TensorShape([2]) and v.get_shape() == v.shape
    assert repr(v) == "<tf.Variable 'v:0' shape=(2,) dtype=float32_ref>"
    assert v.graph is g
    assert v._as_graph_element() is v.op.outputs[0]


def test_default_names_and_scopes():
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0).name == "Variable_1:0"
    with tf.name_scope("s"):
        w = tf.Variable(tf.zeros([2, 3]), name="w")
    assert w.name == "s/w:0"
    assert w.initial_value.name == "s/zeros:0"
    lam = tf.Variable(lambda: tf.ones([2]), name="lam")
    assert lam.initial_value.name == "lam/Initializer/ones:0"


def test_dtype_and_shape_arguments():
    assert tf.Variable([1, 2]).dtype.base_dtype == tf.int32
    assert tf.Variable([1, 2], dtype=tf.float32).dtype.base_dtype == tf.float32
    v = tf.Variable(tf.zeros([2]), shape=[None], validate_shape=False)
    assert v.shape.as_list() == [None]
    p = tf.placeholder(tf.float32, [None])
    assert tf.Variable(p, validate_shape=False).shape.ndims is None


def test_constructor_errors():
    with pytest.raises(ValueError, match="initial_value must be specified."):
        tf.Variable(None)
    with pytest.raises(ValueError, match="initial_value must have a shape specified"):
        tf.Variable(tf.placeholder(tf.float32, [None]))
    with pytest.raises(ValueError, match="collections argument to Variable constructor must be "
                                         "a list, tuple, or set."):
        tf.Variable(1.0, collections="abc")


def test_collections_and_trainable():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1, trainable=False, name="b")
    loc = tf.Variable(0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="loc")
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a, loc]  # trainable by default, as in TF
    assert tf.local_variables() == [loc]
    assert not b.trainable and a.trainable
    with tf.name_scope("s"):
        c = tf.Variable(1.0, name="c")
    assert tf.global_variables("s") == [c]
    assert tf.all_variables() == tf.global_variables()


def test_initializers():
    a = tf.Variable([1.0, 2.0], name="a")
    b = tf.Variable(tf.ones([2]) * 3.0, name="b")
    loc = tf.Variable(5, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="loc")
    init = tf.global_variables_initializer()
    assert init.type == "NoOp" and init.name == "init"
    assert tf.variables_initializer([]).type == "NoOp"
    with tf.Session() as sess:
        assert sess.run(init) is None
        np.testing.assert_allclose(sess.run(b), [3.0, 3.0])
        assert sess.run(tf.is_variable_initialized(loc)) == False  # noqa: E712
        sess.run(tf.local_variables_initializer())
        assert sess.run(loc) == 5
    with tf.Session() as sess:
        sess.run(tf.variables_initializer([a]))
        assert sess.run(tf.is_variable_initialized(a)) == True  # noqa: E712
        assert sess.run(tf.is_variable_initialized(b)) == False  # noqa: E712


def test_initialized_value_orders_initialization():
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(v.initialized_value() * 2.0, name="w")
    with tf.Session() as sess:
        sess.run(w.initializer)  # v is initialized on the way
        np.testing.assert_allclose(sess.run(w), [2.0, 4.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(w), [2.0, 4.0])


def test_assign_returns_the_new_value():
    v = tf.Variable([1.0, 2.0], name="v")
    a = v.assign([3.0, 4.0])
    aa = v.assign_add([1.0, 1.0])
    asub = v.assign_sub([0.5, 0.5], name="mysub")
    assert (a.name, aa.name, asub.name) == ("Assign:0", "AssignAdd:0", "mysub:0")
    assert tf.assign(v, [0.0, 0.0]).name == "Assign_1:0"
    assert tf.assign_add(v, [1.0, 1.0]).name == "AssignAdd_1:0"
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_allclose(sess.run(a), [3.0, 4.0])
        np.testing.assert_allclose(sess.run(aa), [4.0, 5.0])
        np.testing.assert_allclose(sess.run(asub), [3.5, 4.5])
        np.testing.assert_allclose(sess.run(v), [3.5, 4.5])
        assert sess.run(v.assign([9.0, 9.0], read_value=False)) is None
        np.testing.assert_allclose(sess.run(v), [9.0, 9.0])


def test_assign_shape_checks():
    v = tf.Variable([1.0, 2.0], name="v")
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 2 "
                                         "and 3. Shapes are \\[2\\] and \\[3\\]"):
        v.assign([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Shapes must be equal rank, but are 1 and 2"):
        v.assign([[1.0, 2.0]])
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        v.assign_add([1.0, 2.0, 3.0])
    p = tf.placeholder(tf.float32, None)
    a = v.assign(p)  # unknown shape: checked at run time
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Assign requires shapes of both "
                                                                 "tensors to match"):
            sess.run(a, {p: [1.0, 2.0, 3.0]})
        np.testing.assert_allclose(sess.run(v), [1.0, 2.0])
    grow = tf.assign(v, [1.0, 2.0, 3.0], validate_shape=False)
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(grow), [1.0, 2.0, 3.0])


def test_assign_converts_python_values_to_the_variable_dtype():
    v = tf.Variable([1.0, 2.0])
    assert v.assign([1, 2]).dtype.base_dtype == tf.float32
    i = tf.Variable(0)
    with pytest.raises(TypeError):
        i.assign(1.5)


def test_read_value_respects_control_dependencies():
    v = tf.Variable([1.0, 2.0], name="v")
    with tf.control_dependencies([v.assign([10.0, 20.0])]):
        fresh = v.read_value()
        snapshot = v.value()  # created with the variable, outside the block
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_allclose(sess.run(fresh), [10.0, 20.0])
        sess.run(v.assign([1.0, 2.0]))
        np.testing.assert_allclose(sess.run(snapshot), [1.0, 2.0])


def test_a_read_sees_the_value_at_the_start_of_the_run():
    v = tf.Variable(1.0, name="v")
    inc = v.assign_add(1.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        # the read of v has no dependency on inc: it sees the value before the update
        got_v, got_inc = sess.run([v.value() * 1.0, inc])
        assert (got_v, got_inc) == (1.0, 2.0)
        assert sess.run(v) == 2.0


def test_load():
    v = tf.Variable([1.0, 2.0], name="v")
    with pytest.raises(ValueError, match="Either session argument should be provided or default "
                                         "session should be established"):
        v.load([1.0, 2.0])
    with tf.Session() as sess:
        sess.run(v.initializer)
        v.load([7.0, 8.0], sess)
        np.testing.assert_allclose(sess.run(v), [7.0, 8.0])
        v.load(np.array([5.0, 6.0]))  # default session
        np.testing.assert_allclose(v.eval(), [5.0, 6.0])


def test_report_uninitialized_variables():
    a = tf.Variable(1.0, name="a")
    tf.Variable(2.0, name="b")
    loc = tf.Variable(0, collections=[tf.GraphKeys.LOCAL_VARIABLES], name="loc")
    report = tf.report_uninitialized_variables()
    with tf.Session() as sess:
        assert sess.run(report).tolist() == [b"a", b"b", b"loc"]
        sess.run(a.initializer)
        sess.run(loc.initializer)
        assert sess.run(report).tolist() == [b"b"]
        sess.run(tf.global_variables_initializer())
        assert sess.run(report).tolist() == []
        only = tf.report_uninitialized_variables([a])
        assert sess.run(only).tolist() == []


def test_uninitialized_read_names_the_variable():
    u = tf.Variable(1.0, name="my_var")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value my_var"):
            sess.run(u + 1.0)
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value my_var") as info:
            sess.run(u.value())
        assert info.value.op.name == "my_var/read"  # as TF: the op that read it unset
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value my_var") as info:
            sess.run(u)
        assert info.value.op.name == "my_var"


def test_failed_run_leaves_variables_untouched():
    v = tf.Variable(1.0, name="v")
    u = tf.Variable(1.0, name="u")  # never initialized
    both = [v.assign_add(1.0), u.assign_add(1.0)]
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.FailedPreconditionError, match="uninitialized value u"):
            sess.run(both)
        assert sess.run(v) == 1.0


def test_variable_operators_read_the_snapshot():
    v = tf.Variable([1.0, 2.0], name="v")
    y = v * 2.0 + 1.0
    assert (v + 1).name == "add_1:0"
    assert y.op.inputs[0].op.inputs[0].name == "v/read:0"
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_allclose(sess.run(y), [3.0, 5.0])
        np.testing.assert_allclose(sess.run(-v), [-1.0, -2.0])
        np.testing.assert_allclose(sess.run(v[1]), 2.0)
        np.testing.assert_allclose(sess.run(tf.constant([[1.0, 1.0]]) @ tf.reshape(v, [2, 1])),
                                   [[3.0]])


def test_variable_is_truthy_and_hashable():
    v = tf.Variable(1.0)
    assert bool(v)
    assert v in {v}
    with pytest.raises(TypeError):
        iter(v)


def test_device_of_a_variable():
    with tf.device("/cpu:0"):
        v = tf.Variable(1.0, name="dv")
    assert v.device == "/device:CPU:0"
    assert v.initializer.device == "/device:CPU:0"
    assert v.value().device == "/device:CPU:0"


def test_integer_and_bool_variables():
    i = tf.Variable(3, name="i")
    b = tf.Variable(True, name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(i.assign_add(2)) == 5
        assert sess.run(b.assign(False)) == False  # noqa: E712


# --- initializers (used through get_variable and directly) ----------------------------------
@pytest.mark.parametrize("init,check", [
    (tf.zeros_initializer(), lambda a: np.all(a == 0)),
    (tf.ones_initializer(), lambda a: np.all(a == 1)),
    (tf.constant_initializer(0.5), lambda a: np.all(a == 0.5)),
    (tf.random_uniform_initializer(-0.1, 0.1), lambda a: np.all(np.abs(a) <= 0.1)),
    (tf.random_normal_initializer(0.0, 0.01), lambda a: np.abs(a).max() < 0.1),
    (tf.truncated_normal_initializer(0.0, 1.0), lambda a: np.abs(a).max() <= 2.0),
    (tf.glorot_uniform_initializer(), lambda a: np.abs(a).max() <= np.sqrt(6 / (20 + 30))),
    (tf.glorot_normal_initializer(), lambda a: np.abs(a).max() < 1.0),
    (tf.variance_scaling_initializer(2.0, "fan_in", "uniform"),
     lambda a: np.abs(a).max() <= np.sqrt(3 * 2.0 / 20)),
    (tf.orthogonal_initializer(), lambda a: np.allclose(a @ a.T, np.eye(20), atol=1e-5)),
])
def test_initializer_values(init, check):
    v = tf.get_variable("v", [20, 30], initializer=init)
    with tf.Session() as sess:
        sess.run(v.initializer)
        value = sess.run(v)
    assert value.shape == (20, 30) and value.dtype == np.float32
    assert check(value)


def test_constant_initializer_with_a_list():
    v = tf.get_variable("v", [2, 2], initializer=tf.constant_initializer([1.0, 2.0, 3.0, 4.0]))
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v).tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_identity_initializer():
    v = tf.get_variable("v", [3, 3], initializer=tf.identity_initializer())
    with tf.Session() as sess:
        sess.run(v.initializer)
        np.testing.assert_array_equal(sess.run(v), np.eye(3))


def test_assigning_a_fed_array_keeps_the_value_when_the_caller_modifies_it():
    v = tf.Variable(tf.zeros([3]))
    ph = tf.placeholder(tf.float32, [3])
    assign = v.assign(ph)
    arr = np.array([1.0, 2.0, 3.0], np.float32)
    with tf.Session() as sess:
        sess.run(v.initializer)
        sess.run(assign, {ph: arr})
        arr[:] = 7.0
        np.testing.assert_array_equal(sess.run(v), [1.0, 2.0, 3.0])
