"""Gradient accumulators against real TensorFlow's fixtures: averages, stale gradients, SUM vs
MEAN, sparse merges, errors, op names; and the blocking take (woken, timed out, cancelled)."""

import builtins
import json
import os
import threading
import time

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import registry

FIXTURE = json.load(open(os.path.join(os.path.dirname(__file__), "..", "fixtures",
                                      "accumulators", "accumulators.json")))
DENSE, SPARSE = FIXTURE["dense"], FIXTURE["sparse"]


def _raises(expected, fn):
    cls = getattr(tf.errors, expected["class"], None) or getattr(builtins, expected["class"])
    with pytest.raises(cls) as info:
        fn()
    return str(info.value)


def test_dense_mean_log_matches_tf():
    with tf.Graph().as_default(), tf.Session() as sess:
        acc = tf.ConditionalAccumulator(tf.float32, shape=[2], name="acc")
        grad = tf.placeholder(tf.float32, [2])
        step = tf.placeholder(tf.int64, [])
        apply = acc.apply_grad(grad, local_step=step)
        num = acc.num_accumulated()
        takes = {"take1": acc.take_grad(1), "take2": acc.take_grad(2)}
        new_step = tf.placeholder(tf.int64, [])
        set_step = acc.set_global_step(new_step)
        for entry in DENSE["mean_log"]:
            if entry[0] == "apply":
                sess.run(apply, {grad: entry[1], step: entry[2]})
                assert sess.run(num) == entry[3], entry
            elif entry[0] == "set_global_step":
                sess.run(set_step, {new_step: entry[1]})
            else:
                np.testing.assert_allclose(sess.run(takes[entry[0]]), entry[1])
                assert sess.run(num) == entry[2]


def test_dense_sum_and_unknown_shape():
    with tf.Graph().as_default(), tf.Session() as sess:
        acc = tf.ConditionalAccumulator(tf.float64, name="sum_acc", reduction_type="SUM")
        g = tf.placeholder(tf.float64)
        apply = acc.apply_grad(g, local_step=0)
        for v in ([[1.0, 2.0]], [[3.0, 4.0]], [[5.0, 6.0]]):
            sess.run(apply, {g: v})
        out = sess.run(acc.take_grad(3))
        assert out.dtype == np.float64
        np.testing.assert_allclose(out, DENSE["sum_take3"])
        assert sess.run(acc.num_accumulated()) == DENSE["sum_take3_num"]
        sess.run(apply, {g: [[1.0, 2.0]]})  # stale after the take: dropped
        assert sess.run(acc.num_accumulated()) == 0
        apply1 = acc.apply_grad(g, local_step=1)
        sess.run(apply1, {g: [[1.0, 2.0]]})
        for key, value in (("unknown_shape_mismatch", [1.0, 2.0, 3.0]),
                           ("unknown_shape_first_rank", [[1.0], [2.0]])):
            msg = _raises(DENSE[key], lambda v=value: sess.run(apply1, {g: v}))
            assert DENSE[key]["message"] in msg


def test_dense_errors_match_tf():
    with tf.Graph().as_default(), tf.Session() as sess:
        acc = tf.ConditionalAccumulator(tf.float32, shape=[2], name="acc")
        msg = _raises(DENSE["num_required_zero"], lambda: sess.run(acc.take_grad(0)))
        assert DENSE["num_required_zero"]["message"] in msg
        bad = tf.placeholder_with_default([1.0, 2.0, 3.0], None)
        assert DENSE["stale_bad_shape_dropped"] is None
        sess.run(acc.set_global_step(3))
        sess.run(acc.apply_grad(bad))  # stale (0 < 3): dropped before any shape check
        msg = _raises(DENSE["feed_bad_shape"], lambda: sess.run(acc.apply_grad(bad, 100)))
        assert DENSE["feed_bad_shape"]["message"] in msg
        msg = _raises(DENSE["const_bad_shape"], lambda: acc.apply_grad([1.0, 2.0, 3.0]))
        assert msg == DENSE["const_bad_shape"]["message"]
        msg = _raises(DENSE["bad_dtype"], lambda: acc.apply_grad(tf.constant([1, 2])))
        assert msg.startswith("Tensor conversion requested dtype float32 for Tensor with dtype "
                              "int32")
        msg = _raises(DENSE["bad_reduction"],
                      lambda: tf.ConditionalAccumulator(tf.float32, reduction_type="MAX"))
        assert msg == DENSE["bad_reduction"]["message"]


