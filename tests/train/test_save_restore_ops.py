"""SaveV2/RestoreV2 graph ops: TF's Saver nodes imported and run; tensorflux's Saver nodes as TF's.

Fixtures (tools/fixtures/gen_saver_ops.py, real TF 2.21): GraphDefs with a Saver over reference
and resource variables, a checkpoint of them, and the save/ node list of TF's Saver graph.
"""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import graph_protos
from tensorflux.ops import io_ops
from tensorflux.train import checkpoint_format

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "saver_ops")
CKPT = os.path.join(FIXTURES, "model.ckpt")
NAMES = ["a", "global_step", "layer/w"]


def _values():
    data = np.load(os.path.join(FIXTURES, "values.npz"))
    return {k.replace("__", "/"): data[k] for k in data.files}


def _tf_nodes():
    with open(os.path.join(FIXTURES, "nodes.json")) as f:
        return json.load(f)


def _import(kind):
    with open(os.path.join(FIXTURES, kind + ".pb"), "rb") as f:
        tf.import_graph_def(tf.GraphDef.FromString(f.read()), name="")


def _build_variables():
    """The fixture's variables, built with tensorflux (zeros)."""
    tf.Variable(np.zeros(2, np.float32), name="a")
    tf.Variable(np.int64(0), name="global_step")
    with tf.variable_scope("layer"):
        tf.get_variable("w", initializer=np.zeros((2, 3)))


def _assert_values(sess, expected):
    for name in NAMES:
        np.testing.assert_array_equal(sess.run(name + ":0"), expected[name])


@pytest.mark.parametrize("kind", ["ref", "resource"])
def test_tf_restore_all_restores_the_variables(kind):
    with tf.Graph().as_default():
        _import(kind)
        with tf.Session() as sess:
            sess.run("save/restore_all", {"save/Const:0": CKPT})
            _assert_values(sess, _values())


@pytest.mark.parametrize("kind", ["ref", "resource"])
def test_tf_control_dependency_writes_a_checkpoint(kind, tmp_path):
    path = str(tmp_path / "out" / "model.ckpt")
    with tf.Graph().as_default():
        _import(kind)
        with tf.Session() as sess:
            sess.run("save/restore_all", {"save/Const:0": CKPT})
            written = sess.run("save/control_dependency:0", {"save/Const:0": path})
    assert written in (path, path.encode())
    reader = checkpoint_format.open_checkpoint(path)
    expected = _values()
    assert sorted(reader.keys()) == NAMES
    for name in NAMES:
        np.testing.assert_array_equal(reader.get_tensor(name), expected[name])
        assert reader.get_variable_to_dtype_map()[name] == expected[name].dtype.name
    # TF's own Saver wrote the fixture from the same values: the files are the same bytes.
    for suffix in (".index", ".data-00000-of-00001"):
        with open(path + suffix, "rb") as ours, open(CKPT + suffix, "rb") as theirs:
            assert ours.read() == theirs.read()


def test_restore_errors_are_tf_errors_and_change_nothing(tmp_path):
    with tf.Graph().as_default():
        _import("ref")
        with tf.Session() as sess:
            sess.run("save/restore_all", {"save/Const:0": CKPT})
            with pytest.raises(tf.errors.NotFoundError, match="Failed to find any matching"):
                sess.run("save/restore_all", {"save/Const:0": str(tmp_path / "missing")})
            other = str(tmp_path / "other")
            checkpoint_format.write_bundle(other, {"a": np.ones(2, np.float32)})
            with pytest.raises(tf.errors.NotFoundError, match="Key global_step not found in "
                               "checkpoint"):
                sess.run("save/restore_all", {"save/Const:0": other})
            _assert_values(sess, _values())


def _node_summary(nodes):
    """{name: (op, inputs, attrs)} of the save/ nodes TF and tensorflux both build."""
    out = {}
    for n in nodes:
        if n["name"].startswith("save/filename") or n["name"] == "save/Const":
            continue  # TF 2 makes save/Const a PlaceholderWithDefault; TF 1 and we a Const
        out[n["name"]] = (n["op"], n["input"], n["attr"])
    return out


