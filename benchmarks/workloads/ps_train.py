"""The deck's CNN training step (cnn_train.py's model) with its variables on a parameter
server: TF1's between-graph replication, one ps task and one worker task.

    cluster = tf.train.ClusterSpec({"worker": [...], "ps": [...]})  # free localhost ports
    worker = tf.train.Server(cluster, "worker", 0); tf.train.Server(cluster, "ps", 0)
    with tf.device(tf.train.replica_device_setter(ps_tasks=1,
                                                  worker_device="/job:worker/task:0")):
        model
    sess = tf.Session(worker.target)

A step is one `sess.run([train_op, loss], feed_dict)` on the worker's session: the worker reads
the 3.3M weights from the ps, computes the gradients and sends them back for the ps to apply
Adam, about 13 MB each way over gRPC on this machine's loopback. It measures what the ps costs
over `cnn_train` (same model, same batches), against TensorFlow doing the same. PyTorch and
JAX have no TF1-style parameter-server sessions; they do not run it.
"""

import itertools
import socket

from workloads import Unsupported, cnn_train, seed_tf1, tf1_module

BATCH = cnn_train.BATCH
STEPS = 20
WARMUP = 3
flops = cnn_train.flops


def _free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def _setup_tf1(tf, opts):
    # Servers made by hand: TF's tf.test.create_local_cluster needs the portpicker package.
    cluster = tf.train.ClusterSpec({"worker": ["localhost:%d" % _free_port()],
                                    "ps": ["localhost:%d" % _free_port()]})
    workers = [tf.train.Server(cluster, job_name="worker", task_index=0)]
    ps = [tf.train.Server(cluster, job_name="ps", task_index=0)]
    graph = tf.Graph()
    with graph.as_default():
        seed_tf1(tf)
        setter = tf.train.replica_device_setter(ps_tasks=1, worker_device="/job:worker/task:0")
        with tf.device(setter):
            images, labels, loss, train_op = cnn_train.build_tf1(tf, opts.batch)
        init = tf.global_variables_initializer()
    sess = tf.Session(workers[0].target, graph=graph)
    sess.run(init)
    feeds = itertools.cycle([{images: x, labels: y} for x, y in cnn_train._batches(opts.batch)])
    run = sess.run
    fetches = [train_op, loss]
    keep = (workers, ps)  # the servers live as long as the step

    def step():
        assert keep
        return run(fetches, next(feeds))[1]

    cnn_train._check_loss(step())
    return step


def setup_tensorflux(opts):
    return _setup_tf1(tf1_module("tensorflux"), opts)


def setup_tensorflow(opts):
    return _setup_tf1(tf1_module("tensorflow"), opts)


def setup_torch(opts):
    raise Unsupported("no TF1 parameter-server session")


def setup_jax(opts):
    raise Unsupported("no TF1 parameter-server session")
