"""A TF 1.x training script in the style of the models that used MonitoredTrainingSession:
internal-module imports, tf.layers, summaries, hooks and checkpoint restarts.

Usage: monitored_training.py --train_dir DIR --max_steps N
Run twice with a larger --max_steps to continue from the checkpoint.
"""

import glob
import os

import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data
from tensorflow.python.framework import dtypes, ops
from tensorflow.python.ops import array_ops, math_ops, nn, variable_scope
from tensorflow.python.platform import tf_logging as logging
from tensorflow.python.training import basic_session_run_hooks, session_run_hook, training_util

tf.app.flags.DEFINE_string("train_dir", "/tmp/monitored", "Checkpoints and events")
tf.app.flags.DEFINE_string("data_dir", "/usr/share/datasets/fashion-mnist", "Data")
tf.app.flags.DEFINE_integer("max_steps", 60, "Train until this global step")
tf.app.flags.DEFINE_integer("batch_size", 64, "Batch size")
FLAGS = tf.app.flags.FLAGS


class _FirstStepHook(session_run_hook.SessionRunHook):
    """Reports the global step the session started at (0, or the restored one)."""

    def begin(self):
        self._step = training_util.get_global_step()

    def after_create_session(self, session, coord):
        print("starting at global step %d" % session.run(self._step))


def model(images, labels):
    with variable_scope.variable_scope("mlp"):
        net = tf.layers.dense(images, 64, activation=nn.relu, name="hidden")
        logits = tf.layers.dense(net, 10, name="logits")
    loss = math_ops.reduce_mean(nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits), name="loss")
    correct = math_ops.equal(math_ops.argmax(logits, 1), math_ops.cast(labels, dtypes.int64))
    accuracy = math_ops.reduce_mean(math_ops.cast(correct, dtypes.float32), name="accuracy")
    return loss, accuracy


def main(_):
    logging.set_verbosity(logging.INFO)
    data = input_data.read_data_sets(FLAGS.data_dir, one_hot=False, validation_size=1000)
    with ops.Graph().as_default():
        global_step = training_util.get_or_create_global_step()
        images = array_ops.placeholder(dtypes.float32, [None, 784], name="images")
        labels = array_ops.placeholder(dtypes.int32, [None], name="labels")
        loss, accuracy = model(images, labels)
        tf.summary.scalar("loss", loss)
        tf.summary.scalar("accuracy", accuracy)
        tf.summary.histogram("logits_weights",
                             tf.get_default_graph().get_tensor_by_name("mlp/logits/kernel:0"))
        optimizer = tf.train.AdamOptimizer(1e-3)
        train_op = optimizer.minimize(loss, global_step=global_step)

        hooks = [
            basic_session_run_hooks.StopAtStepHook(last_step=FLAGS.max_steps),
            basic_session_run_hooks.NanTensorHook(loss),
            basic_session_run_hooks.LoggingTensorHook(
                {"step": global_step, "loss": loss}, every_n_iter=20),
            _FirstStepHook(),
        ]
        final = basic_session_run_hooks.FinalOpsHook(
            {"step": global_step, "accuracy": accuracy},
            final_ops_feed_dict={images: data.validation.images,
                                 labels: data.validation.labels})
        with tf.train.MonitoredTrainingSession(
                checkpoint_dir=FLAGS.train_dir, hooks=hooks, chief_only_hooks=[final],
                save_checkpoint_steps=25, save_summaries_steps=10,
                log_step_count_steps=20) as sess:
            while not sess.should_stop():
                xs, ys = data.train.next_batch(FLAGS.batch_size)
                sess.run(train_op, feed_dict={images: xs, labels: ys})
    print("final global step %d" % final.final_ops_values["step"])
    print("validation accuracy %.3f" % final.final_ops_values["accuracy"])
    print("latest checkpoint %s" % os.path.basename(tf.train.latest_checkpoint(FLAGS.train_dir)))
    events = glob.glob(os.path.join(FLAGS.train_dir, "events.out.tfevents.*"))
    tags = set()
    for path in events:
        for event in tf.train.summary_iterator(path):
            for value in event.summary.value:
                tags.add(value.tag)
    print("summary tags %s" % " ".join(sorted(tags)))
    assert np.isfinite(final.final_ops_values["accuracy"])


if __name__ == "__main__":
    tf.app.run()
