"""Graph: op naming and name scopes, lookups, collections, control dependencies, devices."""

import pytest

import tensorflux as tf


# --- naming --------------------------------------------------------------------------------
def test_unique_names_get_numbered_suffixes():
    a = tf.constant(1.0, name="foo")
    b = tf.constant(1.0, name="foo")
    c = tf.constant(1.0, name="foo")
    assert (a.name, b.name, c.name) == ("foo:0", "foo_1:0", "foo_2:0")
    # an explicit name that collides with a generated one is suffixed again
    assert tf.constant(1.0, name="foo_1").name == "foo_1_1:0"
    # uniqueness ignores case, as TF's does
    assert tf.constant(1.0, name="Foo").name == "Foo_3:0"


@pytest.mark.parametrize("build,name", [
    (lambda x, y: x * y, "mul:0"),
    (lambda x, y: x + y, "add:0"),
    (lambda x, y: x - y, "sub:0"),
    (lambda x, y: x / y, "truediv:0"),
    (lambda x, y: x // y, "floordiv:0"),
    (lambda x, y: x % y, "mod:0"),
    (lambda x, y: x ** y, "pow:0"),
    (lambda x, y: -x, "Neg:0"),
    (lambda x, y: tf.add(x, y), "Add:0"),
    (lambda x, y: tf.multiply(x, y), "Mul:0"),
    (lambda x, y: tf.matmul([[1.0]], [[2.0]]), "MatMul:0"),
    (lambda x, y: tf.reduce_sum(x), "Sum:0"),
    (lambda x, y: tf.placeholder(tf.float32), "Placeholder:0"),
    (lambda x, y: tf.Variable(1.0), "Variable:0"),
])
def test_default_op_names(build, name):
    x = tf.constant(1.0)
    y = tf.constant(2.0)
    assert (x.name, y.name) == ("Const:0", "Const_1:0")
    assert build(x, y).name == name


def test_names_are_unique_ignoring_case():
    x = tf.constant(1.0)
    assert (x + x).name == "add:0"
    assert tf.add(x, x).name == "Add_1:0"


def test_name_scopes_nest_and_uniquify():
    g = tf.get_default_graph()
    with tf.name_scope("s") as s1:
        assert s1 == "s/"
        assert g.get_name_scope() == "s"
        with tf.name_scope("t") as s2:
            assert s2 == "s/t/"
            assert tf.constant(1.0, name="c").name == "s/t/c:0"
    with tf.name_scope("s") as s3:
        assert s3 == "s_1/"
    assert g.get_name_scope() == ""


def test_absolute_scope_with_trailing_slash():
    with tf.name_scope("outer"):
        with tf.name_scope("abs/"):
            x = tf.constant(1.0, name="x")
    with tf.name_scope("abs/"):
        y = tf.constant(1.0, name="x")
    assert x.name == "abs/x:0"
    assert y.name == "abs/x_1:0"


def test_reentering_a_captured_scope():
    with tf.name_scope("s") as scope:
        pass
    with tf.name_scope(scope):
        assert tf.constant(1.0, name="y").name == "s/y:0"
        with tf.name_scope(None):
            assert tf.constant(1.0, name="z").name == "z:0"
        with tf.name_scope(""):
            assert tf.constant(1.0, name="z").name == "z_1:0"


def test_name_scope_default_name_and_values():
    with tf.name_scope(None, "def") as s:
        assert s == "def/"
    with tf.name_scope(None, "def") as s:
        assert s == "def_1/"
    with tf.name_scope("given", "def") as s:
        assert s == "given/"
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0)
    # values from another graph: the scope opens in that graph
    with tf.name_scope("v", values=[x]) as s:
        assert s == "v/"
        assert g.get_name_scope() == "v"
    assert tf.get_default_graph().get_name_scope() == ""