def test_sparse_matches_tf():
    with tf.Graph().as_default(), tf.Session() as sess:
        acc = tf.SparseConditionalAccumulator(tf.float32, shape=[3, 2], name="sacc")
        sess.run(acc.apply_grad([0, 2], [[1.0, 2.0], [3.0, 4.0]], grad_shape=[3, 2]))
        sess.run(acc.apply_grad([2], [[5.0, 6.0]]))
        assert sess.run(acc.num_accumulated()) == SPARSE["num"]
        for got, want in zip(sess.run(acc.take_grad(2)), SPARSE["take2"]):
            np.testing.assert_allclose(got, want)
        sess.run(acc.apply_grad([1, 0], [[1.0, 1.0], [2.0, 2.0]], local_step=1))
        sess.run(acc.apply_grad([0], [[7.0, 7.0]], local_step=0))  # stale
        sl = acc.take_indexed_slices_grad(1)
        for got, want in zip(sess.run([sl.indices, sl.values, sl.dense_shape]),
                             SPARSE["take_slices"]):
            np.testing.assert_allclose(got, want)
        for key, args in (("values_mismatch", ([0, 1], [[1.0, 1.0]], None)),
                          ("shape_mismatch", ([0], [[1.0, 1.0]], [4, 2])),
                          ("value_shape_mismatch", ([0], [[1.0, 1.0, 1.0]], None))):
            op = acc.apply_grad(*args, local_step=5)
            assert SPARSE[key]["message"] in _raises(SPARSE[key], lambda o=op: sess.run(o))


def test_sparse_sum_merges_in_order_like_tf():
    with tf.Graph().as_default(), tf.Session() as sess:
        acc = tf.SparseConditionalAccumulator(tf.float32, name="ssum", reduction_type="SUM")
        sess.run(acc.apply_grad([3, 1], [[1.0], [2.0]], local_step=0))
        sess.run(acc.apply_grad([1], [[10.0]], local_step=0))
        for key, take in (("sum_take2", 2), ("sum_take1_no_shape", 1),
                          ("sum_take1_grad_shape", 1)):
            if key == "sum_take1_no_shape":
                sess.run(acc.apply_grad([0], [[1.0]], local_step=1))
            elif key == "sum_take1_grad_shape":
                sess.run(acc.apply_grad([0, 4], [[1.0], [2.0]], grad_shape=[6, 1],
                                        local_step=2))
            got = sess.run(acc.take_grad(take))
            for g, w in zip(got, SPARSE[key]):
                np.testing.assert_allclose(g, w)
    with tf.Graph().as_default(), tf.Session() as sess:
        acc = tf.SparseConditionalAccumulator(tf.float32, shape=[None, 2], name="partial")
        sess.run(acc.apply_grad([1], [[1.0, 2.0]], local_step=0))
        for g, w in zip(sess.run(acc.take_grad(1)), SPARSE["partial_take1"]):
            np.testing.assert_allclose(g, w)
        bad = acc.apply_grad([1], [[1.0, 2.0, 3.0]], local_step=1)
        want = SPARSE["partial_bad_values"]
        assert want["message"] in _raises(want, lambda: sess.run(bad))
        sess.run(acc.apply_grad([1], [[1.0, 2.0]], local_step=1))
        bad = acc.apply_grad([1], [[1.0, 2.0], [3.0, 4.0]], local_step=1)
        want = SPARSE["second_values_mismatch"]
        assert want["message"] in _raises(want, lambda: sess.run(bad))
        want = SPARSE["take_num_zero"]
        assert want["message"] in _raises(want, lambda: sess.run(acc.take_grad(0)))


