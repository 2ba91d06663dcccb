"""Inserts fake-quantization ops into a graph (TF 1.15's `contrib/quantize/python/quantize.py`).

Matched layers are Conv2D, MatMul and DepthwiseConv2dNative ops whose weights are a variable's
`read` Identity or a folded-batch-norm `mul_fold`, followed by a bias add (or the folded
`add_fold`), an optional residual Add (bypass) and an activation (Relu, Relu6, Identity). For
each layer, in the layer's scope (`conv1/` for `conv1/Conv2D`):

- `weights_quant/`: the weights, last-value range, narrow range (`weights_quant/min`, `/max`);
- `act_quant/`: the activation output, EMA range initialised to [0, 6];
- with a bypass, `conv_quant/` before it and `add_quant/` after it (unless an activation
  follows); `post_activation_bypass_quant/` for an Add after the activation.

A layer without an activation quantizes its bias-add output (`act_quant/`). With `quant_delay`,
`<scope>/<name>/delayed_quant` passes the float tensor until the `fake_quantization_step`
counter reaches it.
"""

import re

import tensorflux as tf
from tensorflux.contrib.quantize import common, graph_matcher, quant_ops

_QUANTIZABLE_TYPES = {"Conv2D", "MatMul", "DepthwiseConv2dNative"}
_ACTIVATION_TYPES = {"Relu", "Relu6", "Identity"}
_RELU_TYPES = {"Relu", "Relu6"}


def Quantize(graph, is_training, weight_bits=8, activation_bits=8, symmetric=False,  # noqa: N802
             ema_decay=0.999, quant_delay=None, vars_collection=None, scope=None):
    """Rewrites `graph` in place with fake-quantization ops (see the module docstring).

    Args:
        graph: the tf.Graph to rewrite.
        is_training: training graph (ranges are learned) or eval graph (ranges are read).
        weight_bits, activation_bits: bits of the weight and activation quantization.
        symmetric: symmetric ranges instead of asymmetric ones.
        ema_decay: decay of the activations' moving-average ranges.
        quant_delay: number of steps before quantization starts (None or 0: from the start).
        vars_collection: collection for the min/max variables (default: global variables).
        scope: only quantize layers under this scope.
    """
    vars_collection = vars_collection or tf.GraphKeys.GLOBAL_VARIABLES
    if scope and not scope.endswith("/"):
        scope += "/"
    input_to_ops_map = common.InputToOps(graph)
    common_kw = dict(is_training=is_training, ema_decay=ema_decay, quant_delay=quant_delay,
                     vars_collection=vars_collection, symmetric=symmetric)
    for layer_match in _FindLayersToQuantize(graph):
        context = _GetContextFromOp(layer_match.layer_op)
        if layer_match.weight_tensor is not None:
            _InsertQuantOp(context, "weights_quant", layer_match.weight_tensor.op,
                           input_to_ops_map.ConsumerOperations(layer_match.weight_tensor.op),
                           moving_avg=False, narrow_range=True, bits=weight_bits,
                           consumer_scope=scope, **common_kw)
        add_context = context
        if layer_match.bypass_op is not None:
            add_context = _Parent(context)
        if layer_match.activation_op is not None:
            _InsertQuantOp(add_context, "act_quant", layer_match.activation_op,
                           input_to_ops_map.ConsumerOperations(layer_match.activation_op),
                           moving_avg=True, init_min=0.0, bits=activation_bits,
                           producer_scope=scope, **common_kw)
        if layer_match.bypass_op is not None:
            _InsertQuantOp(context, "conv_quant", layer_match.bias_add_op,
                           input_to_ops_map.ConsumerOperations(layer_match.bias_add_op),
                           moving_avg=True, bits=activation_bits, producer_scope=scope,
                           consumer_scope=scope, **common_kw)
            # An activation after the Add is fused into it at inference: quantize after that.
            consumers = input_to_ops_map.ConsumerOperations(layer_match.bypass_op)
            if not any(c.type in _ACTIVATION_TYPES for c in consumers):
                _InsertQuantOp(add_context, "add_quant", layer_match.bypass_op, consumers,
                               moving_avg=True, bits=activation_bits, producer_scope=scope,
                               consumer_scope=scope, **common_kw)
        if layer_match.post_activation_bypass_op is not None:
            bypass = layer_match.post_activation_bypass_op
            consumers = input_to_ops_map.ConsumerOperations(bypass)
            if not any(c.type in _RELU_TYPES for c in consumers):
                _InsertQuantOp(_Parent(bypass.name), "post_activation_bypass_quant", bypass,
                               consumers, moving_avg=True, bits=activation_bits,
                               producer_scope=scope, **common_kw)


