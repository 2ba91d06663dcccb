"""Distributed sessions: servers in this process, reached over gRPC, compared with one local
session running the same graph (the numpy backend is the oracle: partitions must not change
a single value)."""

import numpy as np
import pytest

pytest.importorskip("grpc")

import tensorflux as tf  # noqa: E402
from tensorflux.distributed import server as server_lib  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    """One worker and two ps tasks, each a real gRPC server on localhost."""
    workers, ps = server_lib.create_local_cluster(num_workers=2, num_ps=2)
    yield workers, ps
    for s in workers + ps:
        s._stop()


def _model(setter=None):
    """A two-layer regression with SGD; variables on the ps tasks when `setter` places them."""
    rng = np.random.RandomState(0)
    with tf.device(setter):
        step = tf.train.get_or_create_global_step()
        x = tf.placeholder(tf.float32, [None, 4], name="x")
        w1 = tf.Variable(rng.randn(4, 8).astype(np.float32), name="w1")
        b1 = tf.Variable(np.zeros(8, np.float32), name="b1")
        w2 = tf.Variable(rng.randn(8, 1).astype(np.float32), name="w2")
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
        loss = tf.reduce_mean(tf.square(tf.matmul(h, w2) - 1.0))
        train = tf.train.AdamOptimizer(0.05).minimize(loss, global_step=step)
    return x, loss, train, step, [w1, b1, w2]


_X = np.random.RandomState(1).randn(16, 4).astype(np.float32)


def _train(target, setter, steps=5, config=None):
    with tf.Graph().as_default():
        x, loss, train, step, weights = _model(setter)
        with tf.Session(target, config=config) as sess:
            sess.run(tf.global_variables_initializer())
            losses = [sess.run([loss, train], {x: _X})[0] for _ in range(steps)]
            return losses, sess.run(weights), sess.run(step)


def test_training_on_a_cluster_gives_the_local_values(cluster):
    workers, _ = cluster
    local = _train("", None)
    setter = tf.train.replica_device_setter(ps_tasks=2, worker_device="/job:worker/task:0")
    remote = _train(workers[0].target, setter)
    np.testing.assert_array_equal(remote[0], local[0])
    for a, b in zip(remote[1], local[1]):
        np.testing.assert_array_equal(a, b)
    assert remote[2] == local[2] == 5


def test_variables_live_on_their_task_and_outlive_the_session(cluster):
    workers, ps = cluster
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:1"):
            v = tf.Variable(3.0, name="kept")
        inc = v.assign_add(1.0)
        with tf.Session(workers[0].target) as sess:
            sess.run(v.initializer)
            sess.run(inc)
        with tf.Session(workers[1].target) as sess:  # another worker sees the same variable
            assert sess.run(v) == 4.0
        assert "kept" in ps[1]._worker.state.variables
        assert "kept" not in ps[0]._worker.state.variables
        assert "kept" not in workers[0]._worker.state.variables
        tf.Session.reset(workers[0].target)
        with tf.Session(workers[0].target) as sess:
            with pytest.raises(tf.errors.FailedPreconditionError,
                               match="Attempting to use uninitialized value kept"):
                sess.run(v)


def test_between_graph_replication_shares_the_ps_variables(cluster):
    """Two workers, each with its own graph of the same model (as separate processes would
    build it): each step of one is seen by the other."""
    workers, _ = cluster
    sessions, models = [], []
    for i, w in enumerate(workers):
        g = tf.Graph()
        with g.as_default():
            setter = tf.train.replica_device_setter(
                ps_tasks=2, worker_device="/job:worker/task:%d" % i)
            models.append(_model(setter))
            init = tf.global_variables_initializer()
        sessions.append(tf.Session(w.target, graph=g))
        if i == 0:
            sessions[0].run(init)
    x0, _, train0, step0, w0 = models[0]
    x1, _, train1, step1, w1 = models[1]
    sessions[0].run(train0, {x0: _X})
    sessions[1].run(train1, {x1: _X})
    sessions[0].run(train0, {x0: _X})
    assert sessions[1].run(step1) == 3
    for a, b in zip(sessions[0].run(w0), sessions[1].run(w1)):
        np.testing.assert_array_equal(a, b)
    local = _train("", None, steps=3)
    for a, b in zip(sessions[1].run(w1), local[1]):
        np.testing.assert_array_equal(a, b)
    for s in sessions:
        s.close()


