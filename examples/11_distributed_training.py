"""Slide "TensorFlow in Distributed Systems": between-graph replicated training, one ps task
holding the variables and two worker tasks computing gradients, as TF1 tutorials write it.

Each task is its own process, started with its job and index:

    python examples/11_distributed_training.py --ps_hosts=localhost:2222 \\
        --worker_hosts=localhost:2223,localhost:2224 --job_name=ps --task_index=0
    python examples/11_distributed_training.py ... --job_name=worker --task_index=0
    python examples/11_distributed_training.py ... --job_name=worker --task_index=1

Run with no --job_name, it starts all three on free localhost ports and waits for the workers:
    python examples/11_distributed_training.py
The model learns y = x . [2, -3, 0.5] + 1 from random batches (each worker its own data).
"""
import socket
import subprocess
import sys

import numpy as np

import tensorflux as tf

flags = tf.app.flags
flags.DEFINE_string("ps_hosts", "", "Comma-separated host:port pairs of the ps tasks")
flags.DEFINE_string("worker_hosts", "", "Comma-separated host:port pairs of the worker tasks")
flags.DEFINE_string("job_name", "", "One of 'ps', 'worker'")
flags.DEFINE_integer("task_index", 0, "Index of the task within its job")
flags.DEFINE_integer("steps", 200, "Global steps to train for")
FLAGS = flags.FLAGS

TRUE_W = np.array([[2.0], [-3.0], [0.5]], np.float32)


def run_task():
    cluster = tf.train.ClusterSpec({"ps": FLAGS.ps_hosts.split(","),
                                    "worker": FLAGS.worker_hosts.split(",")})
    server = tf.train.Server(cluster, job_name=FLAGS.job_name, task_index=FLAGS.task_index)
    if FLAGS.job_name == "ps":
        server.join()
        return
    # Variables go to the ps task, everything else to this worker.
    with tf.device(tf.train.replica_device_setter(
            worker_device="/job:worker/task:%d" % FLAGS.task_index, cluster=cluster)):
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y = tf.placeholder(tf.float32, [None, 1], name="y")
        w = tf.Variable(tf.zeros([3, 1]), name="w")
        b = tf.Variable(0.0, name="b")
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
        global_step = tf.train.get_or_create_global_step()
        train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
    rng = np.random.RandomState(FLAGS.task_index)
    hooks = [tf.train.StopAtStepHook(last_step=FLAGS.steps)]
    with tf.train.MonitoredTrainingSession(master=server.target,
                                           is_chief=(FLAGS.task_index == 0),
                                           hooks=hooks) as sess:
        local_steps = 0
        while not sess.should_stop():
            xs = rng.randn(32, 3).astype(np.float32)
            _, step, l = sess.run([train_op, global_step, loss],
                                  {x: xs, y: xs @ TRUE_W + 1.0})
            local_steps += 1
    print("worker %d: %d local steps, last global step %d, loss %.6f"
          % (FLAGS.task_index, local_steps, step, l))


def free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def launch():
    """Starts one ps and two workers on this machine, waits for the workers, stops the ps."""
    ps = "localhost:%d" % free_port()
    workers = ["localhost:%d" % free_port() for _ in range(2)]
    common = [sys.argv[0], "--ps_hosts=" + ps, "--worker_hosts=" + ",".join(workers),
              "--steps=%d" % FLAGS.steps]
    ps_proc = subprocess.Popen([sys.executable] + common + ["--job_name=ps"])
    procs = [subprocess.Popen([sys.executable] + common + ["--job_name=worker",
                                                           "--task_index=%d" % i])
             for i in range(2)]
    try:
        codes = [p.wait(timeout=600) for p in procs]
    finally:
        ps_proc.kill()
        ps_proc.wait()
    print("workers exited with", codes)
    return max(codes)


def main(argv):
    if FLAGS.job_name:
        run_task()
        return 0
    return launch()


if __name__ == "__main__":
    FLAGS(sys.argv)
    sys.exit(main(sys.argv))