def test_graph_op_names_and_types_match_tf():
    want = FIXTURE["graph"]
    g = tf.Graph()
    with g.as_default():
        acc = tf.ConditionalAccumulator(tf.float32, shape=[2], name="acc")
        sacc = tf.SparseConditionalAccumulator(tf.float32, shape=[3, 2], name="sacc")
        acc.apply_grad([1.0, 2.0], local_step=0)
        assert acc.take_grad(1).get_shape().as_list() == [2]
        acc.num_accumulated()
        acc.set_global_step(3)
        sacc.apply_grad([0], [[1.0, 2.0]], grad_shape=[3, 2], local_step=0)
        sacc.take_grad(1)
        sacc.take_indexed_slices_grad(1)
        sacc.num_accumulated()
        sacc.set_global_step(3)
    assert [[op.name, op.type] for op in g.get_operations()] == want["ops"]
    for name, (dtype, shape) in want["handles"].items():
        out = g.get_operation_by_name(name).outputs[0]
        assert [out.dtype.name, out.get_shape().as_list()] == [dtype, shape]
    assert (acc.name, sacc.name) == (want["acc_name"], want["sacc_name"])


def test_accumulator_ops_are_not_differentiable():
    for op_type in ("ResourceConditionalAccumulator", "ResourceAccumulatorApplyGradient",
                    "ResourceAccumulatorTakeGradient", "SparseAccumulatorTakeGradient",
                    "AccumulatorTakeGradient", "AccumulatorNumAccumulated"):
        op_def = registry.get(op_type)
        assert op_def.grad == registry.NOT_DIFFERENTIABLE and op_def.stateful


def test_shared_name_shares_one_accumulator():
    with tf.Graph().as_default(), tf.Session() as sess:
        a = tf.ConditionalAccumulator(tf.float32, shape=[], shared_name="shared")
        b = tf.ConditionalAccumulator(tf.float32, shape=[], shared_name="shared")
        sess.run([a.apply_grad(2.0)])
        sess.run([b.apply_grad(4.0)])
        assert sess.run(a.num_accumulated()) == 2
        assert sess.run(b.take_grad(2)) == 3.0


def test_blocking_take_is_woken_by_a_later_apply():
    with tf.Graph().as_default(), tf.Session() as sess:
        acc = tf.ConditionalAccumulator(tf.float32, shape=[2])
        take = acc.take_grad(2)
        apply = acc.apply_grad(tf.placeholder_with_default([2.0, 4.0], [2]))
        out = []
        t = threading.Thread(target=lambda: out.append(sess.run(take)))
        t.start()
        sess.run(apply)
        time.sleep(0.1)
        assert t.is_alive() and not out  # one gradient is not enough
        sess.run(apply)
        t.join(5)
        np.testing.assert_allclose(out[0], [2.0, 4.0])


def test_take_times_out_with_deadline_exceeded():
    with tf.Graph().as_default(), tf.Session() as sess:
        acc = tf.SparseConditionalAccumulator(tf.float32)
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(acc.take_grad(1), options=tf.RunOptions(timeout_in_ms=50))
        assert DENSE["timeout"]["class"] == "DeadlineExceededError"


def test_session_close_cancels_a_waiting_take():
    with tf.Graph().as_default():
        acc = tf.ConditionalAccumulator(tf.float32, shape=[])
        take = acc.take_grad(1)
        sess = tf.Session()
        errors = []

        def run():
            try:
                sess.run(take)
            except tf.errors.CancelledError as e:
                errors.append(str(e))
        t = threading.Thread(target=run)
        t.start()
        time.sleep(0.1)
        sess.close()
        t.join(5)
        assert not t.is_alive()
        assert errors and "TakeGrad operation was cancelled" in errors[0]
