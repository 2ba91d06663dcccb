"""`create_training_graph` / `create_eval_graph` (TF 1.15's
`contrib/quantize/python/quantize_graph.py`): fold batch norms, then insert fake quantization,
rewriting the graph in place."""

import tensorflux as tf
from tensorflux.contrib.quantize import fold_batch_norms, quantize

# Training ops: the rewrite must run before the optimizer builds its gradients.
_TRAINING_OPS = frozenset([
    "ApplyAdagrad", "ApplyAdagradDA", "ApplyAdam", "ApplyAddSign", "ApplyCenteredRMSProp",
    "ApplyFtrl", "ApplyFtrlV2", "ApplyGradientDescent", "ApplyMomentum", "ApplyPowerSign",
    "ApplyProximalAdagrad", "ApplyProximalGradientDescent", "ApplyRMSProp",
    "ResourceApplyAdadelta", "ResourceApplyAdagrad", "ResourceApplyAdagradDA",
    "ResourceApplyAdam", "ResourceApplyAddSign", "ResourceApplyCenteredRMSProp",
    "ResourceApplyFtrl", "ResourceApplyFtrlV2", "ResourceApplyGradientDescent",
    "ResourceApplyMomentum", "ResourceApplyPowerSign", "ResourceApplyProximalAdagrad",
    "ResourceApplyProximalGradientDescent", "ResourceApplyRMSProp", "ResourceSparseApplyAdadelta",
    "ResourceSparseApplyAdagrad", "ResourceSparseApplyAdagradDA",
    "ResourceSparseApplyCenteredRMSProp", "ResourceSparseApplyFtrl", "ResourceSparseApplyFtrlV2",
    "ResourceSparseApplyMomentum", "ResourceSparseApplyProximalAdagrad",
    "ResourceSparseApplyProximalGradientDescent", "ResourceSparseApplyRMSProp",
    "SparseApplyAdadelta", "SparseApplyAdagrad", "SparseApplyAdagradDA",
    "SparseApplyCenteredRMSProp", "SparseApplyFtrl", "SparseApplyFtrlV2", "SparseApplyMomentum",
    "SparseApplyProximalAdagrad", "SparseApplyProximalGradientDescent", "SparseApplyRMSProp",
])


def _check_for_training_ops(g):
    found = {op.type for op in g.get_operations()} & _TRAINING_OPS
    if found:
        raise ValueError("Training op found in graph, exiting %s" % found)


def _create_graph(input_graph=None, is_training=True, weight_bits=8, activation_bits=8,
                  symmetric=False, quant_delay=None, freeze_bn_delay=None, scope=None):
    if input_graph is None:
        input_graph = tf.get_default_graph()
    _check_for_training_ops(input_graph)
    with input_graph.as_default():
        fold_batch_norms.FoldBatchNorms(input_graph, is_training=is_training,
                                        freeze_batch_norm_delay=freeze_bn_delay)
        quantize.Quantize(input_graph, is_training, quant_delay=quant_delay,
                          weight_bits=weight_bits, activation_bits=activation_bits,
                          symmetric=symmetric, scope=scope)


def create_training_graph(input_graph=None, quant_delay=0):
    """Rewrites `input_graph` (default: the default graph) for quantization-aware training.

    Call it after building the model and loss, before the optimizer. Batch norms are folded
    into the weights; weights and activations get FakeQuant ops with learned ranges
    (`.../weights_quant/min`, `.../act_quant/max`, ...). Quantization starts after
    `quant_delay` steps of the `fake_quantization_step` counter.

    Example:
        >>> logits = model(images)
        >>> loss = tf.losses.softmax_cross_entropy(labels, logits)
        >>> tf.contrib.quantize.create_training_graph(quant_delay=2000000)
        >>> train_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    """
    _create_graph(input_graph=input_graph, is_training=True, quant_delay=quant_delay,
                  freeze_bn_delay=None)


def create_eval_graph(input_graph=None):
    """Rewrites `input_graph` for evaluation/export: the same ops as training, with the
    ranges read from their variables (restored from the training checkpoint)."""
    _create_graph(input_graph=input_graph, is_training=False)


def experimental_create_training_graph(input_graph=None, weight_bits=8, activation_bits=8,
                                       quant_delay=0, freeze_bn_delay=None, symmetric=False,
                                       scope=None):
    """`create_training_graph` with the bit widths, symmetric ranges, the step after which
    batch norms use their moving statistics (`freeze_bn_delay`) and a scope to restrict to."""
    _create_graph(input_graph=input_graph, is_training=True, weight_bits=weight_bits,
                  activation_bits=activation_bits, quant_delay=quant_delay,
                  freeze_bn_delay=freeze_bn_delay, symmetric=symmetric, scope=scope)


def experimental_create_eval_graph(input_graph=None, weight_bits=8, activation_bits=8,
                                   symmetric=False, quant_delay=None, scope=None):
    """`create_eval_graph` with the options of `experimental_create_training_graph`."""
    _create_graph(input_graph=input_graph, is_training=False, weight_bits=weight_bits,
                  activation_bits=activation_bits, symmetric=symmetric,
                  quant_delay=quant_delay, scope=scope)
