"""tf.contrib.framework / TF-Slim's variable helpers: arg_scope, model variables, lookups,
assign_from_values / assign_from_checkpoint(_fn) on tensorflux-written checkpoints, and errors
(the checkpoints TF-Slim wrote are in test_zoo_checkpoints.py)."""

import numpy as np
import pytest

import tensorflux as tf

slim = tf.contrib.slim


def test_contrib_framework_slim_and_layers_share_functions():
    assert tf.contrib.framework.arg_scope is slim.arg_scope is tf.contrib.layers.arg_scope
    assert tf.contrib.framework.model_variable is slim.model_variable
    assert slim.separable_conv2d is slim.separable_convolution2d
    assert slim.conv2d_transpose is tf.contrib.layers.convolution2d_transpose
    assert slim.utils is tf.contrib.layers.utils


def test_decorated_functions_accept_arg_scope():
    for fn in (slim.conv2d, slim.conv2d_transpose, slim.separable_conv2d, slim.fully_connected,
               slim.max_pool2d, slim.avg_pool2d, slim.batch_norm, slim.dropout, slim.flatten,
               slim.layer_norm, slim.one_hot_encoding, slim.softmax, slim.bias_add,
               slim.model_variable, slim.variable, slim.losses.add_loss):
        assert slim.has_arg_scope(fn), fn
    assert not slim.has_arg_scope(slim.repeat)
    assert "padding" in slim.arg_scoped_arguments(slim.conv2d)


def test_arg_scope_nesting_and_explicit_arguments():
    x = tf.placeholder(tf.float32, [1, 5, 5, 2])
    with slim.arg_scope([slim.conv2d], padding="VALID", activation_fn=None):
        with slim.arg_scope([slim.conv2d], stride=2):
            a = slim.conv2d(x, 3, [3, 3], scope="a")
            b = slim.conv2d(x, 3, [3, 3], padding="SAME", scope="b")
        c = slim.conv2d(x, 3, [3, 3], scope="c")
    assert a.shape.as_list() == [1, 2, 2, 3]
    assert b.shape.as_list() == [1, 3, 3, 3]
    assert c.shape.as_list() == [1, 3, 3, 3]
    assert a.op.type == "BiasAdd"


def test_add_arg_scope_on_a_user_function():
    @slim.add_arg_scope
    def scaled(x, factor=1.0, name=None):
        return x * factor

    with slim.arg_scope([scaled], factor=3.0):
        y = scaled(tf.constant(2.0))
    with tf.Session() as sess:
        assert sess.run(y) == 6.0
    assert slim.arg_scoped_arguments(scaled) == ("factor", "name")


def test_model_variable_and_variable_collections():
    with tf.variable_scope("m"):
        w = slim.model_variable("w", [2, 3], initializer=tf.ones_initializer(),
                                collections=["extra"])
        v = slim.variable("v", [2])
        with slim.arg_scope([slim.variable], device="/cpu:0"):
            d = slim.variable("d", [1])
    assert w.name == "m/w:0"
    assert tf.get_collection(tf.GraphKeys.MODEL_VARIABLES) == [w]
    assert tf.get_collection("extra") == [w]
    assert slim.get_variables() == [w, v, d]
    assert d.device.lower().endswith("cpu:0")
    slim.add_model_variable(v)
    slim.add_model_variable(v)
    assert slim.get_model_variables() == [w, v]
    with tf.variable_scope("m", reuse=True):
        assert slim.model_variable("w", [2, 3]) is w


def test_variable_lookup_errors():
    slim.variable("a/b", [1])
    slim.variable("a/bc", [1])
    with pytest.raises(ValueError, match="Couldn't find variable x"):
        slim.get_unique_variable("x")
    with pytest.raises(ValueError, match="does not uniquely identify"):
        slim.get_unique_variable("a")
    assert slim.get_unique_variable("a/b").name == "a/b:0"
    with pytest.raises(TypeError, match="include is provided but is not a list or a tuple."):
        slim.get_variables_to_restore(include="a")
    with pytest.raises(TypeError, match="exclude is provided but is not a list or a tuple."):
        slim.get_variables_to_restore(exclude="a")