def test_name_scope_name_collides_with_op_name():
    tf.constant(1.0, name="foo")
    with tf.name_scope("foo") as s:
        assert s == "foo_1/"


def test_invalid_names():
    with pytest.raises(ValueError, match="is not a valid node name"):
        tf.constant(1.0, name="_bad")
    with pytest.raises(ValueError, match="is not a valid node name"):
        tf.constant(1.0, name="a b")
    with pytest.raises(ValueError, match="'a b' is not a valid"):
        with tf.name_scope("a b"):
            pass


def test_unique_name_mark_as_used():
    g = tf.get_default_graph()
    tf.constant(1.0, name="foo")
    assert g.unique_name("foo") == "foo_1"
    assert g.unique_name("bar", mark_as_used=False) == "bar"
    assert g.unique_name("bar", mark_as_used=False) == "bar"
    assert g.unique_name("bar") == "bar"
    assert g.unique_name("bar") == "bar_1"
    with tf.name_scope("s"):
        assert g.unique_name("x") == "s/x"


# --- lookups -----------------------------------------------------------------------------
def test_get_tensor_and_operation_by_name():
    g = tf.get_default_graph()
    with tf.name_scope("a"):
        c = tf.constant(1.0, name="foo")
    assert g.get_tensor_by_name("a/foo:0") is c
    assert g.get_operation_by_name("a/foo") is c.op
    assert g.as_graph_element("a/foo:0") is c
    assert g.as_graph_element("a/foo") is c.op
    assert g.as_graph_element(c) is c
    assert g.as_graph_element(c.op) is c.op
    v = tf.Variable(1.0, name="v")
    assert g.as_graph_element(v) is g.get_tensor_by_name("v:0")


def test_lookup_errors_match_tf():
    g = tf.get_default_graph()
    tf.constant(1.0, name="foo")
    with pytest.raises(ValueError, match="The name 'foo' refers to an Operation, not a Tensor. "
                                         "Tensor names must be of the form"):
        g.get_tensor_by_name("foo")
    with pytest.raises(KeyError, match="The name 'nope:0' refers to a Tensor which does not "
                                       "exist. The operation, 'nope', does not exist in the "
                                       "graph."):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError, match="The operation, 'foo', exists but only has 1 outputs."):
        g.get_tensor_by_name("foo:1")
    with pytest.raises(ValueError, match="looks a like a Tensor name, but is not a valid one"):
        g.get_tensor_by_name("foo:x")
    with pytest.raises(ValueError, match="Name 'foo:0' appears to refer to a Tensor, not a "
                                         "Operation."):
        g.get_operation_by_name("foo:0")
    with pytest.raises(KeyError, match="The name 'nope' refers to an Operation not in the "
                                       "graph."):
        g.get_operation_by_name("nope")
    with pytest.raises(TypeError, match="Can not convert a int into a Tensor or Operation."):
        g.as_graph_element(1)
    with pytest.raises(TypeError, match="Tensor names are strings \\(or similar\\), not int."):
        g.get_tensor_by_name(1)


def test_as_graph_element_from_another_graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0)
    with pytest.raises(ValueError, match="is not an element of this graph"):
        tf.get_default_graph().as_graph_element(x)


def test_ops_from_different_graphs_do_not_mix():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0, name="foo")
    b = tf.constant(1.0)
    with pytest.raises(ValueError, match="must be from the same graph as"):
        tf.add(a, b)


def test_get_operations_in_creation_order():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
        b = a * 2.0
    ops = g.get_operations()
    assert ops[0] is a.op and ops[-1] is b.op
    assert [op.type for op in ops] == ["Const", "Const", "Mul"]


# --- default graph, finalize ---------------------------------------------------------------
def test_as_default_nests_and_restores():
    outer = tf.get_default_graph()
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default() as got:
        assert got is g1
        assert tf.get_default_graph() is g1
        with g2.as_default():
            assert tf.constant(1.0).graph is g2
        assert tf.get_default_graph() is g1
    assert tf.get_default_graph() is outer


