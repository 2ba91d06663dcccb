"""Fake-quantization layers with learned ranges (TF 1.15's `contrib/quantize/python/quant_ops.py`).

Each layer creates non-trainable variables `<scope>/min` and `<scope>/max` (scalars, or one per
channel) and fake-quantizes its input with them. In training the variables follow the batch's
range: `LastValueQuantize` assigns it (`AssignMinLast`/`AssignMaxLast`), `MovingAvgQuantize`
keeps an exponential moving average (`AssignMinEma`/`AssignMaxEma`, no zero-debiasing); the
range always contains 0. In evaluation the variables are only read.
"""

import tensorflux as tf
from tensorflux.graph.graph import GraphKeys
from tensorflux.train import moving_averages


def _ModelVariable(name, shape=None, initializer=None, collections=None,  # noqa: N802
                   trainable=None):
    collections = list(collections or [])
    collections += [tf.GraphKeys.GLOBAL_VARIABLES]
    return tf.get_variable(name, shape=shape, initializer=initializer,
                           collections=list(dict.fromkeys(collections)), trainable=trainable)


def FixedQuantize(inputs, init_min=-6.0, init_max=6.0, scope=None):  # noqa: N802
    """Fake-quantizes `inputs` to the fixed range [init_min, init_max]."""
    with tf.name_scope(scope, "FixedQuantize", values=[inputs]):
        return tf.fake_quant_with_min_max_args(inputs, min=init_min, max=init_max)


def _range_variables(inputs, per_channel, init_min, init_max, vars_collection):
    input_shape = inputs.get_shape()
    input_dim = input_shape.ndims
    if per_channel:
        # Only 1-, 2- and 4-dimensional tensors are quantized per channel.
        assert input_dim in [1, 2, 4], ("Expected 1D, 2D or 4D input, was: %s in  scope: %s"
                                        % (input_shape, tf.get_variable_scope().name))
        min_max_shape = [input_shape.dims[-1].value]
    else:
        min_max_shape = []
    collections = [vars_collection] if vars_collection else []
    min_var = _ModelVariable("min", shape=min_max_shape,
                             initializer=tf.constant_initializer(init_min),
                             collections=collections, trainable=False)
    max_var = _ModelVariable("max", shape=min_max_shape,
                             initializer=tf.constant_initializer(init_max),
                             collections=collections, trainable=False)
    return min_var, max_var


def _batch_range(inputs, per_channel, num_bits, narrow_range, symmetric):
    """The batch's (range_min, range_max), widened so that it contains 0."""
    input_dim = inputs.get_shape().ndims
    if per_channel and input_dim >= 2:
        axis = [0] if input_dim == 2 else [0, 1, 2]
        batch_min = tf.reduce_min(inputs, axis=axis, name="BatchMin")
        batch_max = tf.reduce_max(inputs, axis=axis, name="BatchMax")
    elif per_channel:
        batch_min = batch_max = inputs
    else:
        batch_min = tf.reduce_min(inputs, name="BatchMin")
        batch_max = tf.reduce_max(inputs, name="BatchMax")
    if symmetric:
        if narrow_range:
            min_max_ratio = -1
        else:
            # In two's complement the negative range is slightly larger than the positive.
            min_max_ratio = -((1 << num_bits) - 2) / (1 << num_bits)
        range_min = tf.minimum(batch_min, batch_max / min_max_ratio)
        range_max = tf.maximum(batch_max, batch_min * min_max_ratio)
    else:
        # TFLite requires that 0.0 is always in the [min; max] range.
        range_min = tf.minimum(batch_min, 0.0)
        range_max = tf.maximum(batch_max, 0.0)
    return range_min, range_max


def LastValueQuantize(inputs, per_channel=False, init_min=-6.0, init_max=6.0,  # noqa: N802
                      vars_collection=None, name_prefix="LastValueQuant", reuse=None,
                      is_training=True, num_bits=8, narrow_range=False, symmetric=False):
    """Fake-quantizes `inputs` with the range of the last batch seen (used for weights)."""
    with tf.variable_scope(None, default_name=name_prefix, values=[inputs], reuse=reuse):
        min_var, max_var = _range_variables(inputs, per_channel, init_min, init_max,
                                            vars_collection)
        if not is_training:
            return _FakeQuantWithMinMaxVars(inputs, min_var, max_var, per_channel, num_bits,
                                            narrow_range)
        range_min, range_max = _batch_range(inputs, per_channel, num_bits, narrow_range,
                                            symmetric)
        assign_min = tf.assign(min_var, range_min, name="AssignMinLast")
        assign_max = tf.assign(max_var, range_max, name="AssignMaxLast")
        return _FakeQuantWithMinMaxVars(inputs, assign_min, assign_max, per_channel, num_bits,
                                        narrow_range)


def MovingAvgQuantize(inputs, per_channel=False, init_min=-6.0, init_max=6.0,  # noqa: N802
                      ema_decay=0.999, vars_collection=GraphKeys.MOVING_AVERAGE_VARIABLES,
                      name_prefix="MovingAvgQuantize", reuse=None, is_training=True,
                      num_bits=8, narrow_range=False, symmetric=False):
    """Fake-quantizes `inputs` with an exponential moving average of the batch ranges (used
    for activations)."""
    with tf.variable_scope(None, default_name=name_prefix, values=[inputs], reuse=reuse):
        min_var, max_var = _range_variables(inputs, per_channel, init_min, init_max,
                                            vars_collection)
        if not is_training:
            return _FakeQuantWithMinMaxVars(inputs, min_var, max_var, per_channel, num_bits,
                                            narrow_range)
        range_min, range_max = _batch_range(inputs, per_channel, num_bits, narrow_range,
                                            symmetric)
        assign_min = moving_averages.assign_moving_average(
            min_var, range_min, ema_decay, zero_debias=False, name="AssignMinEma")
        assign_max = moving_averages.assign_moving_average(
            max_var, range_max, ema_decay, zero_debias=False, name="AssignMaxEma")
        return _FakeQuantWithMinMaxVars(inputs, assign_min, assign_max, per_channel, num_bits,
                                        narrow_range)


def _FakeQuantWithMinMaxVars(inputs, min_var, max_var, per_channel, num_bits,  # noqa: N802
                             narrow_range):
    """A FakeQuantWithMinMaxVars(PerChannel) op reading the range from `min_var`/`max_var`."""
    if per_channel:
        assert min_var.get_shape().ndims == 1 and max_var.get_shape().ndims == 1
        return tf.fake_quant_with_min_max_vars_per_channel(
            inputs, min_var, max_var, num_bits=num_bits, narrow_range=narrow_range)
    assert min_var.get_shape().ndims == 0 and max_var.get_shape().ndims == 0
    return tf.fake_quant_with_min_max_vars(inputs, min_var, max_var, num_bits=num_bits,
                                           narrow_range=narrow_range)
