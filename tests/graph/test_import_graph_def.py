"""tf.import_graph_def: TF's GraphDefs run with TF's results; names, input_map, errors."""

import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import attr_values

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_def")


def _expected():
    return np.load(os.path.join(FIXTURES, "expected.npz"))


def _cnn_graph_def():
    with open(os.path.join(FIXTURES, "cnn.pb"), "rb") as f:
        return tf.GraphDef.FromString(f.read())


def _xla_config():
    config = tf.ConfigProto(device_count={"GPU": 0})
    config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    return config


# --- the message classes ----------------------------------------------------------------------
def test_graph_def_parses_tf_bytes_and_round_trips():
    gd = _cnn_graph_def()
    names = [n.name for n in gd.node]
    assert "conv1/Conv2D" in names and names[-1] == "x"  # the fixture lists nodes reversed
    conv = next(n for n in gd.node if n.op == "Conv2D")
    assert conv.input == ["x", "conv1/weights"]
    assert conv.attr["padding"].s == b"SAME"
    assert list(conv.attr["strides"].list.i) == [1, 1, 1, 1]
    assert conv.attr["T"].type == tf.float32.as_datatype_enum
    again = tf.GraphDef()
    again.ParseFromString(gd.SerializeToString())
    assert again == gd and again.versions.producer == gd.versions.producer > 0


def test_node_def_built_by_hand():
    gd = tf.GraphDef()
    node = gd.node.add(name="c", op="Const")
    node.attr["dtype"].type = tf.int32.as_datatype_enum
    node.attr["value"].tensor.dtype = tf.int32.as_datatype_enum
    node.attr["value"].tensor.int_val.append(7)
    with tf.Graph().as_default():
        c, = tf.import_graph_def(gd, return_elements=["c:0"])
        with tf.Session() as sess:
            assert sess.run(c) == 7


def test_tensor_proto_typed_fields_pad_with_last_value():
    proto = tf.TensorProto(dtype=tf.float32.as_datatype_enum, float_val=[0.5])
    proto.tensor_shape.dim.add(size=3)
    np.testing.assert_array_equal(attr_values.tensor_proto_to_ndarray(proto), [0.5] * 3)


# --- TF's graph, run by tensorflux ------------------------------------------------------------
@pytest.mark.parametrize("backend", ["numpy", "xla"])
def test_tf_cnn_gives_tf_outputs(backend):
    if backend == "xla":
        pytest.importorskip("jax")
    exp = _expected()
    with tf.Graph().as_default():
        probs, label, relu = tf.import_graph_def(
            _cnn_graph_def(), return_elements=["probs:0", "label:0", "conv1/Relu:0"])
        assert probs.shape.as_list() == [None, 3] and relu.shape.as_list() == [None, 8, 8, 4]
        config = _xla_config() if backend == "xla" else None
        with tf.Session(config=config) as sess:
            out = sess.run([probs, label, relu], {"import/x:0": exp["cnn_x"]})
    np.testing.assert_allclose(out[0], exp["cnn_probs"], rtol=1e-5)
    np.testing.assert_array_equal(out[1], exp["cnn_label"])
    np.testing.assert_allclose(out[2], exp["cnn_relu"], rtol=1e-5, atol=1e-6)


def test_gradients_flow_through_an_imported_graph():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 8, 8, 1])
        probs, = tf.import_graph_def(_cnn_graph_def(), input_map={"x": x},
                                     return_elements=["probs:0"])
        grad, = tf.gradients(tf.reduce_sum(probs[:, 0]), x)
        with tf.Session() as sess:
            g = sess.run(grad, {x: _expected()["cnn_x"]})
    assert g.shape == (2, 8, 8, 1) and np.abs(g).sum() > 0


# --- names, input_map, return_elements --------------------------------------------------------
def _small_graph_def():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        c = tf.constant([[1.0, 2.0]], name="c")
        d = tf.no_op(name="d")
        with tf.control_dependencies([d]), tf.device("/cpu:0"):
            y = tf.add(x, c, name="y")
        tf.identity(y, name="z")
    return g.as_graph_def()


def test_name_prefixes():
    gd = _small_graph_def()
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd)
        tf.import_graph_def(gd)
        tf.import_graph_def(gd, name="net")
        tf.import_graph_def(gd, name="")
        names = {op.name for op in g.get_operations()}
    for prefix in ("import/", "import_1/", "net/", ""):
        assert {prefix + n for n in ("x", "c", "d", "y", "z")} <= names


def test_control_inputs_and_devices_are_kept():
    with tf.Graph().as_default() as g:
        tf.import_graph_def(_small_graph_def(), name="")
        y = g.get_operation_by_name("y")
        assert [op.name for op in y.control_inputs] == ["d"]
        assert "CPU:0" in y.device.upper()
        assert [t.name for t in y.inputs] == ["x:0", "c:0"]


def test_input_map_replaces_tensors():
    with tf.Graph().as_default():
        feed = tf.constant([[10.0, 20.0]])
        z, y_op = tf.import_graph_def(_small_graph_def(), input_map={"x:0": feed},
                                      return_elements=["z:0", "y"])
        assert isinstance(y_op, tf.Operation) and y_op.name == "import/y"
        assert y_op.inputs[0] is feed
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(z), [[11.0, 22.0]])


def test_as_graph_def_is_an_editable_message():
    gd = _small_graph_def()
    assert isinstance(gd, tf.GraphDef)
    for node in gd.node:
        node.device = ""
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        assert g.get_operation_by_name("y").device == ""
        x = next(n for n in g.as_graph_def(add_shapes=True).node if n.name == "x")
        shapes = x.attr["_output_shapes"].list.shape
        assert [d.size for d in shapes[0].dim] == [-1, 2]