def test_reset_default_graph():
    g = tf.get_default_graph()
    tf.constant(1.0)
    tf.reset_default_graph()
    assert tf.get_default_graph() is not g
    assert tf.get_default_graph().get_operations() == []
    with tf.Graph().as_default():
        with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph"):
            tf.reset_default_graph()


def test_finalize():
    g = tf.Graph()
    with g.as_default():
        tf.constant(1.0)
        assert not g.finalized
        g.finalize()
        assert g.finalized
        with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified."):
            tf.constant(2.0)


def test_version_grows_with_ops():
    g = tf.Graph()
    v0 = g.version
    with g.as_default():
        tf.constant(1.0)
    assert g.version > v0


# --- collections -------------------------------------------------------------------------
def test_collections():
    g = tf.get_default_graph()
    tf.add_to_collection("c", 1)
    g.add_to_collection("c", 2)
    assert tf.get_collection("c") == [1, 2]
    got = tf.get_collection("c")
    got.append(99)  # a copy
    assert tf.get_collection("c") == [1, 2]
    ref = tf.get_collection_ref("c")
    ref.append(3)  # the live list
    assert tf.get_collection("c") == [1, 2, 3]
    tf.add_to_collections(["c", "d"], 4)
    assert tf.get_collection("d") == [4]
    assert tf.get_collection("nope") == []
    assert set(g.get_all_collection_keys()) == {"c", "d"}
    g.clear_collection("d")
    assert tf.get_collection("d") == []
    assert g.get_all_collection_keys() == ["c"]


def test_collection_scope_filter():
    with tf.name_scope("a"):
        x = tf.constant(1.0, name="x")
    y = tf.constant(1.0, name="ab")
    tf.add_to_collection("t", x)
    tf.add_to_collection("t", y)
    tf.add_to_collection("t", 5)  # no name: never matches a scope
    assert tf.get_collection("t", scope="a") == [x, y]
    assert tf.get_collection("t", scope="a/") == [x]


def test_graph_keys():
    assert tf.GraphKeys.GLOBAL_VARIABLES == "variables"
    assert tf.GraphKeys.VARIABLES == "variables"
    assert tf.GraphKeys.TRAINABLE_VARIABLES == "trainable_variables"
    assert tf.GraphKeys.LOCAL_VARIABLES == "local_variables"
    assert tf.GraphKeys.UPDATE_OPS == "update_ops"
    assert tf.GraphKeys.LOSSES == "losses"
    assert tf.GraphKeys.REGULARIZATION_LOSSES == "regularization_losses"
    assert tf.GraphKeys.SUMMARIES == "summaries"


# --- control dependencies ----------------------------------------------------------------
def test_control_dependencies():
    v = tf.constant(1.0, name="v")
    with tf.control_dependencies([v]):
        w = tf.constant(2.0)
        assert w.op.control_inputs == [v.op]
        # an op that already has v as a data input gets no control edge for it
        assert tf.identity(v).op.control_inputs == []
        with tf.control_dependencies(None):
            assert tf.constant(1.0).op.control_inputs == []
        with tf.control_dependencies([w.op]):
            assert tf.constant(1.0).op.control_inputs == [v.op, w.op]
    assert tf.constant(3.0).op.control_inputs == []
    assert w.op in [op for op in v.op._control_outputs]


def test_control_dependencies_bad_input():
    with pytest.raises(TypeError, match="Can not convert a int into a Tensor or Operation."):
        with tf.control_dependencies([1]):
            pass


def test_control_dependencies_accept_variables():
    v = tf.Variable(1.0, name="v")
    with tf.control_dependencies([v]):
        c = tf.constant(1.0)
    assert c.op.control_inputs == [v.op]