def test_partitions_and_devices(cluster, capsys):
    workers, _ = cluster
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:0"):
            a = tf.constant(2.0, name="a")
        with tf.device("/job:ps/task:1"):
            b = tf.multiply(a, 3.0, name="b")
        c = tf.add(b, 1.0, name="c")  # no job: the master's task (worker 0)
        config = tf.ConfigProto(log_device_placement=True)
        with tf.Session(workers[0].target, config=config) as sess:
            assert sess.run(c) == 7.0
            runner = next(iter(sess._runners.values()))
            tasks = [p[0] for p in runner.call.partitions]
    out = capsys.readouterr().out
    assert "b: (Mul): /job:ps/replica:0/task:1/device:CPU:0" in out
    assert "c: (Add): /job:worker/replica:0/task:0/device:CPU:0" in out
    assert tasks == ["/job:ps/replica:0/task:0", "/job:ps/replica:0/task:1",
                     "/job:worker/replica:0/task:0"]


def test_unknown_task_is_invalid_argument(cluster):
    workers, _ = cluster
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:7"):
            v = tf.constant(1.0, name="far")
        with tf.Session(workers[0].target) as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"Cannot assign a device for operation far: .*"
                                     r"/job:ps/task:7 but available devices are \[ "
                                     r"/job:ps/replica:0/task:0/device:CPU:0, "):
                sess.run(v)


def test_errors_of_a_remote_task_keep_their_class_and_op(cluster):
    workers, _ = cluster
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:0"):
            v = tf.Variable([1.0, 2.0], name="never_set")
        shape = tf.placeholder(tf.int32, [1], name="shape")
        with tf.device("/job:ps/task:0"):
            bad = tf.reshape(v, shape, name="bad_reshape")
        x = tf.placeholder(tf.float32, name="unfed")
        with tf.Session(workers[0].target) as sess:
            with pytest.raises(tf.errors.FailedPreconditionError) as e:
                sess.run(v + 1.0)
            assert "never_set" in str(e.value)
            sess.run(v.initializer)
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="Input to reshape is a tensor with 2 values") as e:
                sess.run(bad, {shape: [3]})
            assert e.value.op is not None and e.value.op.name == "bad_reshape"
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match="You must feed a value for placeholder tensor 'unfed'"):
                sess.run(x + 1.0)
            assert sess.run(v).tolist() == [1.0, 2.0]  # the failing runs changed nothing


def test_bfloat16_sendrecv_compresses_between_tasks(cluster):
    workers, _ = cluster
    values = np.random.RandomState(3).randn(1000).astype(np.float32) * 100
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:0"):
            src = tf.identity(tf.constant(values), name="src")
        out = tf.identity(src, name="out")  # on the worker: crosses from ps to worker
        config = tf.ConfigProto()
        config.graph_options.enable_bfloat16_sendrecv = True
        with tf.Session(workers[0].target, config=config) as sess:
            got = sess.run(out)
        with tf.Session(workers[0].target) as sess:
            exact = sess.run(out)
    np.testing.assert_array_equal(exact, values)
    assert got.dtype == np.float32
    rel = np.abs(got - values) / np.abs(values)
    assert rel.max() <= 2.0 ** -8 and rel.max() > 0  # rounded, within bfloat16's bound
    bits = got.view(np.uint32)
    assert not (bits & 0xFFFF).any()  # exactly bfloat16 values


