"""tf.contrib.util: tensor protos, constant_value and the op lists of a GraphDef, compared with
what real TensorFlow 2.21 produces (tests/fixtures/contrib_leftovers,
tools/fixtures/gen_contrib_leftovers.py)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import graph_protos

U = tf.contrib.util
FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "contrib_leftovers")
with open(os.path.join(FIX, "cases.json")) as _f:
    CASES = json.load(_f)

PROTO_VALUES = {
    "floats": ([1.5, 2.0, -3.25], None, None),
    "scalar_int": (7, None, None),
    "int64_matrix": (np.arange(6, dtype=np.int64).reshape(2, 3), None, None),
    "float_fill": (0.5, tf.float32, [2, 2]),
    "bools": ([True, False, True], None, None),
    "strings": ([b"ab", b"c"], None, None),
    "double_shape": ([1.0, 2.0, 3.0, 4.0], tf.float64, [2, 2]),
}


@pytest.mark.parametrize("key", sorted(PROTO_VALUES))
def test_make_tensor_proto_bytes_match_tf(key):
    value, dtype, shape = PROTO_VALUES[key]
    case = CASES["tensor_proto"][key]
    proto = U.make_tensor_proto(value, dtype=dtype, shape=shape)
    assert proto.SerializeToString().hex() == case["hex"]
    back = U.make_ndarray(proto)
    assert list(back.shape) == case["shape"]
    if back.dtype.kind in "OS":
        assert [b.decode() for b in back.ravel()] == case["ndarray"]
    else:
        assert str(back.dtype) == case["dtype"]
        np.testing.assert_array_equal(back, case["ndarray"])


def test_make_ndarray_reads_tf_bytes():
    proto = U.make_tensor_proto([0.0])
    parsed = type(proto).FromString(bytes.fromhex(CASES["tensor_proto"]["int64_matrix"]["hex"]))
    np.testing.assert_array_equal(U.make_ndarray(parsed), np.arange(6).reshape(2, 3))


def test_constant_value_matches_tf_get_static_value():
    case = CASES["graph"]["static"]
    assert U.constant_value(tf.constant([[1, 2], [3, 4]])).tolist() == case["const"]
    assert U.constant_value(tf.shape(tf.zeros([2, 5]))).tolist() == case["shape"]
    assert U.constant_value(tf.placeholder(tf.float32, [2, 3])) is case["placeholder"]


def test_ops_used_by_tf_graph_def_with_function():
    graph_def = graph_protos.GraphDef.FromString(bytes.fromhex(CASES["graph"]["graph_def_hex"]))
    used = U.ops_used_by_graph_def(graph_def)
    assert sorted(used) == CASES["graph"]["ops_used"]
    assert not set(used) & set(CASES["graph"]["functions"])
    # Raw bytes are accepted too.
    assert sorted(U.ops_used_by_graph_def(bytes.fromhex(CASES["graph"]["graph_def_hex"]))) == \
        CASES["graph"]["ops_used"]


def test_stripped_op_list_for_tf_graph_def():
    graph_def = bytes.fromhex(CASES["graph"]["graph_def_hex"])
    op_list = U.stripped_op_list_for_graph(graph_def)
    names = [op.name for op in op_list.op]
    assert names == sorted(names)
    # tensorflux registers every op of this graph except TF's function-call op.
    expected = [n for n in CASES["graph"]["stripped"] if n != "PartitionedCall"]
    assert [n for n in names if n != "PartitionedCall"] == expected
    stateful = {op.name for op in op_list.op if op.is_stateful}
    assert "VariableV2" in stateful and "MatMul" not in stateful
    again = type(op_list).FromString(op_list.SerializeToString())
    assert [op.name for op in again.op] == names


def test_ops_used_by_tensorflux_graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [2])
        tf.reduce_sum(tf.nn.relu(x) * 2.0)
    assert sorted(U.ops_used_by_graph_def(g.as_graph_def())) == [
        "Const", "Mul", "Placeholder", "Relu", "Sum"]
    assert [op.name for op in U.stripped_op_list_for_graph(g.as_graph_def()).op] == [
        "Const", "Mul", "Placeholder", "Relu", "Sum"]


def test_prepend_name_scope():
    assert [U.prepend_name_scope("a/b:0", "imp"), U.prepend_name_scope("^a", "imp"),
            U.prepend_name_scope("loc:@a", "imp/")] == CASES["graph"]["prepend"]
