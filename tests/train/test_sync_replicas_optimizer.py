"""SyncReplicasOptimizer against real TensorFlow's fixtures (one process, one replica: the
chief's queue runner thread, through a plain Session and MonitoredTrainingSession), its graph
and errors, and a run of two workers on a local cluster."""

import json
import os
import threading
import time

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = json.load(open(os.path.join(os.path.dirname(__file__), "..", "fixtures",
                                      "accumulators", "accumulators.json")))
X = np.array([[1.0, 2.0], [3.0, 1.0], [0.5, -1.0]], np.float32)
Y = np.array([[1.0], [2.0], [0.0]], np.float32)


def _model(replicas, total):
    gs = tf.train.get_or_create_global_step()
    w = tf.Variable([[0.1], [0.2]], name="w")
    b = tf.Variable(0.0, name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(X, w) + b - Y))
    opt = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1),
                                         replicas_to_aggregate=replicas,
                                         total_num_replicas=total)
    return gs, w, b, loss, opt, opt.minimize(loss, global_step=gs)


def _settle(read, want, seconds=5.0):
    """Polls `read()` until it equals `want`: the chief's thread finishes its step meanwhile."""
    end = time.monotonic() + seconds
    got = read()
    while got != want and time.monotonic() < end:
        time.sleep(0.01)
        got = read()
    return got


@pytest.mark.parametrize("replicas", [1, 2])
def test_session_with_chief_queue_runner_matches_tf(replicas):
    want = FIXTURE["sync_session_%d" % replicas]
    g = tf.Graph()
    with g.as_default():
        gs, w, b, loss, opt, train_op = _model(replicas, 1)
        init_tokens = opt.get_init_tokens_op()
        num = opt._accumulator_list[0][0].num_accumulated()
        coord = tf.train.Coordinator()
        sess = tf.Session()
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        sess.run(opt.chief_init_op)
        sess.run(init_tokens)
        threads = opt.get_chief_queue_runner().create_threads(sess, coord, daemon=True,
                                                              start=True)
        for step in want["log"]:
            sess.run(train_op)
            state = _settle(lambda: [int(sess.run(num)), int(sess.run(gs)),
                                     int(sess.run(opt._local_step))],
                            [step["num_accumulated"], step["global_step"], step["local_step"]])
            assert state == [step["num_accumulated"], step["global_step"], step["local_step"]]
            np.testing.assert_allclose(sess.run(loss), step["loss"], rtol=1e-5)
            np.testing.assert_allclose(sess.run(w), step["w"], rtol=1e-5)
            np.testing.assert_allclose(sess.run(b), step["b"], rtol=1e-5)
        coord.request_stop()
        sess.close()  # cancels the chief's waiting take
        coord.join(threads, stop_grace_period_secs=5, ignore_live_threads=True)
        assert not any(t.is_alive() for t in threads)
    _check_graph(g, opt, train_op, want)


def _check_graph(g, opt, train_op, want):
    # The ops SyncReplicasOptimizer adds (the model's and the gradients' are tested elsewhere).
    mine = ("sync_replicas/", "sync_token_q", "sync_rep_local_step", "Assign", "Fill", "NoOp",
            "GradientDescent", "read")
    ours = {(op.name, op.type) for op in g.get_operations() if op.name.startswith(mine)}
    theirs = {tuple(x) for x in want["ops"] if x[0].startswith(mine)}
    # `read`: the fresh read that orders the tokens after the update (see the module).
    assert ours - theirs == {("read", "Identity")}
    assert theirs - ours == set()
    local = g.get_collection(tf.GraphKeys.LOCAL_VARIABLES)
    assert [v.op.name for v in local] == want["local_variables"]
    assert opt._sync_token_queue.name == want["token_queue"]
    qr = opt.get_chief_queue_runner()
    assert qr.queue.name == want["qr_queue"]
    assert [op.name for op in qr.enqueue_ops] == want["qr_enqueue_ops"]
    assert opt.chief_init_op.name == want["chief_init_op"]
    assert train_op.name == want["train_op"]
    assert [a.name for a, _ in opt._accumulator_list] == want["accumulators"]
    handle = g.get_operation_by_name("sync_replicas/conditional_accumulator")
    assert handle.get_attr("shared_name") in (b"w:0/grad_accum", "w:0/grad_accum")


