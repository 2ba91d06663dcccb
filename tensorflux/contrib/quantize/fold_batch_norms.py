"""Folds batch norms into the weights of the layer before them (TF 1.15's
`contrib/quantize/python/fold_batch_norms.py`, fused batch norms).

For `FusedBatchNorm(V3)(conv(x, w))` the rewrite builds, next to the layer (scope `conv1/`):

    multiplier = gamma * rsqrt(variance + eps)            conv1/BatchNorm_Fold/mul
    bias       = beta - mean * multiplier                 conv1/BatchNorm_Fold/bias
    y = conv(x, w * multiplier) + bias                    conv1/mul_fold, Conv2D_Fold, add_fold

and reroutes the batch norm's consumers to `add_fold`, so that the weights a quantized model
will use (`mul_fold`) are what gets fake-quantized. In training the batch statistics are used,
with TF's correction: the weights are scaled with the moving variance
(`correction_mult`) and the layer output is rescaled to the batch statistics
(`post_conv_mul`), until `freeze_bn_delay` steps after which the moving statistics are used and
the moving averages stop updating. Unfused batch norms (`tf.nn.batch_normalization` chains) are
not folded.
"""

import tensorflux as tf
from tensorflux.contrib.quantize import common, graph_matcher
from tensorflux.gradients import RegisterGradient
from tensorflux.layers.utils import smart_cond


def FoldBatchNorms(graph, is_training, freeze_batch_norm_delay=None):  # noqa: N802
    """Folds every fused batch norm that follows a Conv2D, DepthwiseConv2dNative or MatMul."""
    _FoldFusedBatchNorms(graph, is_training, freeze_batch_norm_delay)


def _FoldFusedBatchNorms(graph, is_training, freeze_batch_norm_delay):  # noqa: N802
    for match in _FindFusedBatchNorms(graph):
        scope, sep, _ = match.layer_op.name.rpartition("/")
        # New ops go next to the layer; '_Fold' keeps their names apart from the layer's.
        with graph.as_default(), graph.name_scope(scope + sep):
            with graph.name_scope(scope + sep + "BatchNorm_Fold" + sep):
                multiplier_tensor = match.gamma_tensor * tf.rsqrt(
                    match.variance_tensor + match.batch_epsilon)
                bias_tensor = tf.subtract(match.beta_tensor,
                                          match.mean_tensor * multiplier_tensor, name="bias")
                correction_scale = correction_recip = correction_offset = None
                if is_training:
                    correction_scale, correction_recip, correction_offset = (
                        _ComputeBatchNormCorrections("", match, freeze_batch_norm_delay))
                weights = match.weight_tensor
                if match.layer_op.type == "DepthwiseConv2dNative":
                    new_shape = weights.get_shape().as_list()[2:4]
                    multiplier_tensor = tf.reshape(multiplier_tensor, new_shape,
                                                   name="scale_reshape")
                    if correction_scale is not None:
                        correction_scale = tf.reshape(correction_scale, new_shape,
                                                      name="correction_reshape")
            if correction_scale is not None:
                weights = tf.multiply(correction_scale, weights, name="correction_mult")
            scaled_weight_tensor = tf.multiply(weights, multiplier_tensor, name="mul_fold")
            new_layer_tensor = _CloneWithNewOperands(match.layer_op, match.input_tensor,
                                                     scaled_weight_tensor,
                                                     match.batch_to_space_op)
            if correction_recip is not None:
                new_layer_tensor = tf.multiply(correction_recip, new_layer_tensor,
                                               name="post_conv_mul")
                new_layer_tensor = tf.add(new_layer_tensor, correction_offset,
                                          name="correction_add")
            # (A MatMul's batch norm ran on its output reshaped to [N, 1, 1, C]; the folded
            # MatMul gives [N, C] directly, the shape of the Reshape back it replaces.)
            bias_add_tensor = tf.add(new_layer_tensor, bias_tensor, name="add_fold")
            if common.RerouteTensor(bias_add_tensor, match.output_tensor) == 0:
                raise ValueError("Folding batch norms failed, %s had no outputs."
                                 % match.output_tensor.name)


def _str_attr(op, name):
    value = op.get_attr(name)
    return value.decode() if isinstance(value, bytes) else value


