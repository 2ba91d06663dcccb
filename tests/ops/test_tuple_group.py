"""tf.tuple, tf.group and with_dependencies: TF's structure (names in
tests/fixtures/core/names.json, case graph/tuple_and_group), devices and sparse gradients."""

import numpy as np

import tensorflux as tf
from tensorflux.ops import control_flow_ops


def test_group_across_devices_makes_one_noop_per_device_on_that_device():
    with tf.device("/job:ps/task:1"):
        p = tf.constant(1.0, name="p")
    with tf.device("/job:worker"):
        w = tf.constant(2.0, name="w")
    u = tf.constant(3.0, name="u")
    grp = tf.group(w, p, u, name="all")
    per_device = {c.name: c.device for c in grp.control_inputs}
    # sorted by device name, the unplaced ("") first
    assert per_device == {"all/NoOp": "", "all/NoOp_1": "/job:ps/task:1",
                          "all/NoOp_2": "/job:worker"}
    assert [c.name for c in tf.get_default_graph().get_operation_by_name(
        "all/NoOp_1").control_inputs] == ["p"]


def test_tuple_gates_tensors_and_sparse_gradients():
    v = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="v")
    x = tf.constant(2.0)
    loss = tf.reduce_sum(tf.gather(v, [0, 2])) * x
    gv, gx = tf.gradients(loss, [v, x])
    assert isinstance(gv, tf.IndexedSlices)
    tv, tx = tf.tuple([gv, gx])
    assert isinstance(tv, tf.IndexedSlices) and tv.indices is gv.indices
    assert tv.values.op.type == "Identity" and tx.op.name == "tuple/control_dependency_1"
    gate = tx.op.control_inputs[0]
    assert gate.name == "tuple/group_deps" and tv.values.op.control_inputs == [gate]
    with tf.Session() as sess:
        sess.run(v.initializer)
        values, gx_value = sess.run([tv.values, tx])
    np.testing.assert_allclose(values, [[2.0, 2.0], [2.0, 2.0]])
    assert gx_value == 10.0  # the gathered rows: 0+1 + 4+5


def test_with_dependencies_is_colocated_with_its_tensor():
    with tf.device("/job:ps/task:0"):
        a = tf.constant(1.0, name="a")
    with tf.device("/job:worker"):
        out = control_flow_ops.with_dependencies([tf.no_op()], a)
    assert out.op.name == "control_dependency" and out.op.device == "/job:ps/task:0"
    assert out.op.colocation_groups() == [b"loc:@a"]


def test_colocate_with_none_ignoring_existing_clears_device_and_colocation():
    g = tf.get_default_graph()
    a = tf.constant(1.0, name="a")
    with tf.device("/job:worker"), g.colocate_with(a):
        with g.colocate_with(None, ignore_existing=True):
            free = tf.constant(2.0, name="free")
        held = tf.constant(3.0, name="held")
    assert free.op.device == "" and free.op.colocation_groups() == [b"loc:@free"]
    assert held.op.colocation_groups() == [b"loc:@a"]