@pytest.mark.parametrize("replicas", [1, 2])
def test_monitored_session_with_sync_hook_matches_tf(replicas):
    want = FIXTURE["sync_monitored_%d" % replicas]
    with tf.Graph().as_default():
        gs, w, b, loss, opt, train_op = _model(replicas, 1)
        hook = opt.make_session_run_hook(is_chief=True)
        with tf.train.MonitoredTrainingSession(is_chief=True, hooks=[hook],
                                               stop_grace_period_secs=1) as sess:
            for step in want:
                sess.run(train_op)
                got = _settle(lambda: int(sess.run(gs)), step["global_step"])
                assert got == step["global_step"]
                time.sleep(0.05)
                np.testing.assert_allclose(sess.run(loss), step["loss"], rtol=1e-5)
                np.testing.assert_allclose(sess.run(w), step["w"], rtol=1e-5)


def test_errors_match_tf():
    want = FIXTURE["sync_errors"]
    with tf.Graph().as_default():
        gs, w, b, loss, opt, train_op = _model(3, 1)
        cases = [("too_few_tokens", lambda: opt.get_init_tokens_op(num_tokens=1))]
        fresh = tf.train.SyncReplicasOptimizer(tf.train.GradientDescentOptimizer(0.1), 2)
        cases += [("qr_before_apply", fresh.get_chief_queue_runner),
                  ("tokens_before_apply", fresh.get_init_tokens_op),
                  ("no_global_step", lambda: fresh.apply_gradients([(tf.ones([2, 1]), w)])),
                  ("empty", lambda: fresh.apply_gradients([], global_step=gs))]
        for key, fn in cases:
            with pytest.raises(ValueError) as info:
                fn()
            assert str(info.value) == want[key]["message"], key
        assert fresh.get_slot_names() == want["slot_names"]
        assert [v.op.name for v in opt.variables()] == want["variables"]
        with pytest.raises(ValueError, match="apply_gradient should be called"):
            fresh.make_session_run_hook(True).begin()


def _worker(target, task, steps, results, chief_ready):
    """One replica: its own graph and session on its worker's server. The other replica waits
    for the chief's first step (a session that finds the model not ready waits 30 s, as TF's);
    it stops when no token comes any more (the chief has stopped)."""
    g = tf.Graph()
    with g.as_default():
        with tf.device(tf.train.replica_device_setter(
                ps_tasks=1, worker_device="/job:worker/task:%d" % task, ps_device="/job:ps")):
            gs, w, b, loss, opt, train_op = _model(2, 2)
        hook = opt.make_session_run_hook(is_chief=(task == 0))
        stop = tf.train.StopAtStepHook(last_step=steps)
        seen = results.setdefault(task, [])
        if task != 0:
            chief_ready.wait(30)
        options = tf.RunOptions(timeout_in_ms=3000)
        with tf.train.MonitoredTrainingSession(master=target, is_chief=(task == 0),
                                               hooks=[hook, stop],
                                               stop_grace_period_secs=1) as sess:
            while not sess.should_stop():
                try:
                    seen.append(int(sess.run([train_op, gs], options=options)[1]))
                except tf.errors.DeadlineExceededError:
                    break
                chief_ready.set()


def test_two_workers_on_a_local_cluster():
    pytest.importorskip("grpc")
    from tensorflux.distributed.server import create_local_cluster

    workers, _ = create_local_cluster(num_workers=2, num_ps=1)
    results, errors, chief_ready = {}, [], threading.Event()

    def run(task):
        try:
            _worker(workers[task].target, task, 6, results, chief_ready)
        except Exception as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)
    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    assert results[0] and results[1], results
    with tf.Graph().as_default():  # the stop hook stopped the chief at global step 6
        with tf.device(tf.train.replica_device_setter(ps_tasks=1)):
            step = tf.train.get_or_create_global_step()
        with tf.Session(workers[0].target) as sess:
            final = sess.run(step)
    assert final >= 6 and results[0][-1] >= final - 1, (final, results)
    for seen in results.values():
        assert seen == sorted(seen)
    # replicas_to_aggregate=2: every global step took two fresh gradients, so the replicas
    # pushed at least two per step between them.
    assert len(results[0]) + len(results[1]) >= 2 * results[0][-1]