def test_saver_saves_and_restores_through_the_tasks(cluster, tmp_path):
    workers, ps = cluster
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:1"):
            v = tf.Variable([1.0, 2.0, 3.0], name="saved_v")
        saver = tf.train.Saver()
        with tf.Session(workers[0].target) as sess:
            sess.run(v.initializer)
            path = saver.save(sess, str(tmp_path / "model"))
            sess.run(v.assign([0.0, 0.0, 0.0]))
            saver.restore(sess, path)
            assert sess.run(v).tolist() == [1.0, 2.0, 3.0]
        soft = tf.ConfigProto(allow_soft_placement=True)
        with tf.Session(config=soft) as local:  # a checkpoint like any other
            saver.restore(local, path)
            assert local.run(v).tolist() == [1.0, 2.0, 3.0]
    assert ps[1]._worker.state.variables["saved_v"].tolist() == [1.0, 2.0, 3.0]


def test_monitored_training_session_with_a_chief_and_a_worker(cluster):
    workers, _ = cluster
    results = []
    for i in (0, 1):
        with tf.Graph().as_default():
            setter = tf.train.replica_device_setter(
                ps_tasks=2, worker_device="/job:worker/task:%d" % i)
            x, loss, train, step, _ = _model(setter)
            hooks = [tf.train.StopAtStepHook(last_step=4 * (i + 1))]
            with tf.train.MonitoredTrainingSession(master=workers[i].target, is_chief=(i == 0),
                                                   hooks=hooks) as sess:
                while not sess.should_stop():
                    sess.run(train, {x: _X})
                results.append(sess.run(step) if not sess.should_stop() else None)
    # The non-chief found the chief's variables initialized and went on from step 4.
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
            step = tf.train.get_or_create_global_step()
        with tf.Session(workers[0].target) as sess:
            assert sess.run(step) >= 8


def test_unreachable_task_times_out():
    spec = tf.train.ClusterSpec({"worker": ["localhost:%d" % server_lib._unused_port()],
                                 "ps": ["localhost:%d" % server_lib._unused_port()]})
    worker = tf.train.Server(spec, job_name="worker", task_index=0)
    try:
        with tf.Graph().as_default():
            with tf.device("/job:ps/task:0"):
                c = tf.constant(1.0)
            config = tf.ConfigProto(operation_timeout_in_ms=300)
            with tf.Session(worker.target, config=config) as sess:
                with pytest.raises(tf.errors.DeadlineExceededError, match="/job:ps"):
                    sess.run(c + 1.0)
    finally:
        worker._stop()


def test_targets_that_are_not_servers():
    with pytest.raises(tf.errors.NotFoundError,
                       match="No session factory registered for the given session options: "
                             "{target: \"foo\""):
        tf.Session("foo")


def test_list_devices_names_every_task(cluster):
    workers, _ = cluster
    with tf.Graph().as_default():
        with tf.Session(workers[1].target) as sess:
            names = [d.name for d in sess.list_devices()]
    assert names == ["/job:worker/replica:0/task:1/device:CPU:0",  # its own task first
                     "/job:ps/replica:0/task:0/device:CPU:0",
                     "/job:ps/replica:0/task:1/device:CPU:0",
                     "/job:worker/replica:0/task:0/device:CPU:0"]


def test_full_trace_times_the_ops_of_every_task(cluster):
    workers, _ = cluster
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:1"):
            v = tf.Variable(2.0, name="traced_v")
            doubled = tf.multiply(v, 2.0, name="doubled")
        y = tf.add(doubled, 1.0, name="plus_one")
        with tf.Session(workers[0].target) as sess:
            sess.run(v.initializer)
            meta = tf.RunMetadata()
            got = sess.run(y, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                           run_metadata=meta)
    assert got == 5.0
    nodes = {d.device: [n.node_name for n in d.node_stats] for d in meta.step_stats.dev_stats}
    assert "doubled" in nodes["/job:ps/replica:0/task:1/device:CPU:0"]
    assert "plus_one" in nodes["/job:worker/replica:0/task:0/device:CPU:0"]
    from tensorflux.client import timeline

    trace = timeline.Timeline(meta.step_stats).generate_chrome_trace_format()
    assert "doubled" in trace and "plus_one" in trace