def _CloneWithNewOperands(layer_op, input_tensor, weight_tensor,  # noqa: N802
                          batch_to_space_op=None):
    """A copy of the layer op named `<name>_Fold`, reading `weight_tensor` (and a copy of the
    BatchToSpaceND that ends an atrous depthwise convolution)."""
    new_layer_name = layer_op.name.split("/")[-1] + "_Fold"
    if layer_op.type == "Conv2D":
        return tf.nn.conv2d(input_tensor, weight_tensor,
                            strides=layer_op.get_attr("strides"),
                            padding=_str_attr(layer_op, "padding"),
                            data_format=_str_attr(layer_op, "data_format"),
                            dilations=layer_op.get_attr("dilations"), name=new_layer_name)
    if layer_op.type == "MatMul":
        return tf.matmul(input_tensor, weight_tensor,
                         transpose_a=layer_op.get_attr("transpose_a"),
                         transpose_b=layer_op.get_attr("transpose_b"), name=new_layer_name)
    if layer_op.type == "DepthwiseConv2dNative":
        conv = tf.nn.depthwise_conv2d_native(
            input_tensor, weight_tensor, strides=layer_op.get_attr("strides"),
            padding=_str_attr(layer_op, "padding"),
            data_format=_str_attr(layer_op, "data_format"),
            dilations=layer_op.get_attr("dilations"), name=new_layer_name)
        if batch_to_space_op is not None:
            conv = tf.batch_to_space_nd(
                conv, batch_to_space_op.inputs[1], batch_to_space_op.inputs[2],
                name=batch_to_space_op.name.split("/")[-1] + "_Fold")
        return conv
    raise ValueError("Cannot handle operation of type: %s" % layer_op.type)