def _graph_def_nodes(graph_def):
    nodes = []
    for node in graph_def.node:
        if node.name.startswith("save/"):
            attrs = {}
            for key in ("dtypes", "T", "dtype", "validate_shape", "use_locking"):
                if key not in node.attr:
                    continue
                value = node.attr[key]
                kind = value.WhichOneof("value")
                if kind == "list":
                    attrs[key] = [tf.as_dtype(t).name for t in value.list.type]
                elif kind == "type":
                    attrs[key] = tf.as_dtype(value.type).name
                else:
                    attrs[key] = getattr(value, kind)
            nodes.append({"name": node.name, "op": node.op, "input": list(node.input),
                          "attr": attrs})
    return nodes


def test_tensorflux_saver_nodes_are_tfs():
    fixture = _tf_nodes()
    with tf.Graph().as_default() as g:
        _build_variables()
        saver = tf.train.Saver()
        ours = _graph_def_nodes(g.as_graph_def())
        sd = graph_protos.SaverDef.FromString(saver.saver_def)
    assert _node_summary(ours) == _node_summary(fixture["nodes"])
    const, = [n for n in ours if n["name"] == "save/Const"]
    assert const["op"] == "Const" and const["attr"]["dtype"] == "string"
    for key, value in fixture["saver_def"].items():
        assert getattr(sd, key) == value


def test_tensorflux_saver_nodes_run(tmp_path):
    path = str(tmp_path / "model.ckpt")
    expected = _values()
    with tf.Graph().as_default():
        _build_variables()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run("save/restore_all", {"save/Const:0": CKPT})
            _assert_values(sess, expected)
            sess.run("save/control_dependency:0", {"save/Const:0": path})
            sess.run(tf.global_variables_initializer())
            saver.restore(sess, path)  # the Python path reads what the nodes wrote
            _assert_values(sess, expected)


def test_meta_graph_saver_def_names_real_nodes(tmp_path):
    with tf.Graph().as_default():
        _build_variables()
        meta = tf.train.Saver().export_meta_graph(str(tmp_path / "m.meta"))
    with tf.Graph().as_default():
        saver = tf.train.import_meta_graph(meta)
        assert saver is not None
        with tf.Session() as sess:
            sess.run("save/restore_all", {"save/Const:0": CKPT})
            _assert_values(sess, _values())


def test_save_v2_and_restore_v2_round_trip(tmp_path):
    path = str(tmp_path / "raw")
    with tf.Graph().as_default():
        x = tf.constant([[1, 2], [3, 4]], tf.int32)
        s = tf.constant([b"ab", b"", b"xyz"])
        save = io_ops.save_v2(path, ["x", "s"], ["", ""], [x, s])
        assert save.type == "SaveV2" and save.outputs == []
        rx, rs = io_ops.restore_v2(path, ["x", "s"], ["", ""], [tf.int32, tf.string])
        assert rx.dtype == tf.int32 and rx.shape.ndims is None
        with tf.Session() as sess:
            sess.run(save)
            got_x, got_s = sess.run([rx, rs])
    np.testing.assert_array_equal(got_x, [[1, 2], [3, 4]])
    assert list(got_s) == [b"ab", b"", b"xyz"]


def test_bad_arguments(tmp_path):
    path = str(tmp_path / "bad")
    with tf.Graph().as_default():
        x = tf.constant([1.0])
        with pytest.raises(ValueError, match="must be equal"):
            io_ops.save_v2(path, ["x", "y"], ["", ""], [x])
        names = tf.placeholder(tf.string, [None])
        save = io_ops.save_v2(path, names, ["", ""], [x, x])
        sliced = io_ops.save_v2(path, ["x"], ["1 0,1"], [x])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate"):
                sess.run(save, {names: ["x", "x"]})
            with pytest.raises(tf.errors.UnimplementedError, match="whole tensors"):
                sess.run(sliced)
    assert not os.listdir(tmp_path)
    with tf.Graph().as_default():
        y, = io_ops.restore_v2(CKPT, ["a"], [""], [tf.int32])
        with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                                 match="expected dtype int32"):
            sess.run(y)
