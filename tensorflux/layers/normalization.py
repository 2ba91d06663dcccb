"""`BatchNormalization` and `batch_normalization`, with TF 1.x semantics.

Training (a Python bool or a bool tensor) normalizes with the batch's moments; inference with
the moving statistics. The moving statistics are updated by ops the layer puts in
`tf.GraphKeys.UPDATE_OPS`:  `moving -= (moving - batch_value) * (1 - momentum)`. When
`training` is a tensor, the momentum used by those ops is `momentum` when it is true and 1
when it is false, so running them in inference leaves the statistics exactly unchanged.

As in TF, 4-D and 5-D inputs normalized over axis 1 or the last axis use the fused kernel
(`tf.nn.fused_batch_norm`, whose batch variance for the moving average has Bessel's
correction); other inputs use `tf.nn.moments` and `tf.nn.batch_normalization`.
"""

from tensorflux import nn
from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.layers import base, utils
from tensorflux.ops import (
    array_ops,
    constant_op,
    init_ops,
    math_ops,
    reduction_ops,
    state_ops,
)
from tensorflux.variables import VariableAggregation, VariableSynchronization


def assign_moving_average(variable, value, momentum, training=True):
    """`variable -= (variable - value) * (1 - momentum)`, in name scope AssignMovingAvg.

    `momentum` is a Python number (the decay is then a constant, as in TF's non-fused path)
    or a tensor (the decay is computed in the graph, as in TF's fused path). When `training`
    is a tensor, the decay is zeroed when it is false, so the variable keeps its value exactly.
    """
    with graph_lib.name_scope("AssignMovingAvg") as scope:
        with graph_lib.colocate_with(variable):
            decay = constant_op.convert_to_tensor(1.0 - momentum, name="decay")
            if decay.dtype != variable.dtype.base_dtype:
                decay = math_ops.cast(decay, variable.dtype.base_dtype)
            if utils.constant_value(training) is None:
                decay = utils.smart_cond(training, lambda: decay,
                                         lambda: array_ops.zeros_like(decay))
            delta = math_ops.multiply(
                math_ops.subtract(variable, math_ops.cast(value, variable.dtype.base_dtype)),
                decay)
            return state_ops.assign_sub(variable, delta, name=scope)


