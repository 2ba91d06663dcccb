"""TF-Slim checkpoints written by real TensorFlow (V2 and V1, tools/fixtures/gen_slim.py) restore
into the tensorflux zoo nets — through `tf.train.Saver`, `slim.assign_from_checkpoint_fn` and
`slim.assign_from_checkpoint` — and give TF's outputs; fine-tuning restores all but the logits;
`slim.learning.train` continues from a TF-written checkpoint."""

import json
import os
import shutil
import sys

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import zoo_cases  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "slim")
slim = tf.contrib.slim

with open(os.path.join(FIXTURES, "checkpoints.json")) as _f:
    CHECKPOINTS = json.load(_f)
with np.load(os.path.join(FIXTURES, "checkpoints.npz")) as _z:
    EXPECTED = {k: _z[k] for k in _z.files}

CASES = [(name, fmt) for name, entry in sorted(CHECKPOINTS.items())
         for fmt in ("v2", "v1") if fmt in entry]


def _path(name, fmt):
    return os.path.join(FIXTURES, "checkpoints", CHECKPOINTS[name][fmt])


def _build(name, **overrides):
    tf.reset_default_graph()
    global_step = tf.train.get_or_create_global_step()
    case = zoo_cases.CASES[name]
    images, output, end_points = zoo_cases.build(tf, slim, slim.nets, name, **overrides)
    feed = {images: zoo_cases.input_value(name, case.input_shape)}
    return global_step, output, end_points[CHECKPOINTS[name]["features"]], feed


def _close(got, want):
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5 * max(1.0, np.abs(want).max()))


@pytest.mark.parametrize("name, fmt", CASES)
def test_saver_restores_a_tf_slim_checkpoint(name, fmt):
    global_step, output, _, feed = _build(name)
    with tf.Session() as sess:
        tf.train.Saver().restore(sess, _path(name, fmt))
        assert sess.run(global_step) == CHECKPOINTS[name]["global_step"]
        _close(sess.run(output, feed), EXPECTED[name + "/output"])


@pytest.mark.parametrize("name, fmt", CASES)
def test_assign_from_checkpoint_fn_restores_the_model_variables(name, fmt):
    global_step, output, _, feed = _build(name)
    init_fn = slim.assign_from_checkpoint_fn(_path(name, fmt), slim.get_model_variables())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        init_fn(sess)
        assert sess.run(global_step) == 0
        _close(sess.run(output, feed), EXPECTED[name + "/output"])


@pytest.mark.parametrize("name", sorted(CHECKPOINTS))
def test_assign_from_checkpoint_op(name):
    _, output, _, feed = _build(name)
    op, assign_feed = slim.assign_from_checkpoint(_path(name, "v2"),
                                                  slim.get_variables_to_restore())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(op, assign_feed)
        _close(sess.run(output, feed), EXPECTED[name + "/output"])


@pytest.mark.parametrize("name", sorted(CHECKPOINTS))
def test_fine_tuning_restores_all_but_the_logits(name):
    _, output, features, feed = _build(name, num_classes=3)
    logits_scope = output.op.name.split("/")[0] + (
        "/Logits/Conv2d_1c_1x1" if "mobilenet" in name else "/logits")
    path = _path(name, "v2")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError):  # logits of the wrong shape
            tf.train.Saver().restore(sess, path)
        variables = slim.get_variables_to_restore(exclude=[logits_scope])
        assert len(variables) == len(slim.get_variables()) - 2
        slim.assign_from_checkpoint_fn(path, variables)(sess)
        _close(sess.run(features, feed), EXPECTED[name + "/features"])
        assert sess.run(output, feed).shape[-1] == 3


def test_ignore_missing_vars_skips_new_variables():
    name = sorted(CHECKPOINTS)[0]
    _, output, _, feed = _build(name)
    extra = slim.model_variable("new_head/weights", [2], initializer=tf.ones_initializer())
    path = _path(name, "v2")
    with pytest.raises(tf.errors.NotFoundError, match="new_head/weights"):
        with tf.Session() as sess:
            slim.assign_from_checkpoint_fn(path, slim.get_model_variables())(sess)
    init_fn = slim.assign_from_checkpoint_fn(path, slim.get_model_variables(),
                                             ignore_missing_vars=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        init_fn(sess)
        np.testing.assert_array_equal(sess.run(extra), [1.0, 1.0])
        _close(sess.run(output, feed), EXPECTED[name + "/output"])


def test_latest_checkpoint_of_a_tf_written_directory():
    name = sorted(n for n in CHECKPOINTS if "v2" in CHECKPOINTS[n])[0]
    directory = os.path.dirname(_path(name, "v2"))
    assert os.path.abspath(tf.train.latest_checkpoint(directory)) == os.path.abspath(
        _path(name, "v2"))
    names = dict(tf.train.list_variables(directory))
    assert names["global_step"] == []
    assert len(names) == len(zoo_cases.run_case(tf, slim, slim.nets, name, run=False)[0][
        "variables"]) + 1


def test_training_continues_from_a_tf_checkpoint(tmp_path):
    name = "resnet_v1_50_thin"
    logdir = str(tmp_path / "train")
    shutil.copytree(os.path.dirname(_path(name, "v2")), logdir)
    _, output, _, feed = _build(name)
    slim.losses.sparse_softmax_cross_entropy(output, tf.constant([1, 4]))
    loss = slim.losses.get_total_loss(add_regularization_losses=False)
    train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.0))

    def step(sess, op, global_step, kwargs):  # feeds the images placeholder
        return sess.run(op, feed), bool(sess.run(kwargs["should_stop"]))

    loss = slim.learning.train(train_op, logdir, train_step_fn=step,
                               number_of_steps=CHECKPOINTS[name]["global_step"] + 1)
    logits = EXPECTED[name + "/output"].astype(np.float64)
    shifted = logits - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    assert loss == pytest.approx(-np.mean(log_probs[[0, 1], [1, 4]]), rel=1e-4)
    assert tf.train.load_checkpoint(logdir).get_tensor("global_step") == \
        CHECKPOINTS[name]["global_step"] + 1