def _Parent(name):  # noqa: N802
    m = re.search(r"^(.*)/([^/]+)", name)
    return m.group(1) if m else ""


class _LayerMatch:
    """One matched layer: its op, weights and the ops after it."""

    def __init__(self, layer_op, weight_tensor, activation_op, bypass_op,
                 post_activation_bypass_op, bias_add_op):
        self.layer_op = layer_op
        self.weight_tensor = weight_tensor
        self.activation_op = activation_op
        self.bypass_op = bypass_op
        self.post_activation_bypass_op = post_activation_bypass_op
        self.bias_add_op = bias_add_op


def _FindLayersToQuantize(graph):  # noqa: N802
    """The layers to quantize, largest matches first, each layer op once."""
    p = graph_matcher.OpTypePattern
    oneof = graph_matcher.OneofPattern
    input_pattern = p("*")
    weight_var_pattern = p("Variable|VariableV2|VarHandleOp")
    # Partitioned variables are read through an Identity, or a ConcatV2 of their parts.
    weight_partition_identity_pattern = p("Identity", inputs=[weight_var_pattern])
    weight_partition_concat_pattern = p("ConcatV2",
                                        inputs=[weight_partition_identity_pattern, "*", "*"])
    weight_identity_pattern = p("Identity", inputs=[oneof([
        weight_partition_identity_pattern, weight_partition_concat_pattern,
        weight_var_pattern])])
    weight_resource_var_pattern = p("ReadVariableOp")
    folded_weight_pattern = p("Mul")
    layer_pattern = p("|".join(sorted(_QUANTIZABLE_TYPES)), inputs=[
        input_pattern,
        oneof([weight_identity_pattern, weight_resource_var_pattern, folded_weight_pattern])],
        ordered_inputs=False)
    # Atrous convolutions end in a BatchToSpaceND.
    batch_to_space_pattern = p("BatchToSpaceND", inputs=[layer_pattern, p("*"), p("*")])
    layer_output_pattern = oneof([batch_to_space_pattern, layer_pattern])
    # Separable convolutions: a conv feeding a conv, with no activation between them.
    sep_conv_pattern = p("|".join(sorted(_QUANTIZABLE_TYPES)),
                         inputs=[oneof([layer_output_pattern]), p("*")], ordered_inputs=False)
    # The folded batch norm in training: post_conv_mul, correction_add, add_fold.
    folded_bias_mul_pattern = p("Mul", inputs=[p("*"), layer_output_pattern],
                                ordered_inputs=False)
    post_layer_op_correction_pattern = p("Add|AddV2", inputs=[folded_bias_mul_pattern, p("*")],
                                         ordered_inputs=False)
    folded_bias_add_pattern = p("Add|AddV2", inputs=[post_layer_op_correction_pattern, p("*")],
                                ordered_inputs=False)
    # Batch norms with forced updates end in an Identity.
    batch_norm_identity = p("Identity", inputs=[folded_bias_add_pattern])
    bias_add_pattern = p("Add|BiasAdd|AddV2", inputs=[layer_output_pattern, "*"],
                         ordered_inputs=False)
    bypass_pattern = p("Add|AddV2", inputs=[
        oneof([bias_add_pattern, folded_bias_add_pattern, batch_norm_identity]), "*"],
        ordered_inputs=False)
    activation_pattern = p("|".join(sorted(_ACTIVATION_TYPES)), inputs=[oneof([
        bias_add_pattern, folded_bias_add_pattern, batch_norm_identity, bypass_pattern,
        layer_pattern])])
    post_activation_bypass_pattern = p("Add|AddV2", inputs=["*", activation_pattern],
                                       ordered_inputs=False)

    def weights(result):
        for pattern in (weight_identity_pattern, weight_resource_var_pattern,
                        folded_weight_pattern):
            t = result.get_tensor(pattern)
            if t is not None:
                return t
        return None

    def bias_add(result):
        op = result.get_op(bias_add_pattern)
        return op if op is not None else result.get_op(folded_bias_add_pattern)

    matches = []
    seen = set()

    def add(match):
        if match.layer_op not in seen:
            seen.add(match.layer_op)
            matches.append(match)

    # Largest matches first: with a post-activation bypass, then up to an activation.
    for pattern, with_post in ((post_activation_bypass_pattern, True),
                               (activation_pattern, False)):
        for result in graph_matcher.GraphMatcher(pattern).match_graph(graph):
            add(_LayerMatch(result.get_op(layer_pattern), weights(result),
                            result.get_op(activation_pattern), result.get_op(bypass_pattern),
                            result.get_op(post_activation_bypass_pattern) if with_post
                            else None, bias_add(result)))
    # Final layers without an activation: the bias-add output is what gets quantized.
    final_pattern = oneof([bias_add_pattern, folded_bias_add_pattern])
    for result in graph_matcher.GraphMatcher(final_pattern).match_graph(graph):
        add(_LayerMatch(result.get_op(layer_pattern), weights(result), bias_add(result), None,
                        None, None))
    for result in graph_matcher.GraphMatcher(sep_conv_pattern).match_graph(graph):
        op = result.get_op(layer_pattern)
        add(_LayerMatch(op, result.get_tensor(weight_identity_pattern), op, None, None, None))
    return matches


