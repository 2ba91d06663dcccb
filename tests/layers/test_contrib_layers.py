"""tf.contrib.layers / tf.contrib.slim against real TF-Slim: every case of contrib_cases.py must
give TF-Slim's variable names (`weights`/`biases`), model variables, output names, collections
and values (fixtures made by tools/fixtures/gen_layers.py)."""

import os
import sys

import pytest
from test_layers_vs_tf import compare

import tensorflux as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contrib_cases  # noqa: E402


def _run(name, run):
    return contrib_cases.run_case(tf, tf.contrib.slim, name, run)


@pytest.mark.parametrize("name", sorted(contrib_cases.CASES))
def test_case_matches_tf_slim(name):
    got, want = compare(name, _run)
    assert got["model_variables"] == want["model_variables"]
    assert got["regularization_losses"] == want["regularization_losses"]


def test_contrib_layers_and_slim_share_functions():
    assert tf.contrib.slim.conv2d is tf.contrib.layers.conv2d
    assert tf.contrib.slim.arg_scope is tf.contrib.layers.arg_scope
    assert tf.contrib.layers.conv2d is tf.contrib.layers.convolution2d


def test_arg_scope_rejects_undecorated_functions():
    with pytest.raises(ValueError, match="is not decorated with @add_arg_scope"):
        with tf.contrib.slim.arg_scope([len], x=1):
            pass


def test_arg_scope_reuse_of_a_scope_dict():
    slim = tf.contrib.slim
    with slim.arg_scope([slim.fully_connected], activation_fn=None) as sc:
        pass
    x = tf.placeholder(tf.float32, [2, 3])
    with slim.arg_scope(sc):
        y = slim.fully_connected(x, 4)
    assert y.op.type == "BiasAdd"
    with pytest.raises(ValueError, match="kwargs must be empty"):
        with slim.arg_scope(sc, padding="SAME"):
            pass


def test_regularizer_arguments():
    with pytest.raises(ValueError, match="scale cannot be an integer"):
        tf.contrib.layers.l2_regularizer(1)
    with pytest.raises(ValueError, match="less than 0"):
        tf.contrib.layers.l1_regularizer(-0.5)
    assert tf.contrib.layers.l2_regularizer(0.0)(tf.constant([1.0])) is None
    with pytest.raises(ValueError, match="No weights to regularize"):
        tf.contrib.layers.apply_regularization(tf.contrib.layers.l2_regularizer(0.1))


def test_fully_connected_rejects_a_non_integer_size():
    with pytest.raises(ValueError, match="num_outputs type should be"):
        tf.contrib.layers.fully_connected(tf.placeholder(tf.float32, [2, 3]), 4.0)


def test_conv2d_rejects_the_wrong_rank():
    with pytest.raises(ValueError, match="Convolution expects input with rank 4, got 3"):
        tf.contrib.layers.conv2d(tf.placeholder(tf.float32, [2, 3, 4]), 4, 3)
