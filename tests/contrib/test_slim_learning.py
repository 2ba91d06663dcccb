"""slim.learning (create_train_op, train) and slim.evaluation: the training op's wiring (update
ops first, gradient multipliers and clipping, the TRAIN_OP collection, the loss check), and the
loop's initialization, checkpoints, restarts and stopping."""

import os

import numpy as np
import pytest

import tensorflux as tf

slim = tf.contrib.slim


def _model(batch=8, seed=0):
    rng = np.random.RandomState(seed)
    x = tf.constant(rng.rand(batch, 4).astype(np.float32))
    y = tf.constant(rng.randint(0, 3, batch))
    net = slim.fully_connected(x, 5, normalizer_fn=slim.batch_norm, scope="hidden")
    logits = slim.fully_connected(net, 3, activation_fn=None, scope="logits")
    slim.losses.softmax_cross_entropy(logits, slim.one_hot_encoding(y, 3))
    return slim.losses.get_total_loss()


def test_create_train_op_runs_the_update_ops_and_steps():
    loss = _model()
    optimizer = tf.train.GradientDescentOptimizer(0.1)
    train_op = slim.learning.create_train_op(loss, optimizer)
    assert tf.get_collection(tf.GraphKeys.TRAIN_OP)[-1] is train_op  # after the apply op
    step = tf.train.get_global_step()
    moving_mean = slim.get_variables_by_name("moving_mean")[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss)
        values = [sess.run(train_op) for _ in range(5)]
        assert sess.run(step) == 5
        assert np.all(sess.run(moving_mean) != 0)
        assert values[0] == pytest.approx(first, rel=1e-6)
        assert values[-1] < values[0]


def test_create_train_op_without_update_ops_or_global_step():
    loss = _model()
    train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.1),
                                             global_step=None, update_ops=[])
    moving_mean = slim.get_variables_by_name("moving_mean")[0]
    assert tf.train.get_global_step() is None
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train_op)
        np.testing.assert_array_equal(sess.run(moving_mean), 0)


def test_gradient_multipliers_and_clipping():
    w = tf.Variable([3.0, 4.0], name="w")
    v = tf.Variable([1.0], name="v")
    loss = tf.reduce_sum(w * w) + tf.reduce_sum(10.0 * v)
    train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(1.0),
                                             clip_gradient_norm=5.0,
                                             gradient_multipliers={"v": 0.1})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train_op)
        # dw = [6, 8] clipped to norm 5; dv = 10 * 0.1 = 1.
        np.testing.assert_allclose(sess.run(w), [0.0, 0.0], atol=1e-6)
        np.testing.assert_allclose(sess.run(v), [0.0], atol=1e-6)
    with pytest.raises(ValueError, match="`gradient_multipliers` must be a dict."):
        slim.learning.multiply_gradients([], [("v", 1.0)])


def test_train_op_checks_the_loss():
    x = tf.placeholder(tf.float32, [])
    w = tf.Variable(1.0)
    train_op = slim.learning.create_train_op(w * x, tf.train.GradientDescentOptimizer(0.1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="LossTensor is inf or nan"):
            sess.run(train_op, {x: np.inf})


def test_train_saves_restores_and_stops(tmp_path):
    logdir = str(tmp_path / "train")
    loss = _model()
    train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.2))
    final = slim.learning.train(train_op, logdir, number_of_steps=4)
    assert tf.train.latest_checkpoint(logdir).endswith("model.ckpt-4")
    assert os.path.exists(os.path.join(logdir, "model.ckpt-0.index"))
    reader = tf.train.load_checkpoint(logdir)
    assert reader.get_tensor("global_step") == 4
    # A second call continues from the checkpoint (its init_fn is not called).
    called = []
    final2 = slim.learning.train(train_op, logdir, number_of_steps=6,
                                 init_fn=lambda sess: called.append(sess))
    assert called == []
    assert tf.train.latest_checkpoint(logdir).endswith("model.ckpt-6")
    assert final2 < final
    # Already past number_of_steps: TF-Slim still runs one step before checking.
    slim.learning.train(train_op, logdir, number_of_steps=3)
    assert tf.train.latest_checkpoint(logdir).endswith("model.ckpt-7")


def test_train_calls_init_fn_on_a_fresh_start(tmp_path):
    loss = _model()
    weights = slim.get_variables_by_name("weights")
    train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.0))
    seen = {}

    def init_fn(sess):
        sess.run(tf.assign(weights[1], tf.zeros_like(weights[1])))
        seen["called"] = True

    loss_value = slim.learning.train(train_op, None, number_of_steps=1, init_fn=init_fn)
    assert seen == {"called": True}
    assert loss_value == pytest.approx(np.log(3.0), rel=1e-5)  # zero logits