def test_return_element_output_out_of_range():
    with tf.Graph().as_default(), pytest.raises(ValueError, match="z:3"):
        tf.import_graph_def(_small_graph_def(), return_elements=["z:3"])


def test_round_trip_of_a_tensorflux_graph():
    x_val = np.arange(8.0, dtype=np.float32).reshape(2, 4)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        w = tf.Variable(tf.ones([4, 2]), name="w")
        outs = [tf.reduce_mean(tf.nn.relu(tf.matmul(x, w) - 5.0), axis=1, keepdims=True),
                tf.pad(x, [[1, 1], [0, 0]], mode="REFLECT"), tf.cast(x, tf.int32),
                tf.constant(["a", "bc"]), tf.concat([x, x], 1), x[:, 1:3],
                tf.nn.max_pool(tf.reshape(x, [-1, 2, 2, 1]), [1, 2, 2, 1], [1, 1, 1, 1],
                               "VALID")]
        with tf.Session() as sess:
            sess.run(w.initializer)
            expected = sess.run(outs, {x: x_val})
    gd = tf.GraphDef.FromString(g.as_graph_def().SerializeToString())
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(gd, name="")
        with tf.Session() as sess:
            sess.run("w/Assign")
            got = sess.run([t.name for t in outs], {"x:0": x_val})
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)
    assert [op.name for op in g2.get_operations()] == [op.name for op in g.get_operations()]


# --- errors -----------------------------------------------------------------------------------
def _graph_def(*nodes):
    gd = tf.GraphDef()
    for name, op, inputs in nodes:
        node = gd.node.add(name=name, op=op, input=inputs)
        if op == "Placeholder":
            node.attr["dtype"].type = tf.float32.as_datatype_enum
    return gd


def test_bfloat16_constants_are_written_two_bytes_each():
    # TF's tensor_content for bfloat16 holds the 16-bit patterns (values held as float32 here)
    with tf.Graph().as_default() as g:
        tf.constant([1.0, 2.5, -3.0, 1 + 2 ** -9], dtype=tf.bfloat16, name="c")
    gd = tf.GraphDef.FromString(g.as_graph_def().SerializeToString())
    content = gd.node[0].attr["value"].tensor.tensor_content
    assert np.frombuffer(content, "<u2").tolist() == [0x3F80, 0x4020, 0xC040, 0x3F80]
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(gd, name="")
        with tf.Session() as sess:
            got = sess.run(tf.cast(g2.get_tensor_by_name("c:0"), tf.float32))
    np.testing.assert_array_equal(got, [1.0, 2.5, -3.0, 1.0])


@pytest.mark.parametrize("kwargs,pattern", [
    ({"graph_def": _graph_def(("a", "FancyOp", []))}, "FancyOp"),
    ({"graph_def": _graph_def(("a", "Identity", ["missing"]))}, "Unknown input node 'missing'"),
    ({"graph_def": _graph_def(("a", "Placeholder", [])), "input_map": {"b:0": "before:0"}},
     r"not found in graph_def: \[b:0\]"),
    ({"graph_def": _graph_def(("a", "Placeholder", [])), "return_elements": ["b:0"]},
     "return_element 'b:0' not found"),
    ({"graph_def": _graph_def(("p", "Placeholder", []), ("s", "Enter", ["p"]))},
     "TF 1.x while loop '' has 0 LoopCond nodes"),  # a frame without its loop structure
    ({"graph_def": _graph_def(("a", "Identity", ["b"]), ("b", "Identity", ["a"]))}, "cycle"),
    ({"graph_def": _graph_def(("p", "Placeholder", []), ("y", "Identity", ["p"])),
      "input_map": {"p:0": "before:0"}}, "incompatible with expected float"),
])
def test_errors_name_the_problem_and_leave_the_graph_unchanged(kwargs, pattern):
    with tf.Graph().as_default() as g:
        before = tf.constant(1, name="before")
        if "input_map" in kwargs:
            kwargs = dict(kwargs, input_map={k: before for k in kwargs["input_map"]})
        with pytest.raises(ValueError, match=pattern):
            tf.import_graph_def(**kwargs)
        assert [op.name for op in g.get_operations()] == ["before"]


def test_shape_error_half_way_rolls_back():
    gd = tf.GraphDef()
    for name, shape in (("a", (2, 3)), ("b", (4, 5))):
        node = gd.node.add(name=name, op="Const")
        node.attr["dtype"].type = 1
        node.attr["value"].tensor.dtype = 1
        for d in shape:
            node.attr["value"].tensor.tensor_shape.dim.add(size=d)
        node.attr["value"].tensor.float_val.append(1.0)
    mm = gd.node.add(name="mm", op="MatMul", input=["a", "b"])
    mm.attr["T"].type = 1
    with tf.Graph().as_default() as g:
        with pytest.raises(ValueError, match="mm"):
            tf.import_graph_def(gd)
        assert g.get_operations() == []
        tf.import_graph_def(_small_graph_def())  # the name "import" is free again
        assert g.get_operation_by_name("import/y").type in ("Add", "AddV2")


def test_unused_library_functions_are_ignored_and_unknown_ones_named():
    gd = _graph_def(("a", "Placeholder", []))
    fdef = b"\n\x06\n\x04my_f"  # FunctionDef{signature: OpDef{name: "my_f"}}
    gd.library.function.append(fdef)
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        assert [op.name for op in g.get_operations()] == ["a"]
    call = gd.node.add(name="call", op="PartitionedCall", input=["a"])
    call.attr["f"].func.name = "other_f"
    with tf.Graph().as_default(), pytest.raises(ValueError, match="other_f"):
        tf.import_graph_def(gd)