def test_global_and_local_variable():
    g = slim.global_variable([1.0, 2.0], name="g")
    loc = slim.local_variable(3, name="l")
    assert g in tf.global_variables() and g not in tf.trainable_variables()
    assert tf.local_variables() == [loc]
    step = slim.get_or_create_global_step()
    assert slim.get_global_step() is step
    assert slim.assert_or_get_global_step() is step


def test_assign_from_values():
    with tf.variable_scope("net"):
        w = slim.model_variable("weights", [2, 2])
        b = slim.model_variable("biases", [2])
    op, feed = slim.assign_from_values({"net/weights": np.arange(4.0).reshape(2, 2),
                                        "net/biases": np.array([5.0, 6.0])})
    assert sorted(t.op.name for t in feed) == ["placeholder/net/biases",
                                               "placeholder/net/weights"]
    with tf.Session() as sess:
        sess.run(op, feed)
        np.testing.assert_array_equal(sess.run(w), [[0, 1], [2, 3]])
        fn = slim.assign_from_values_fn({"net/biases": np.array([7.0, 8.0])})
        fn(sess)
        np.testing.assert_array_equal(sess.run(b), [7, 8])
    with pytest.raises(ValueError, match="Variable nothing wasn't found"):
        slim.assign_from_values({"nothing": np.zeros(1)})


def _save_net(path, value):
    with tf.Graph().as_default():
        with tf.variable_scope("net"):
            slim.model_variable("weights", [2, 3], initializer=tf.constant_initializer(value))
            slim.model_variable("biases", [3], initializer=tf.constant_initializer(-value))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return tf.train.Saver().save(sess, path)


def test_assign_from_checkpoint_and_fn(tmp_path):
    ckpt = _save_net(str(tmp_path / "model.ckpt"), 2.5)
    with tf.variable_scope("net"):
        w = slim.model_variable("weights", [2, 3])
        b = slim.model_variable("biases", [3])
    extra = slim.model_variable("extra", [1], initializer=tf.zeros_initializer())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        op, feed = slim.assign_from_checkpoint(ckpt, [w, b])
        sess.run(op, feed)
        np.testing.assert_array_equal(sess.run(w), np.full([2, 3], 2.5))
        op, feed = slim.assign_from_checkpoint(ckpt, {"net/biases": [b], "net/weights": w})
        sess.run(op, feed)
        with pytest.raises(ValueError, match=r"Checkpoint is missing variable \[extra\]"):
            slim.assign_from_checkpoint(ckpt, [w, extra])
        op, feed = slim.assign_from_checkpoint(ckpt, [w, extra], ignore_missing_vars=True)
        assert len(feed) == 1
        sess.run(tf.global_variables_initializer())
        init_fn = slim.assign_from_checkpoint_fn(ckpt, slim.get_model_variables(),
                                                 ignore_missing_vars=True)
        init_fn(sess)
        np.testing.assert_array_equal(sess.run(b), np.full([3], -2.5))
        with pytest.raises(tf.errors.NotFoundError, match="extra"):
            slim.assign_from_checkpoint_fn(ckpt, slim.get_model_variables())(sess)
    assert slim.assign_from_checkpoint_fn(ckpt, [extra], ignore_missing_vars=True) is None
    with pytest.raises(ValueError, match="var_list cannot be empty"):
        slim.assign_from_checkpoint_fn(ckpt, [])


def test_assign_from_checkpoint_shape_mismatch(tmp_path):
    ckpt = _save_net(str(tmp_path / "model.ckpt"), 1.0)
    with tf.variable_scope("net"):
        w = slim.model_variable("weights", [3, 2])
    with pytest.raises(ValueError, match="Total size of new array must be unchanged for "
                                         "net/weights"):
        slim.assign_from_checkpoint(ckpt, [w])


def test_variable_device_chooser():
    chooser = slim.VariableDeviceChooser(2)
    assert [chooser(None) for _ in range(3)] == ["/job:ps/task:0/device:CPU:0",
                                                 "/job:ps/task:1/device:CPU:0",
                                                 "/job:ps/task:0/device:CPU:0"]
    assert slim.VariableDeviceChooser(device_type="GPU")(None) == "/device:GPU:0"
