"""Distributed sessions against real TensorFlow on the same cluster (two workers, two ps tasks):
devices, server definitions, training values, between-graph replication, errors, the Saver,
and `Session.reset` (tests/fixtures/distributed/sessions.json,
tools/fixtures/gen_distributed_session.py, which builds the same graphs line for line)."""

import json
import os
import re

import numpy as np
import pytest

pytest.importorskip("grpc")

import tensorflux as tf  # noqa: E402

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "distributed",
                       "sessions.json")
with open(FIXTURE) as f:
    DATA = json.load(f)
MODEL = DATA["model"]
X, Y = MODEL["x"], MODEL["y"]


@pytest.fixture(scope="module")
def cluster():
    workers, ps = tf.test.create_local_cluster(num_workers=2, num_ps=2)
    yield workers, ps
    for s in workers + ps:
        s._stop()


@pytest.fixture
def target(cluster):
    """Worker 0's target, with the cluster's state cleared after the test (as the generator
    resets it after each record)."""
    workers, _ = cluster
    yield workers[0].target
    tf.Session.reset(workers[0].target)


def build_model(optimizer, worker_device):
    """The generator's model, line for line."""
    setter = tf.train.replica_device_setter(ps_tasks=2, worker_device=worker_device)
    with tf.device(setter):
        step = tf.train.get_or_create_global_step()
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None, 2], name="y")
        w = tf.Variable(np.array(MODEL["w0"], np.float32), name="w")
        b = tf.Variable(np.array(MODEL["b0"], np.float32), name="b")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y), name="loss")
        opt = {"sgd": tf.train.GradientDescentOptimizer(0.1),
               "adam": tf.train.AdamOptimizer(0.05)}[optimizer]
        train = opt.minimize(loss, global_step=step)
    return {"x": x, "y": y, "w": w, "b": b, "loss": loss, "train": train, "step": step}


def assert_values(got, want):
    """float32 values to TF's within rtol 1e-6 (a few ulps): Eigen sums a reduce_mean's terms
    (and a matmul's, for the gradients) in another order than numpy, so a last bit differs from
    the third step on (the loss 0.8785032629966736 here, 0.8785032033920288 in TF). That the
    partitions change no value is test_distributed_session.py's check, against one local
    session, exactly."""
    np.testing.assert_allclose(np.float32(got), np.float32(want), rtol=1e-6, atol=0)


def assert_op_error(info, want):
    """`want` is the fixture's [class name, TF's kernel message, the op it names]: the class
    and the message's first line are compared exactly, and the op where TF names one of the
    client's graph (None: TF names no op, or one of its own partition's Send nodes, which
    tensorflux does not make; tensorflux names the op that failed)."""
    cls, message, op = want
    assert type(info.value).__name__ == cls
    assert info.value.message.split("\n")[0] == message
    if op is not None:
        assert info.value.op is not None and info.value.op.name == op


# --- devices and servers -------------------------------------------------------------------------
@pytest.mark.parametrize("index", [0, 1])
def test_list_devices_are_every_task_s_cpu(cluster, index):
    """TF lists the session's own task first, then the others in an order of its hash maps
    (it changes between runs): the set and the first device are what is stable."""
    workers, _ = cluster
    want = DATA["list_devices"]["worker%d" % index]
    with tf.Graph().as_default():
        with tf.Session(workers[index].target) as sess:
            got = [[d.name, d.device_type] for d in sess.list_devices()]
    assert sorted(got) == sorted(want)
    assert len(got) == len(want) == 4


def test_list_devices_start_with_the_session_s_task(cluster):
    workers, _ = cluster
    with tf.Graph().as_default():
        with tf.Session(workers[1].target) as sess:
            first = sess.list_devices()[0].name
    assert first == DATA["list_devices"]["worker1"][0][0]


def _ports(workers, ps):
    ports = {}
    for job, servers in (("worker", workers), ("ps", ps)):
        for i, s in enumerate(servers):
            ports[s.target.rsplit(":", 1)[1]] = "{%s%d}" % (job, i)
    return lambda text: re.sub(r"localhost:(\d+)", lambda m: "localhost:" + ports[m.group(1)],
                               text)