class BatchNormalization(base.Layer):
    """Batch normalization layer (Ioffe & Szegedy, 2015), TF 1.x `tf.layers` flavour.

    Variables: `gamma`, `beta` (trainable), `moving_mean`, `moving_variance` (not trainable;
    plus `renorm_mean`, `renorm_stddev`, `moving_stddev` with `renorm=True`).

    Example:
        >>> bn = tf.layers.BatchNormalization(momentum=0.9)
        >>> y = bn(x, training=is_training)
        >>> update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)   # run with the train op
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=init_ops.zeros_initializer(),
                 gamma_initializer=init_ops.ones_initializer(),
                 moving_mean_initializer=init_ops.zeros_initializer(),
                 moving_variance_initializer=init_ops.ones_initializer(),
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, fused=None, trainable=True, virtual_batch_size=None,
                 adjustment=None, name=None, **kwargs):
        super().__init__(name=name, trainable=trainable, **kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError("Expected an int or a list/tuple of ints for the argument 'axis', "
                            "but received: %r" % (axis,))
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = beta_initializer
        self.gamma_initializer = gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer = beta_regularizer
        self.gamma_regularizer = gamma_regularizer
        self.beta_constraint = beta_constraint
        self.gamma_constraint = gamma_constraint
        self.renorm = renorm
        self.virtual_batch_size = virtual_batch_size
        self.adjustment = adjustment
        self.fused = True if fused is None else fused
        self.supports_masking = True
        if renorm:
            renorm_clipping = renorm_clipping or {}
            keys = ["rmax", "rmin", "dmax"]
            if set(renorm_clipping) - set(keys):
                raise ValueError("Received invalid keys for `renorm_clipping` argument: %s. "
                                 "Supported values: %s." % (renorm_clipping, keys))
            self.renorm_clipping = renorm_clipping
            self.renorm_momentum = renorm_momentum

    def _fused_can_be_used(self):
        axis = [self.axis] if isinstance(self.axis, int) else self.axis
        return (not self.renorm and len(axis) == 1 and axis[0] in (-4, -3, -1, 1, 3, 4)
                and self.virtual_batch_size is None and self.adjustment is None
                and (self.dtype or "float32") in ("float16", "bfloat16", "float32"))

    @property
    def _param_dtype(self):
        if self.dtype in ("float16", "bfloat16"):
            return dtypes.float32
        return dtypes.as_dtype(self.dtype or dtypes.float32)

    def _validate_axis(self, input_shape):
        rank = input_shape.ndims
        if rank is None:
            raise ValueError("Input has undefined rank. Received: input_shape=%s." % input_shape)
        axis = [self.axis] if isinstance(self.axis, int) else list(self.axis)
        for i, x in enumerate(axis):
            if x < 0:
                axis[i] = rank + x
        for x in axis:
            if x < 0 or x >= rank:
                raise ValueError("Invalid value for `axis` argument. Expected 0 <= axis < "
                                 "inputs.rank (with inputs.rank=%d). Received: axis=%s"
                                 % (rank, tuple(axis)))
        if len(axis) != len(set(axis)):
            raise ValueError("Duplicate axis: %s" % (axis,))
        return axis

    def build(self, input_shape):
        input_shape = tensor_shape.as_shape(input_shape)
        self.axis = self._validate_axis(input_shape)
        rank = input_shape.ndims
        if self.virtual_batch_size is not None:
            if self.virtual_batch_size <= 0:
                raise ValueError("`virtual_batch_size` must be a positive integer that divides "
                                 "the true batch size of the input tensor. Received: "
                                 "virtual_batch_size=%s" % self.virtual_batch_size)
            if 0 in self.axis:
                raise ValueError("When using `virtual_batch_size`, the batch dimension must be "
                                 "0 and thus axis cannot include 0. Received axis=%s"
                                 % (self.axis,))
            if self.adjustment is not None:
                raise ValueError("When using `virtual_batch_size`, adjustment cannot be "
                                 "specified")
        if self.fused in (None, True):
            self.fused = rank in (4, 5) and self._fused_can_be_used()
        if self.fused:
            formats = {(1, 4): "NCHW", (1, 5): "NCDHW", (3, 4): "NHWC", (4, 5): "NDHWC"}
            key = (self.axis[0], rank)
            if key in formats:
                self._data_format = formats[key]
            elif rank == 5:
                self.fused = False
            else:
                raise ValueError("Unsupported axis. The use of `fused=True` is only possible with "
                                 "`axis=1` or `axis=3` for 4D input tensors. Received: axis=%s"
                                 % (tuple(self.axis),))
        axis_to_dim = {x: input_shape[x].value for x in self.axis}
        for x in axis_to_dim:
            if axis_to_dim[x] is None:
                raise ValueError("Input has undefined `axis` dimension. Received input with "
                                 "shape %s and axis=%s" % (tuple(input_shape.as_list()),
                                                          tuple(self.axis)))
        self.input_spec = base.InputSpec(ndim=rank, axes=axis_to_dim)
        if len(axis_to_dim) == 1 and self.virtual_batch_size is None:
            param_shape = (list(axis_to_dim.values())[0],)
        else:
            param_shape = [axis_to_dim.get(i, 1) for i in range(rank)]
            if self.virtual_batch_size is not None:
                param_shape.insert(1, 1)
                self.axis = [x + 1 for x in self.axis]
        self._param_shape = param_shape
        pdt = self._param_dtype
        self.gamma = self.add_weight(name="gamma", shape=param_shape, dtype=pdt,
                                     initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint,
                                     trainable=True) if self.scale else None
        self.beta = self.add_weight(name="beta", shape=param_shape, dtype=pdt,
                                    initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint,
                                    trainable=True) if self.center else None
        partitioner = None
        if self._scope is not None and self._scope.partitioner is not None:
            partitioner = self._scope.partitioner
            self._scope.set_partitioner(None)
        try:
            self.moving_mean = self._stat("moving_mean", self.moving_mean_initializer)
            self.moving_variance = self._stat("moving_variance",
                                              self.moving_variance_initializer)
            if self.renorm:
                var_init = self.moving_variance_initializer

                def stddev_init(*args, **kwargs):
                    return math_ops.sqrt(var_init(*args, **kwargs))

                self.moving_stddev = self._stat("moving_stddev", stddev_init)
                self.renorm_mean = self._stat("renorm_mean", self.moving_mean_initializer)
                self.renorm_stddev = self._stat("renorm_stddev", stddev_init)
        finally:
            if partitioner is not None:
                self._scope.set_partitioner(partitioner)
        self.built = True

    def _stat(self, name, initializer):
        return self.add_weight(name=name, shape=self._param_shape, dtype=self._param_dtype,
                               initializer=initializer,
                               synchronization=VariableSynchronization.ON_READ,
                               trainable=False, aggregation=VariableAggregation.MEAN)

    # --- moving averages ------------------------------------------------------------------------
    def _assign_moving_average(self, variable, value, momentum, training=True):
        return assign_moving_average(variable, value, momentum, training)

    def _assign_new_value(self, variable, value):
        with graph_lib.name_scope("AssignNewValue") as scope:
            with graph_lib.colocate_with(variable):
                return state_ops.assign(variable, value, name=scope)

    # --- call -------------------------------------------------------------------------------------
    def call(self, inputs, training=False):
        if isinstance(training, int) and not isinstance(training, bool):
            training = bool(training)
        if self.dtype is not None and inputs.dtype.base_dtype != dtypes.as_dtype(self.dtype):
            inputs = math_ops.cast(inputs, self.dtype)
        undo = None
        if self.virtual_batch_size is not None:
            static_shape = inputs.shape
            original_shape = array_ops.concat(
                [constant_op.constant([-1]), array_ops.shape(inputs)[1:]], axis=0)
            # As TF 2.x: ghost batches only when training is statically true (a training
            # tensor normalizes over the whole batch).
            if utils.constant_value(training):
                head = [self.virtual_batch_size, -1]
            else:
                head = [-1, 1]
            expanded = array_ops.concat(
                [constant_op.constant(head), array_ops.shape(inputs)[1:]], axis=0)
            inputs = array_ops.reshape(inputs, expanded)

            def undo(outputs):
                outputs = array_ops.reshape(outputs, original_shape)
                outputs.set_shape(static_shape)
                return outputs

        if self.fused:
            return self._fused_batch_norm(inputs, training)
        outputs = self._batch_norm(inputs, training)
        return undo(outputs) if undo is not None else outputs

    def _fused_batch_norm(self, inputs, training):
        beta = self.beta if self.center else constant_op.constant(
            0.0, dtype=self._param_dtype, shape=self._param_shape)
        gamma = self.gamma if self.scale else constant_op.constant(
            1.0, dtype=self._param_dtype, shape=self._param_shape)

        def fbn_training():
            return nn.fused_batch_norm(inputs, gamma, beta, mean=self.moving_mean,
                                       variance=self.moving_variance, epsilon=self.epsilon,
                                       is_training=True, data_format=self._data_format)

        def fbn_inference():
            return nn.fused_batch_norm(inputs, gamma, beta, mean=self.moving_mean,
                                       variance=self.moving_variance, epsilon=self.epsilon,
                                       is_training=False, data_format=self._data_format)

        output, mean, variance = utils.smart_cond(training, fbn_training, fbn_inference)
        training_value = utils.constant_value(training)
        if training_value or training_value is None:
            if training_value is None:
                momentum = utils.smart_cond(training, lambda: constant_op.constant(self.momentum),
                                            lambda: constant_op.constant(1.0))
            else:
                momentum = constant_op.convert_to_tensor(self.momentum)
            self.add_update(lambda: self._assign_moving_average(self.moving_mean, mean,
                                                                momentum))
            self.add_update(lambda: self._assign_moving_average(self.moving_variance, variance,
                                                                momentum))
        return output

    def _broadcast_fn(self, ndims, reduction_axes, input_shape):
        broadcast_shape = [1] * ndims
        broadcast_shape[self.axis[0]] = input_shape[self.axis[0]].value

        def _broadcast(v):
            if (v is not None and v.shape.ndims != ndims
                    and reduction_axes != list(range(ndims - 1))):
                return array_ops.reshape(v, broadcast_shape)
            return v

        return _broadcast

    def _batch_norm(self, inputs, training):
        inputs_dtype = inputs.dtype.base_dtype
        if inputs_dtype in (dtypes.float16, dtypes.bfloat16):
            inputs = math_ops.cast(inputs, dtypes.float32)
        input_shape = inputs.shape
        ndims = input_shape.ndims
        reduction_axes = [i for i in range(ndims) if i not in self.axis]
        if self.virtual_batch_size is not None:
            del reduction_axes[1]
        _broadcast = self._broadcast_fn(ndims, reduction_axes, input_shape)
        scale, offset = _broadcast(self.gamma), _broadcast(self.beta)
        training_value = utils.constant_value(training)
        if training_value is False:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            if self.adjustment:
                adj_scale, adj_bias = self.adjustment(array_ops.shape(inputs))
                adj_scale = utils.smart_cond(training, lambda: adj_scale,
                                             lambda: array_ops.ones_like(adj_scale))
                adj_bias = utils.smart_cond(training, lambda: adj_bias,
                                            lambda: array_ops.zeros_like(adj_bias))
                scale, offset = _compose(adj_scale, adj_bias, scale, offset)
            keep_dims = self.virtual_batch_size is not None or len(self.axis) > 1
            batch_mean, batch_variance = nn.moments(
                math_ops.cast(inputs, self._param_dtype), reduction_axes, keep_dims=keep_dims)
            moving_mean, moving_variance = self.moving_mean, self.moving_variance
            mean = utils.smart_cond(training, lambda: batch_mean,
                                    lambda: constant_op.convert_to_tensor(moving_mean))
            variance = utils.smart_cond(training, lambda: batch_variance,
                                        lambda: constant_op.convert_to_tensor(moving_variance))
            if self.virtual_batch_size is not None:
                new_mean = reduction_ops.reduce_mean(mean, axis=1, keepdims=True)
                new_variance = reduction_ops.reduce_mean(variance, axis=1, keepdims=True)
            else:
                new_mean, new_variance = mean, variance
            if self.renorm:
                r, d, new_mean, new_variance = self._renorm_correction_and_moments(
                    new_mean, new_variance, training)
                r = _broadcast(array_ops.stop_gradient(r, name="renorm_r"))
                d = _broadcast(array_ops.stop_gradient(d, name="renorm_d"))
                scale, offset = _compose(r, d, scale, offset)
            momentum = self.momentum

            def mean_update():
                return self._assign_moving_average(self.moving_mean, new_mean, momentum,
                                                   training)

            def variance_update():
                if not self.renorm:
                    return self._assign_moving_average(self.moving_variance, new_variance,
                                                       momentum, training)
                stddev = self._assign_moving_average(
                    self.moving_stddev, math_ops.sqrt(new_variance + self.epsilon), momentum,
                    training)
                value = nn.relu(stddev * stddev - self.epsilon)
                value = utils.smart_cond(training, lambda: value,
                                         lambda: constant_op.convert_to_tensor(
                                             self.moving_variance))
                return self._assign_new_value(self.moving_variance, value)

            self.add_update(mean_update)
            self.add_update(variance_update)
        mean = math_ops.cast(mean, inputs.dtype)
        variance = math_ops.cast(variance, inputs.dtype)
        if offset is not None:
            offset = math_ops.cast(offset, inputs.dtype)
        if scale is not None:
            scale = math_ops.cast(scale, inputs.dtype)
        outputs = nn.batch_normalization(inputs, _broadcast(mean), _broadcast(variance), offset,
                                         scale, self.epsilon)
        if inputs_dtype in (dtypes.float16, dtypes.bfloat16):
            outputs = math_ops.cast(outputs, inputs_dtype)
        outputs.set_shape(input_shape)
        return outputs

    def _renorm_correction_and_moments(self, mean, variance, training):
        """Batch renormalization's (r, d) correction, and the renorm statistics' updates."""
        stddev = math_ops.sqrt(variance + self.epsilon)
        renorm_mean = self.renorm_mean
        renorm_stddev = math_ops.maximum(self.renorm_stddev, self.epsilon ** 0.5)
        r = stddev / renorm_stddev
        d = (mean - renorm_mean) / renorm_stddev
        with graph_lib.control_dependencies([r, d]):
            mean = array_ops.identity(mean)
            stddev = array_ops.identity(stddev)
        rmin, rmax, dmax = [self.renorm_clipping.get(k) for k in ("rmin", "rmax", "dmax")]
        if rmin is not None:
            r = math_ops.maximum(r, rmin)
        if rmax is not None:
            r = math_ops.minimum(r, rmax)
        if dmax is not None:
            d = math_ops.maximum(d, -dmax)
            d = math_ops.minimum(d, dmax)
        r = utils.smart_cond(training, lambda: r, lambda: array_ops.ones_like(r))
        d = utils.smart_cond(training, lambda: d, lambda: array_ops.zeros_like(d))
        momentum = self.renorm_momentum
        update_mean = self._assign_moving_average(self.renorm_mean, array_ops.identity(mean),
                                                  momentum, training)
        update_stddev = self._assign_moving_average(self.renorm_stddev,
                                                    array_ops.identity(stddev), momentum,
                                                    training)
        with graph_lib.control_dependencies([update_mean, update_stddev]):
            out_mean = array_ops.identity(mean)
            out_variance = array_ops.identity(variance)
        return r, d, out_mean, out_variance

    def compute_output_shape(self, input_shape):
        return tensor_shape.as_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(axis=self.axis, momentum=self.momentum, epsilon=self.epsilon,
                      center=self.center, scale=self.scale)
        return config


def _compose(scale, offset, then_scale, then_offset):
    if then_scale is not None:
        scale = scale * then_scale
        offset = offset * then_scale
    if then_offset is not None:
        offset = offset + then_offset
    return scale, offset


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=init_ops.zeros_initializer(),
                        gamma_initializer=init_ops.ones_initializer(),
                        moving_mean_initializer=init_ops.zeros_initializer(),
                        moving_variance_initializer=init_ops.ones_initializer(),
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    """Functional interface for batch normalization.

    The moving statistics' updates go to `tf.GraphKeys.UPDATE_OPS`; run them with the train op.

    Example:
        >>> y = tf.layers.batch_normalization(x, axis=1, momentum=0.9, training=is_training)
        >>> update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        >>> with tf.control_dependencies(update_ops):
        ...     train_op = optimizer.minimize(loss)
    """
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
        renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
        trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
        name=name, _reuse=reuse, _scope=name)
    return layer(inputs, training=training)


BatchNorm = BatchNormalization
batch_norm = batch_normalization