class _BatchNormMatch:
    """What the fold needs to know about one layer + batch norm."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


def _FindFusedBatchNorms(graph):  # noqa: N802
    """Yields a _BatchNormMatch for every fused batch norm that follows a foldable layer."""
    input_pattern = graph_matcher.OpTypePattern("*")
    weight_pattern = graph_matcher.OpTypePattern("*")
    gamma_pattern = graph_matcher.OpTypePattern("*")
    beta_pattern = graph_matcher.OpTypePattern("*")
    mean_pattern = graph_matcher.OpTypePattern("*")
    variance_pattern = graph_matcher.OpTypePattern("*")
    moving_average_pattern = graph_matcher.OpTypePattern("*")
    bn_decay_pattern = graph_matcher.OpTypePattern("*")
    layer_pattern = graph_matcher.OpTypePattern("Conv2D|DepthwiseConv2dNative|MatMul",
                                                inputs=[input_pattern, weight_pattern])
    # Atrous convolutions end in a BatchToSpaceND.
    batch_to_space_pattern = graph_matcher.OpTypePattern(
        "BatchToSpaceND", inputs=[layer_pattern, graph_matcher.OpTypePattern("*"),
                                  graph_matcher.OpTypePattern("*")])
    layer_output_pattern = graph_matcher.OneofPattern([layer_pattern, batch_to_space_pattern])
    # A MatMul's output is reshaped to [N, 1, 1, C] for the fused batch norm, and back.
    matmul_reshape_pattern = graph_matcher.OpTypePattern(
        "Reshape", inputs=[layer_output_pattern, graph_matcher.OpTypePattern("*")])
    batch_norm_pattern = graph_matcher.OpTypePattern(
        "FusedBatchNorm|FusedBatchNormV3",
        inputs=[graph_matcher.OneofPattern([matmul_reshape_pattern, layer_output_pattern]),
                gamma_pattern, beta_pattern, mean_pattern, variance_pattern])
    matmul_bn_output_reshape_pattern = graph_matcher.OpTypePattern(
        "Reshape", inputs=[batch_norm_pattern, graph_matcher.OpTypePattern("*")])
    bn_matcher = graph_matcher.GraphMatcher(
        graph_matcher.OneofPattern([matmul_bn_output_reshape_pattern, batch_norm_pattern]))
    moving_average_sub_pattern = graph_matcher.OpTypePattern(
        "Sub", inputs=[moving_average_pattern, batch_norm_pattern])
    moving_average_mul_pattern = graph_matcher.OpTypePattern(
        "Mul", inputs=[moving_average_sub_pattern, bn_decay_pattern])
    moving_avg_mul_matcher = graph_matcher.GraphMatcher(moving_average_mul_pattern)

    matched = set()
    for result in list(bn_matcher.match_graph(graph)):
        layer_op = result.get_op(layer_pattern)
        layer_tensor = result.get_tensor(layer_pattern)
        bn_op = result.get_op(batch_norm_pattern)
        if bn_op in matched:
            continue
        output_tensor = bn_op.outputs[0]
        if layer_op.type == "MatMul":
            output_reshape_op = result.get_op(matmul_bn_output_reshape_pattern)
            if output_reshape_op is None:  # matched again later with the output Reshape
                continue
            output_tensor = output_reshape_op.outputs[0]
        if not output_tensor.consumers():  # dangling: nothing to fold into
            continue
        matched.add(bn_op)
        moving_mean_tensor = moving_variance_tensor = None
        bn_decay_mean_tensor = bn_decay_var_tensor = None
        if bn_op.get_attr("is_training"):
            # FusedBatchNormGrad ignores the gradients of the batch mean and variance
            # outputs, which the folded graph uses: substitute TF's own rule.
            bn_op._attrs["_gradient_op_type"] = "FoldFusedBatchNormGrad"
            mean_tensor = bn_op.outputs[1]
            # The batch variance output has Bessel's correction (for the moving average);
            # the normalization used the biased one, so undo it.
            bn_scope, sep, _ = bn_op.name.rpartition("/")
            with graph.as_default(), graph.name_scope(bn_scope + sep):
                n = tf.cast(tf.size(layer_tensor) / tf.size(mean_tensor), tf.float32)
                variance_tensor = tf.multiply(bn_op.outputs[2], (n - 1) / n,
                                              name="Undo_Bessel_Correction")
            for mul_result in moving_avg_mul_matcher.match_graph(graph):
                sub_op = mul_result.get_op(moving_average_sub_pattern)
                if sub_op.inputs[1] is bn_op.outputs[1]:
                    moving_mean_tensor = sub_op.inputs[0]
                    bn_decay_mean_tensor = mul_result.get_tensor(bn_decay_pattern)
                if sub_op.inputs[1] is bn_op.outputs[2]:
                    moving_variance_tensor = sub_op.inputs[0]
                    bn_decay_var_tensor = mul_result.get_tensor(bn_decay_pattern)
        else:
            mean_tensor = result.get_tensor(mean_pattern)
            variance_tensor = result.get_tensor(variance_pattern)
        yield _BatchNormMatch(
            layer_op=layer_op, bn_op=bn_op, output_tensor=output_tensor,
            input_tensor=result.get_tensor(input_pattern),
            weight_tensor=result.get_tensor(weight_pattern),
            gamma_tensor=result.get_tensor(gamma_pattern),
            beta_tensor=result.get_tensor(beta_pattern), mean_tensor=mean_tensor,
            variance_tensor=variance_tensor, moving_mean_tensor=moving_mean_tensor,
            moving_variance_tensor=moving_variance_tensor,
            bn_decay_mean_tensor=bn_decay_mean_tensor, bn_decay_var_tensor=bn_decay_var_tensor,
            batch_epsilon=bn_op.get_attr("epsilon"),
            batch_to_space_op=result.get_op(batch_to_space_pattern))


def _ComputeBatchNormCorrections(context, match, freeze_batch_norm_delay):  # noqa: N802
    """(correction_scale, correction_recip, correction_offset) of the training-mode fold.

    correction_scale = sigma_batch / sigma_moving scales the folded weights to the moving
    statistics; until `freeze_batch_norm_delay` the layer output is scaled back by its
    reciprocal (batch statistics), afterwards the moving statistics are used (recip 1, offset
    `gamma * (mean_b / sigma_b - mean_mv / sigma_mv)`) and the moving averages stop updating.
    """
    if match.moving_mean_tensor is None or match.moving_variance_tensor is None:
        raise ValueError("Cannot fold %s in training mode: its moving-average updates were not "
                         "found" % match.bn_op.name)
    g = tf.get_default_graph()
    prefix = "" if not context else context + "/"
    with g.name_scope(prefix + "batch_norm_correction"):
        recip_sigma_mv = tf.rsqrt(match.moving_variance_tensor + match.batch_epsilon)
        recip_sigma = tf.rsqrt(match.variance_tensor + match.batch_epsilon)
        correction_scale = tf.divide(recip_sigma_mv, recip_sigma, name="scale_compute")
        correction_scale = tf.identity(correction_scale, name="correction_scale")
        correction_recip = tf.reciprocal(correction_scale, name="reciprocal_compute")
        correction_offset = tf.multiply(
            match.gamma_tensor,
            match.mean_tensor * recip_sigma - match.moving_mean_tensor * recip_sigma_mv,
            name="offset_compute")
        if freeze_batch_norm_delay is not None:
            use_mv_avg = tf.greater_equal(common.CreateOrGetQuantizationStep(),
                                          freeze_batch_norm_delay, name="use_moving_average")
        else:
            use_mv_avg = False
        for decay in (match.bn_decay_mean_tensor, match.bn_decay_var_tensor):
            consumers = list(decay.consumers())
            frozen = smart_cond(use_mv_avg, lambda d=decay: tf.zeros_like(d), lambda d=decay: d,
                                name="freeze_moving_mean" if decay is match.bn_decay_mean_tensor
                                else "freeze_moving_var")
            if frozen is not decay:
                common.RerouteTensor(frozen, decay, can_modify=consumers)
        correction_recip = smart_cond(use_mv_avg, lambda: tf.ones(correction_scale.shape),
                                      lambda: correction_recip, name="correction_recip")
        correction_offset = smart_cond(use_mv_avg, lambda: correction_offset,
                                       lambda: tf.zeros(correction_offset.shape),
                                       name="correction_offset")
    return correction_scale, correction_recip, correction_offset


@RegisterGradient("FoldFusedBatchNormGrad")
def _FoldFusedBatchNormGrad(op, unused_grad_y, grad_mean, grad_var, *unused):  # noqa: N802
    """The gradient of a folded batch norm's batch mean and (Bessel-corrected) variance."""
    x = op.inputs[0]
    n = tf.cast(tf.size(x) / tf.size(grad_mean), tf.float32)
    dmean_dx = grad_mean / n
    dvar_dx = 2 * grad_var * (x - op.outputs[1]) / (n - 1)
    return [dmean_dx + dvar_dx, None, None, None, None]