def test_server_targets(cluster):
    workers, ps = cluster
    assert DATA["servers"]["target_pattern_matches"]
    for s in workers + ps:
        assert re.fullmatch(r"grpc://localhost:\d+", s.target)
    stable = _ports(workers, ps)
    assert [stable(s.target) for s in workers + ps] == DATA["servers"]["targets"]


def test_server_def_text(cluster):
    workers, ps = cluster
    stable = _ports(workers, ps)
    assert stable(str(ps[1].server_def)) == DATA["servers"]["server_def_ps1"]
    assert stable(str(workers[0].server_def)) == DATA["servers"]["server_def_worker0"]


# --- values --------------------------------------------------------------------------------------
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_training_on_the_ps_tasks(target, optimizer):
    """Losses, weights and global step of TF's run (values: `assert_values`)."""
    want = DATA["training"][optimizer]
    with tf.Graph().as_default():
        m = build_model(optimizer, "/job:worker/task:0")
        assert {v.op.name: v.device for v in tf.global_variables()} == want["variable_devices"]
        with tf.Session(target) as sess:
            sess.run(tf.global_variables_initializer())
            feed = {m["x"]: X, m["y"]: Y}
            losses = [float(sess.run([m["loss"], m["train"]], feed)[0])
                      for _ in range(MODEL["steps"])]
            w, b, step = sess.run([m["w"], m["b"], m["step"]])
    np.testing.assert_array_equal(losses[0], want["losses"][0])  # dyadic data: exact
    assert_values(losses, want["losses"])
    assert_values(w, want["w"])
    assert_values(b, want["b"])
    assert step == want["global_step"]


def test_between_graph_replication(cluster, target):
    workers, _ = cluster
    models, sessions = [], []
    for i, server in enumerate(workers):
        g = tf.Graph()
        with g.as_default():
            models.append(build_model("sgd", "/job:worker/task:%d" % i))
            init = tf.global_variables_initializer()
        sessions.append(tf.Session(server.target, graph=g))
        if i == 0:
            sessions[0].run(init)
    try:
        for k, want in enumerate(DATA["between_graph"]):
            me, other = k % 2, 1 - k % 2
            assert [me, other] == [want["trained_by"], want["read_by"]]
            m, o = models[me], models[other]
            sessions[me].run(m["train"], {m["x"]: X, m["y"]: Y})
            w, b, step = sessions[other].run([o["w"], o["b"], o["step"]])
            assert_values(w, want["w"])
            assert_values(b, want["b"])
            assert step == want["global_step"]
    finally:
        for s in sessions:
            s.close()


# --- errors --------------------------------------------------------------------------------------
def _run_error(target, build):
    with tf.Graph().as_default():
        fetch, init, feed = build()
        with tf.Session(target) as sess:
            if init is not None:
                sess.run(init)
            with pytest.raises(tf.errors.OpError) as info:
                sess.run(fetch, feed)
    return info


def test_op_on_a_task_the_cluster_lacks(target):
    def build():
        with tf.device("/job:ps/task:7"):
            c = tf.constant(1.0, name="far")
        return c, None, None

    assert_op_error(_run_error(target, build), DATA["errors"]["far_task"])


def test_uninitialized_variable_on_a_ps(target):
    """TF's class and message, named at the read op that found the variable unset."""
    def build():
        with tf.device("/job:ps/task:0"):
            v = tf.Variable([1.0, 2.0], name="never_set")
        return v + 1.0, None, None

    assert_op_error(_run_error(target, build), DATA["errors"]["uninitialized"])


def test_unfed_placeholder(target):
    def build():
        x = tf.placeholder(tf.float32, name="unfed")
        return x + 1.0, None, None

    assert_op_error(_run_error(target, build), DATA["errors"]["unfed"])


def test_bad_reshape_on_a_ps(target):
    def build():
        with tf.device("/job:ps/task:0"):
            v = tf.Variable([1.0, 2.0], name="v")
        shape = tf.placeholder(tf.int32, [1], name="shape")
        with tf.device("/job:ps/task:0"):
            bad = tf.reshape(v, shape, name="bad_reshape")
        return bad, v.initializer, {shape: [3]}

    assert_op_error(_run_error(target, build), DATA["errors"]["bad_reshape"])


