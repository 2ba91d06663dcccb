"""TF 2 graphs with differentiated while loops and TensorArrays, imported and run: the loops
carry TensorList accumulators (pushed in the forward body, popped in the gradient body), so
the import needs the TensorList ops, TF's output-arg names of TensorListPopBack and the
resource op VariableShape. Graphs and values come from TensorFlow 2.21
(tools/fixtures/gen_graph_def_loops.py)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_def_loops")
with open(os.path.join(FIXTURES, "values.json")) as f:
    RECORD = json.load(f)


@pytest.mark.parametrize("name", sorted(RECORD))
def test_imported_loop_gradients_match_tensorflow(name):
    case = RECORD[name]
    gd = tf.GraphDef()
    with open(os.path.join(FIXTURES, name + ".pb"), "rb") as f:
        gd.ParseFromString(f.read())
    assert {"TensorListPushBack", "TensorListPopBack"} <= set(case["op_types"])
    g = tf.Graph()
    with g.as_default():
        tf.import_graph_def(gd, name="")
        with tf.Session() as sess:
            sess.run(case["init"])
            for var, value in case["variables"].items():  # the same initial values as TF's
                np.testing.assert_allclose(sess.run(var + ":0"), value, rtol=1e-6)
            got = sess.run(case["fetches"], case["feeds"])
    for key, g_val, want in zip(case["fetches"], got, case["values"]):
        np.testing.assert_allclose(g_val, want, rtol=2e-5, atol=1e-6, err_msg=key)


def test_push_back_and_pop_back_gradients():
    from gradcheck import check_gradients

    from tensorflux.ops import list_ops

    def build(x):
        lst = list_ops.empty_tensor_list([3], tf.float64)
        lst = list_ops.tensor_list_push_back(lst, x[0] * 2.0)
        lst = list_ops.tensor_list_push_back(lst, x[1] * x[0])
        rest, last = list_ops.tensor_list_pop_back(lst, tf.float64, [3])
        return [last, list_ops.tensor_list_stack(rest, tf.float64, element_shape=[3])]

    check_gradients(build, {"x": np.random.RandomState(4).randn(2, 3)},
                    op_types=["TensorListPushBack", "TensorListPopBack", "EmptyTensorList"])
    with tf.Graph().as_default(), tf.Session() as sess:
        empty = list_ops.empty_tensor_list([2], tf.float32)
        with pytest.raises(tf.errors.InvalidArgumentError, match="pop from an empty list"):
            sess.run(list_ops.tensor_list_pop_back(empty, tf.float32, [2])[1])


@pytest.mark.parametrize("op_type", ["TanhGrad", "SigmoidGrad", "SqrtGrad", "RsqrtGrad",
                                     "ReciprocalGrad"])
def test_unary_gradient_ops_of_tf_gradient_graphs(op_type):
    """TF's `XGrad(y, dy)` ops (in imported gradient graphs): values and their gradients."""
    from gradcheck import check_gradients

    from tensorflux.ops import math_ops

    rng = np.random.RandomState(5)
    y, dy = rng.uniform(0.2, 0.9, (3, 4)), rng.randn(3, 4)
    want = {"TanhGrad": dy * (1 - y * y), "SigmoidGrad": dy * y * (1 - y),
            "SqrtGrad": dy * 0.5 / y, "RsqrtGrad": dy * -0.5 * y ** 3,
            "ReciprocalGrad": -dy * y * y}[op_type]
    with tf.Graph().as_default(), tf.Session() as sess:
        np.testing.assert_allclose(sess.run(math_ops.unary_grad(op_type, y, dy)), want,
                                   rtol=1e-12)
    check_gradients(lambda a, b: math_ops.unary_grad(op_type, a, b), {"a": y, "b": dy},
                    op_types=[op_type])


def test_concat_offset():
    from tensorflux.ops import registry

    with tf.Graph().as_default(), tf.Session() as sess:
        offs = registry.make_op("ConcatOffset", [tf.constant(1), tf.constant([2, 3]),
                                                 tf.constant([2, 5]), tf.constant([2, 1])],
                                {"N": 3}).outputs
        assert [o.shape.as_list() for o in offs] == [[2], [2], [2]]
        assert [v.tolist() for v in sess.run(offs)] == [[0, 0], [0, 3], [0, 8]]
        bad = registry.make_op("ConcatOffset", [tf.constant(1), tf.constant([2, 3]),
                                                tf.constant([4, 5])], {"N": 2}).outputs
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"input\[1,0\] mismatch"):
            sess.run(bad)


def test_shape_n_imports_as_the_shape_n_op():
    """TF's conv gradients hold ShapeN; it imports as tensorflux's ShapeN op (one node, N
    outputs), not a rebuilt composite."""
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [2, 3], name="x")
        y = tf.placeholder(tf.float32, [None], name="y")
        tf.shape_n([x, y], name="shapes")
        gd = g.as_graph_def()
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(gd, name="")
        op = g2.get_operation_by_name("shapes")
        assert op.type == "ShapeN" and [t.shape.as_list() for t in op.outputs] == [[2], [1]]
        with tf.Session() as sess:
            got = sess.run(list(op.outputs), {"x:0": np.zeros((2, 3)), "y:0": [1.0, 2.0]})
    assert [v.tolist() for v in got] == [[2, 3], [2]]