def test_train_stops_at_the_end_of_the_input(tmp_path):
    loss = _model()
    train_op = slim.learning.create_train_op(loss, tf.train.GradientDescentOptimizer(0.1))
    calls = []

    def step_fn(sess, op, global_step, kwargs):
        if len(calls) == 3:
            raise tf.errors.OutOfRangeError(None, None, "End of sequence")
        calls.append(sess.run(op))
        return calls[-1], False

    final = slim.learning.train(train_op, str(tmp_path), train_step_fn=step_fn)
    assert final == calls[-1]
    assert tf.train.load_checkpoint(str(tmp_path)).get_tensor("global_step") == 3


def test_train_argument_errors():
    with pytest.raises(ValueError, match="train_op cannot be None."):
        slim.learning.train(None, "/nowhere")
    with pytest.raises(ValueError, match="Cannot provide saver because logdir=None"):
        slim.learning.train(tf.constant(1.0), None, saver=object())
    with pytest.raises(ValueError, match="`number_of_steps` must be either None or a positive"):
        slim.learning.train(tf.constant(1.0), None, number_of_steps=0)


def test_evaluate_once(tmp_path):
    w = tf.Variable([1.0, 2.0], name="w")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.assign(w, [3.0, 5.0]))
        path = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=7)
    total = tf.Variable(0.0, trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    update = tf.assign_add(total, tf.reduce_sum(w))
    value = slim.evaluation.evaluate_once("", path, str(tmp_path), num_evals=3,
                                          eval_op=update, final_op=total)
    assert value == pytest.approx(24.0)
    value = slim.evaluation.evaluation_loop("", str(tmp_path), str(tmp_path), num_evals=1,
                                            eval_op=update, final_op=total,
                                            max_number_of_evaluations=1, eval_interval_secs=0)
    assert value == pytest.approx(8.0)
    assert slim.evaluation.wait_for_new_checkpoint(str(tmp_path), path, 0.01, 0.02) is None


@pytest.mark.parametrize("optimizer", ["SGD", "Adam", "Momentum", tf.train.AdagradOptimizer,
                                       lambda lr: tf.train.RMSPropOptimizer(lr)])
def test_optimize_loss_trains(optimizer):
    loss = _model()
    step = tf.train.get_or_create_global_step()
    train_op = tf.contrib.layers.optimize_loss(loss, step, 0.1, optimizer, clip_gradients=1.0)
    assert "OptimizeLoss/learning_rate:0" in [v.name for v in tf.global_variables()]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = [sess.run(train_op) for _ in range(4)]
        assert sess.run(step) == 4
    assert values[-1] < values[0]


def test_optimize_loss_options_and_errors():
    w = tf.Variable([2.0], name="w")
    loss = tf.reduce_sum(w * w)
    step = tf.train.get_or_create_global_step()
    decayed = []
    train_op = tf.contrib.layers.optimize_loss(
        loss, step, 0.5, "SGD", gradient_multipliers={w: 0.5}, increment_global_step=False,
        learning_rate_decay_fn=lambda lr, gs: decayed.append(lr) or lr * 0.5, name="opt")
    assert decayed and decayed[0].name == "opt/learning_rate:0"
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train_op)
        # grad 4 * 0.5 = 2, lr 0.25 -> w = 2 - 0.5
        np.testing.assert_allclose(sess.run(w), [1.5])
        assert sess.run(step) == 0
    with pytest.raises(ValueError, match="Optimizer name should be one of"):
        tf.contrib.layers.optimize_loss(loss, step, 0.1, "Nope")
    with pytest.raises(ValueError, match="Invalid learning_rate -1.0."):
        tf.contrib.layers.optimize_loss(loss, step, -1.0, "SGD")
    with pytest.raises(ValueError, match="Summaries should be one of"):
        tf.contrib.layers.optimize_loss(loss, step, 0.1, "SGD", summaries=["bogus"])
    with pytest.raises(ValueError, match="Learning rate is None"):
        tf.contrib.layers.optimize_loss(loss, step, None, "SGD")
    with pytest.raises(ValueError, match="Unknown type"):
        tf.contrib.layers.optimize_loss(loss, step, 0.1, "SGD", clip_gradients=1)