# --- devices -----------------------------------------------------------------------------
def test_device_strings_are_canonicalised():
    with tf.device("/cpu:0"):
        c1 = tf.constant(1.0)
        with tf.device("/gpu:1"):
            c2 = tf.constant(1.0)
        with tf.device("/job:ps/task:2"):
            c3 = tf.constant(1.0)
        with tf.device(None):
            c4 = tf.constant(1.0)
        with tf.device(""):
            c5 = tf.constant(1.0)
    assert c1.device == c1.op.device == "/device:CPU:0"
    assert c2.device == "/device:GPU:1"
    assert c3.device == "/job:ps/task:2/device:CPU:0"
    assert c4.device == ""
    assert c5.device == "/device:CPU:0"
    assert tf.constant(1.0).device == ""


@pytest.mark.parametrize("spec,canonical", [
    ("/job:worker/replica:0/task:1/device:GPU:0", "/job:worker/replica:0/task:1/device:GPU:0"),
    ("/device:CPU:*", "/device:CPU:*"),
    ("CPU:0", "/device:CPU:0"),
    ("/GPU:0", "/device:GPU:0"),
    ("/device:gpu:2", "/device:GPU:2"),
])
def test_device_spec_forms(spec, canonical):
    with tf.device(spec):
        assert tf.constant(1.0).device == canonical


def test_device_spec_object():
    with tf.device(tf.DeviceSpec(job="ps", device_type="GPU", device_index=0)):
        assert tf.constant(1.0).device == "/job:ps/device:GPU:0"
    spec = tf.DeviceSpec.from_string("/job:w/task:3/cpu:1")
    assert (spec.job, spec.task, spec.device_type, spec.device_index) == ("w", 3, "CPU", 1)
    assert spec.to_string() == "/job:w/task:3/device:CPU:1"


def test_device_functions():
    def fn(op):
        return "/cpu:0" if op.type == "Const" else "/gpu:0"

    with tf.device(fn):
        k1 = tf.constant(1.0)
        k2 = k1 + k1
    # a device function's result is stored as returned (TF does not canonicalise it)
    assert (k1.device, k2.device) == ("/cpu:0", "/gpu:0")
    with tf.device("/job:ps"):
        with tf.device(fn):
            k3 = tf.constant(1.0)
    assert k3.device == "/job:ps/device:CPU:0"


def test_device_function_sees_inner_scope():
    seen = []

    def fn(op):
        seen.append(op.device)
        return op.device + "/device:GPU:0" if op.device else "/device:GPU:1"

    with tf.device(fn):
        with tf.device("/job:w"):
            a = tf.constant(1.0)
        b = tf.constant(1.0)
    assert seen == ["/job:w", ""]
    assert a.device == "/job:w/device:GPU:0"
    assert b.device == "/device:GPU:1"


def test_bad_device_string():
    with pytest.raises(ValueError, match="Unknown attribute"):
        with tf.device("/foo:bar"):
            pass


def test_colocate_with():
    with tf.device("/cpu:0"):
        a = tf.constant(1.0, name="a")
    with tf.device("/gpu:0"):
        with tf.colocate_with(a):
            b = tf.constant(2.0)
    assert b.device == "/device:CPU:0"
    assert b.op.colocation_groups() == [b"loc:@a"]
    assert a.op.colocation_groups() == [b"loc:@a"]


def test_reentering_an_outer_graph_restores_the_inner_one_on_exit():
    """init_scope inside a cond branch of a non-global graph: the branch stays the default."""
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0)

        def branch():
            inner = tf.get_default_graph()
            with tf.init_scope():
                assert tf.get_default_graph() is g
            assert tf.get_default_graph() is inner
            return x + 1.0

        out = tf.cond(x > 0, branch, lambda: x)
        assert tf.get_default_graph() is g
    with tf.Session(graph=g) as sess:
        assert sess.run(out) == 2.0
    assert not [op for op in g.get_operations() if op.type in ("Add", "AddV2")]  # in the branch
