"""The distributed step's schedule: a training step on a parameter server is one ps run to
read the variables and one to apply the updates, whatever the number of variables."""

import numpy as np
import pytest

pytest.importorskip("grpc")

import tensorflux as tf  # noqa: E402
from tensorflux.distributed import server as server_lib  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    workers, ps = server_lib.create_local_cluster(num_workers=1, num_ps=1)
    yield workers[0]
    for s in workers + ps:
        s._stop()


def _tasks(sess):
    runner = list(sess._runners.values())[-1]
    return [p[0].split("/")[1] for p in runner.call.partitions]


def test_a_training_step_reads_then_applies_on_the_ps(cluster):
    with tf.Graph().as_default():
        with tf.device(tf.train.replica_device_setter(ps_tasks=1,
                                                      worker_device="/job:worker/task:0")):
            x = tf.placeholder(tf.float32, [None, 4])
            h = x
            for i in range(4):  # eight variables, each read and updated
                h = tf.layers.dense(h, 4, activation=tf.nn.relu, name="d%d" % i)
            loss = tf.reduce_mean(h)
            step = tf.train.get_or_create_global_step()
            train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
        with tf.Session(cluster.target) as sess:
            sess.run(tf.global_variables_initializer())
            assert _tasks(sess).count("job:ps") == 1  # the initializers run on the ps
            sess.run(train, {x: np.ones((2, 4), np.float32)})
            tasks = _tasks(sess)
    assert tasks.count("job:ps") == 2, tasks
    # The optimizer's NoOps (Adam/update) run on the ps with the updates they group.
    assert tasks == ["job:worker", "job:ps", "job:worker", "job:ps"]