def test_session_on_a_target_that_is_no_server():
    """TF prints its default config where "{config}" stands (a text that changes between
    runs); the rest is compared exactly."""
    cls, message, _ = DATA["errors"]["session_foo"]
    head, tail = message.split("{config}")
    with pytest.raises(tf.errors.OpError) as info:
        tf.Session("foo")
    assert type(info.value).__name__ == cls
    assert info.value.message.startswith(head)
    assert info.value.message.endswith(tail)


# --- state ---------------------------------------------------------------------------------------
def test_saver_round_trip_of_ps_variables(target, tmp_path):
    want = DATA["saver"]
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:1"):
            v = tf.Variable([1.0, 2.0, 3.0], name="saved_v")
        with tf.device("/job:ps/task:0"):
            u = tf.Variable(5, name="saved_u")
        saver = tf.train.Saver()
        with tf.Session(target) as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, str(tmp_path / "model"))
            files = sorted(os.listdir(tmp_path))
            sess.run([v.assign([0.0, 0.0, 0.0]), u.assign(0)])
            saver.restore(sess, path)
            restored = [sess.run(v).tolist(), int(sess.run(u))]
        reader = tf.train.NewCheckpointReader(path)
        shapes = sorted([k, s] for k, s in reader.get_variable_to_shape_map().items())
        latest = os.path.basename(tf.train.get_checkpoint_state(str(tmp_path))
                                  .model_checkpoint_path)
    assert os.path.basename(path) == want["save_path"]
    assert files == want["files"]
    assert restored == want["restored"]
    assert shapes == want["shapes"]
    assert latest == want["latest"]


def test_variables_outlive_sessions_until_reset(cluster, target):
    workers, _ = cluster
    want = DATA["persistence"]
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:1"):
            v = tf.Variable(3.0, name="kept")
        inc = v.assign_add(1.0)
        with tf.Session(workers[0].target) as sess:
            sess.run(v.initializer)
            sess.run(inc)
        with tf.Session(workers[0].target) as sess:
            assert float(sess.run(v)) == want["same_target"]
        with tf.Session(workers[1].target) as sess:
            assert float(sess.run(v)) == want["other_target"]
        tf.Session.reset(workers[1].target)  # any task's target resets the whole cluster
        for i, server in enumerate(workers):
            with tf.Session(server.target) as sess:
                with pytest.raises(tf.errors.OpError) as info:
                    sess.run(v)
            assert_op_error(info, want["after_reset"]["worker%d" % i])
        with tf.Session(workers[0].target) as sess:
            sess.run(v.initializer)
            assert float(sess.run(v)) == want["reinitialized"]


def test_log_device_placement_lines(target, capsys):
    """TF prints one "name: (type): device" line per op of the step to stdout. `tf.add` is
    AddV2 in the TF that recorded the fixture, Add in TF 1.x and here: types are compared
    for the other ops."""
    want = DATA["placement"]
    assert want["result"] == ["RESULT 7.0"]
    with tf.Graph().as_default():
        with tf.device("/job:ps/task:0"):
            a = tf.constant(2.0, name="a")
        with tf.device("/job:ps/task:1"):
            b = tf.multiply(a, 3.0, name="b")
        c = tf.add(b, 1.0, name="c")
        config = tf.ConfigProto(log_device_placement=True)
        with tf.Session(target, config=config) as sess:
            assert sess.run(c) == 7.0
    pattern = re.compile(r"(\S+): \((\w+)\): (/job:\S+)")
    got = [list(m.groups()) for m in map(pattern.search, capsys.readouterr().out.splitlines())
           if m]
    assert sorted([n, d] for n, _, d in got) == sorted([n, d] for n, _, d in want["lines"])
    types = {n: t for n, t, _ in want["lines"] if n != "c"}
    assert {n: t for n, t, _ in got if n != "c"} == types
    assert {n: t for n, t, _ in got}["c"] == "Add"