def test_server_errors_are_tf_s():
    import socket

    with socket.socket() as taken:
        taken.bind(("localhost", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(tf.errors.UnknownError, match="Could not start gRPC server"):
            tf.train.Server(tf.train.ClusterSpec({"w": ["localhost:%d" % port]}))
    with pytest.raises(tf.errors.InternalError, match='Task 3 was not defined in job "w"'):
        tf.train.Server(tf.train.ClusterSpec({"w": ["localhost:1"]}), job_name="w",
                        task_index=3)


def test_a_task_that_goes_away_fails_the_step_at_once():
    workers, ps = server_lib.create_local_cluster(num_workers=1, num_ps=1)
    try:
        with tf.Graph().as_default():
            with tf.device("/job:ps/task:0"):
                v = tf.Variable(1.0, name="lost")
            with tf.Session(workers[0].target) as sess:
                sess.run(v.initializer)
                assert sess.run(v + 1.0) == 2.0
                ps[0]._stop()
                with pytest.raises(tf.errors.UnavailableError, match="/job:ps/replica:0/task:0"):
                    sess.run(v + 1.0)
    finally:
        for s in workers + ps:
            s._stop()


def test_a_process_ends_while_a_task_waits_in_a_queue(tmp_path):
    """A ps handler blocked for good (a dequeue nothing will feed) does not keep its process
    alive, as a TF server ends with its process."""
    import subprocess
    import sys

    script = tmp_path / "blocked.py"
    script.write_text(
        "import threading\n"
        "import tensorflux as tf\n"
        "workers, ps = tf.test.create_local_cluster(1, 1)\n"
        "with tf.device('/job:ps/task:0'):\n"
        "    q = tf.FIFOQueue(2, tf.float32, shared_name='never_fed')\n"
        "    item = q.dequeue()\n"
        "sess = tf.Session(workers[0].target)\n"
        "threading.Thread(target=sess.run, args=(item,), daemon=True).start()\n"
        "import time\n"
        "while 'never_fed' not in str(ps[0]._worker.state.resources):  # the ps is waiting\n"
        "    time.sleep(0.05)\n"
        "time.sleep(0.5)\n"
        "print('started', flush=True)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "started" in done.stdout


def test_saving_logs_no_placement(cluster, tmp_path, capsys):
    """The Saver finds each variable's task by placing it; that is no run, so
    log_device_placement prints nothing for it."""
    workers, _ = cluster
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:1"):
            v = tf.Variable([1.0], name="logged_v")
        saver = tf.train.Saver()
        config = tf.ConfigProto(log_device_placement=True)
        with tf.Session(workers[0].target, config=config) as sess:
            sess.run(v.initializer)
            assert "logged_v/Assign: (Assign)" in capsys.readouterr().out  # runs log
            saver.save(sess, str(tmp_path / "model"), write_meta_graph=False)
            assert "(VariableV2)" not in capsys.readouterr().out


def test_local_cluster_moves_to_fresh_ports_when_one_is_taken(monkeypatch):
    import socket

    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    real = server_lib._unused_port
    picks = iter([real(), taken.getsockname()[1]])  # the first try's ps port is taken
    monkeypatch.setattr(server_lib, "_unused_port", lambda: next(picks, None) or real())
    try:
        workers, ps = tf.test.create_local_cluster(num_workers=1, num_ps=1)
        assert ps[0].target != "grpc://localhost:%d" % taken.getsockname()[1]
        with tf.Graph().as_default():
            with tf.device("/job:ps/task:0"):
                v = tf.Variable(3.0, name="v")
            with tf.Session(workers[0].target) as sess:
                sess.run(v.initializer)
                assert sess.run(v) == 3.0
        for s in workers + ps:
            s._stop()
    finally:
        taken.close()
