"""TF 1.x while loops (Enter/Merge/Switch/LoopCond/NextIteration/Exit frames, as TF 1.x and TF 2
without control flow v2 write them) imported as functional While ops
(tensorflux/graph/functionalize.py), their TensorArrays as TensorLists
(tensorflux/graph/tensor_arrays_v1.py): graphs and values from TensorFlow 2.21 with control
flow v1 (tools/fixtures/gen_graph_def_v1_loops.py)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import functionalize

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "graph_def_v1_loops")
with open(os.path.join(FIXTURES, "values.json")) as f:
    RECORD = json.load(f)


def _graph_def(name):
    gd = tf.GraphDef()
    with open(os.path.join(FIXTURES, name + ".pb"), "rb") as f:
        gd.ParseFromString(f.read())
    return gd


@pytest.mark.parametrize("name", sorted(RECORD))
def test_tf1_loops_run_as_in_tensorflow(name):
    case = RECORD[name]
    gd = _graph_def(name)
    assert any(n.op == "Enter" for n in gd.node)
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        ops = {op.type for op in g.get_operations()}
        assert "While" in ops and not ops & {"Enter", "Exit", "NextIteration", "LoopCond"}
        assert not any(t.startswith("TensorArray") for t in ops)
        with tf.Session() as sess:
            for _ in range(2):  # a second run of the same plan gives the same values
                got = sess.run(case["fetches"], case["feeds"])
                for key, g_val, want in zip(case["fetches"], got, case["values"]):
                    np.testing.assert_allclose(g_val, want, rtol=1e-5, atol=1e-6,
                                               err_msg=key)


def test_exit_names_stay_and_the_graph_def_is_rewritten_once():
    gd = _graph_def("simple")
    out = functionalize.functionalize_while_loops(gd)
    names = {n.name: n.op for n in out.node}
    assert names["while/Exit"] == "Identity" and names["while/Exit_1"] == "Identity"
    assert sum(op == "While" for op in names.values()) == 1
    assert len(out.library.function) == 2
    assert functionalize.functionalize_while_loops(out) is out  # no frames left: unchanged
    plain = tf.Graph()
    with plain.as_default():
        tf.identity(tf.constant(1.0), name="y")
    pgd = plain.as_graph_def()
    assert functionalize.functionalize_while_loops(pgd) is pgd


def test_nested_loops_become_a_while_inside_a_while_body():
    out = functionalize.functionalize_while_loops(_graph_def("nested"))
    whiles = [n for n in out.node if n.op == "While"]
    assert len(whiles) == 1 and len(out.library.function) == 4  # two conds, two bodies
    fdefs = out.library.function_defs()
    body = fdefs[whiles[0].attr["body"].func.name]
    assert [n.op for n in body.node_def].count("While") == 1


def test_a_frame_without_its_loop_cond_is_reported_and_nothing_is_imported():
    gd = _graph_def("simple")
    broken = tf.GraphDef()
    broken.node.extend(n for n in gd.node if n.op != "LoopCond")
    with tf.Graph().as_default() as g:
        with pytest.raises(ValueError, match="has 0 LoopCond nodes"):
            tf.import_graph_def(broken, name="")
        assert g.get_operations() == []
