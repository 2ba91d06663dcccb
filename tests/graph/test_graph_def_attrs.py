"""The GraphDefs tensorflux exports carry what TensorFlow's importer checks: every attr an op's
OpDef requires (no default), and type attrs that agree with the inputs' dtypes. The OpDefs
come from TensorFlow 2.21 (tests/fixtures/op_defs, tools/fixtures/gen_op_attrs.py)."""

import json
import os

import pytest

import tensorflux as tf
from tensorflux.models.inception_v3 import inception_v3
from tensorflux.models.mobilenet_v1 import mobilenet_v1
from tensorflux.models.resnet_v1 import resnet_v1_50

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "op_defs",
                       "required_attrs.json")
with open(FIXTURE) as f:
    DATA = json.load(f)
REQUIRED, ARGS = DATA["required_attrs"], DATA["input_args"]
# tensorflux builds tf.cond / tf.while_loop as functional ops whose branches and bodies are
# not exported as a function library yet, with its own gradient ops (IfGrad, WhileGrad).
CONTROL_FLOW = {"If", "StatelessIf", "While", "StatelessWhile", "IfGrad", "WhileGrad"}


def _problems(g):
    """What TF's importer would reject in `g`'s GraphDef, as sorted strings."""
    gd = tf.GraphDef()
    gd.ParseFromString(g.as_graph_def().SerializeToString())
    ops = {op.name: op for op in g.get_operations()}
    out = set()
    for node in gd.node:
        if node.op in CONTROL_FLOW:
            continue
        if node.op not in REQUIRED:
            out.add("%s: not a TensorFlow op" % node.op)
            continue
        out.update("%s: no attr %s" % (node.op, a) for a in REQUIRED[node.op]
                   if a not in node.attr)
        inputs = ops[node.name].inputs
        k = 0
        for type_attr, number_attr, list_attr in ARGS[node.op]:
            if number_attr:
                count = node.attr[number_attr].i
            elif list_attr:
                count = len(node.attr[list_attr].list.type)
            else:
                count = 1
            for t in inputs[k:k + count]:
                if type_attr in node.attr and \
                        node.attr[type_attr].type != t.dtype.base_dtype.as_datatype_enum:
                    out.add("%s: %s is not its input's %s" % (node.op, type_attr,
                                                              t.dtype.base_dtype.name))
            k += count
        if k != len(inputs):
            out.add("%s: %d inputs for %d in its OpDef" % (node.op, len(inputs), k))
    return sorted(out)


def _deck_cnn():
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    y = tf.placeholder(tf.int64, [None])
    h = tf.layers.conv2d(x, 32, 5, padding="same", activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.conv2d(h, 64, 5, padding="same", activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.dense(tf.layers.flatten(h), 1024, activation=tf.nn.relu)
    h = tf.layers.dropout(h, 0.4, training=True)
    logits = tf.layers.dense(h, 10)
    loss = tf.losses.softmax_cross_entropy(tf.one_hot(tf.cast(y, tf.int32), 10), logits)
    tf.train.AdamOptimizer(1e-3).minimize(loss, global_step=tf.train.get_or_create_global_step())
    tf.summary.scalar("loss", loss)
    tf.summary.merge_all()
    tf.train.Saver()


def _batch_norm_and_transpose():
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    h = tf.layers.conv2d(x, 4, 3, padding="same")
    h = tf.layers.batch_normalization(h, training=True)
    h = tf.layers.average_pooling2d(tf.nn.relu6(h), 2, 2)
    h = tf.layers.conv2d_transpose(h, 2, 3, strides=2)
    h = tf.layers.dense(tf.reshape(h, [-1, 8 * 8 * 2]), 5)
    loss = tf.losses.sparse_softmax_cross_entropy(tf.zeros([tf.shape(h)[0]], tf.int32), h)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)


def _slim_nets():
    images = tf.placeholder(tf.float32, [2, 224, 224, 3])
    resnet_v1_50(images, 10, is_training=True)
    mobilenet_v1(images, 10, is_training=False)
    inception_v3(tf.placeholder(tf.float32, [1, 299, 299, 3]), 10)


@pytest.mark.parametrize("build", [_deck_cnn, _batch_norm_and_transpose, _slim_nets],
                         ids=["deck_cnn_adam", "batch_norm_transpose_momentum", "slim_nets"])
def test_exported_graphs_are_what_tf_imports(build):
    with tf.Graph().as_default() as g:
        build()
    assert _problems(g) == []


def test_the_check_sees_a_missing_attr():
    with tf.Graph().as_default() as g:
        x = tf.placeholder(tf.float32, [2])
        tf.add_n([x, x])
    g.get_operations()[-1]._attrs["N"] = None  # exported without N
    assert _problems(g) == ["AddN: 2 inputs for 0 in its OpDef", "AddN: no attr N"]
