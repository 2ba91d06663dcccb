"""The op names of TF1's queue-based input producers and batchers (the queue named by the
scope, `limit_epochs`, the `fraction_..._full` summaries), against real TF's graphs."""

import json
import os

import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "fidelity_fixes",
                       "input_producers.json")


@pytest.fixture(scope="module")
def expected():
    with open(FIXTURE) as f:
        return json.load(f)


def _string_named():
    with tf.name_scope("parallel_read"):
        tf.train.string_input_producer(["a", "b"], name="filenames", num_epochs=2)


CASES = {
    "string_named": _string_named,
    "string_default": lambda: tf.train.string_input_producer(["a", "b"]),
    "range": lambda: tf.train.range_input_producer(5, num_epochs=1, capacity=8),
    "slice": lambda: tf.train.slice_input_producer([tf.constant([1, 2, 3])], shuffle=False),
    "input_producer": lambda: tf.train.input_producer(tf.constant([[1, 2]]), shuffle=False),
    "batch": lambda: tf.train.batch([tf.constant(1.0)], 4),
    "batch_threads": lambda: tf.train.batch([tf.constant(1.0)], 4, num_threads=2),
    "shuffle_batch": lambda: tf.train.shuffle_batch([tf.constant(1.0)], 4, capacity=20,
                                                    min_after_dequeue=5),
    "batch_join": lambda: tf.train.batch_join([[tf.constant(1.0)], [tf.constant(2.0)]], 4),
    "shuffle_batch_join": lambda: tf.train.shuffle_batch_join(
        [[tf.constant(1.0)]], 4, capacity=20, min_after_dequeue=5),
    "batch_padded_named": lambda: tf.train.batch(
        [tf.constant([1.0])], 4, dynamic_pad=True, allow_smaller_final_batch=True,
        name="mine"),
}


def _is_assert_data(name):
    # TF's tf.Assert converts its data twice (".../Assert/Const" and ".../Assert/Assert/data_0",
    # the latter feeding the op); tensorflux feeds the first. The Assert op itself is compared
    # by name and type only.
    return "/Assert/Assert/data_" in name


def _record(build):
    g = tf.Graph()
    with g.as_default():
        build()
        ops = []
        for op in g.get_operations():
            inputs = [t.name for t in op.inputs]
            if op.type == "Assert":
                inputs = inputs[:1]
            ops.append([op.name, op.type, inputs, [c.name for c in op.control_inputs]])
        return {
            "ops": ops,
            "summaries": [s.op.name for s in g.get_collection(tf.GraphKeys.SUMMARIES)],
            "queue_runners": [[qr.name, [o.name for o in qr.enqueue_ops], qr.close_op.name,
                               qr.cancel_op.name]
                              for qr in g.get_collection(tf.GraphKeys.QUEUE_RUNNERS)],
            "local_variables": [v.name for v in tf.local_variables()],
        }


@pytest.mark.parametrize("case", sorted(CASES))
def test_graph_matches_tf(expected, case):
    want = expected[case]
    want["ops"] = [[n, t, i[:1] if t == "Assert" else i, c] for n, t, i, c in want["ops"]
                   if not _is_assert_data(n)]
    got = _record(CASES[case])
    assert got["ops"] == want["ops"]
    assert got["summaries"] == want["summaries"]
    assert got["queue_runners"] == want["queue_runners"]
    assert got["local_variables"] == want["local_variables"]


def test_named_string_producer_runs_and_summarises():
    with tf.Graph().as_default():
        with tf.name_scope("parallel_read"):
            q = tf.train.string_input_producer(["a", "b"], name="filenames", num_epochs=1,
                                               shuffle=False)
        assert q.name == "parallel_read/filenames"
        full = tf.get_default_graph().get_tensor_by_name("parallel_read/filenames/mul:0")
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            got = [sess.run(q.dequeue()), sess.run(q.dequeue())]
            assert got == [b"a", b"b"]
            assert sess.run(full) == 0.0
            coord.request_stop()
            coord.join(threads)


def test_shuffle_batch_fraction_summary_value():
    with tf.Graph().as_default():
        q_in = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
        out = tf.train.shuffle_batch([q_in], 2, capacity=10, min_after_dequeue=2,
                                     enqueue_many=True, seed=1)
        g = tf.get_default_graph()
        full = g.get_tensor_by_name("shuffle_batch/mul:0")
        queue = g.get_collection(tf.GraphKeys.QUEUE_RUNNERS)[0].queue
        with tf.Session() as sess:
            sess.run(queue.enqueue_many([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]]))
            assert sess.run(full) == pytest.approx(4 / 8)
            assert sess.run(out).shape == (2,)
            assert sess.run(full) == pytest.approx(2 / 8)