def _InsertQuantOp(context, name, producer, consumers, is_training, moving_avg=True,  # noqa: N802
                   init_min=-6.0, init_max=6.0, bits=8, symmetric=False, ema_decay=0.999,
                   quant_delay=None, vars_collection=None, narrow_range=False,
                   producer_scope=None, consumer_scope=None):
    """Inserts a fake-quant op (named `<context>/<name>/...`) between `producer`'s first output
    and `consumers`."""
    if producer_scope and not producer.name.startswith(producer_scope):
        return
    if consumer_scope and any(not c.name.startswith(consumer_scope) for c in consumers):
        return
    name_prefix = context + "/" + name if context else name
    name_scope = tf.get_default_graph().get_name_scope()
    if name_scope and name_prefix.startswith(name_scope + "/"):
        name_prefix = name_prefix[len(name_scope) + 1:]
    inputs = producer.outputs[0]
    # Bypass ops can be matched twice: never quantize a tensor twice.
    if common.FollowedByFakeQuant(inputs):
        return
    layer = quant_ops.MovingAvgQuantize if moving_avg else quant_ops.LastValueQuantize
    kw = dict(init_min=init_min, init_max=init_max, is_training=is_training, num_bits=bits,
              symmetric=symmetric, narrow_range=narrow_range, vars_collection=vars_collection,
              name_prefix=name_prefix)
    if moving_avg:
        kw["ema_decay"] = ema_decay
    quant = layer(inputs, **kw)
    if quant_delay and quant_delay > 0:
        activate_quant = tf.greater_equal(common.CreateOrGetQuantizationStep(), quant_delay,
                                          name=name_prefix + "/activate_quant")
        quant = tf.cond(activate_quant, lambda: quant, lambda: inputs,
                        name=name_prefix + "/delayed_quant")
    if consumers:
        modified = common.RerouteTensor(quant, inputs, can_modify=consumers)
        if modified < len(consumers):
            raise ValueError("No inputs quantized for ops: [%s]"
                             % ", ".join(sorted(c.name for c in consumers)))


def _GetContextFromOp(op):  # noqa: N802
    """The scope of `op` (`conv1` for `conv1/Conv2D`)."""
    return _Parent(op.name)
