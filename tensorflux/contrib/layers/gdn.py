"""`tf.contrib.layers.gdn` / `GDN`: generalized divisive normalization (Ballé et al. 2016).

    y[i] = x[i] / sqrt(beta[i] + sum_j gamma[j, i] * x[j]^2)      (IGDN: multiply instead)

over channels only. As in TF, `beta` and `gamma` are stored reparameterized as variables
`reparam_beta = sqrt(beta + pedestal)` and `reparam_gamma = sqrt(gamma + pedestal)`
(`pedestal = reparam_offset^2`), bounded below with a gradient that still lets values climb
back from the bound.

Example:
    >>> y = tf.contrib.layers.gdn(images)                   # variables gdn/reparam_beta, ...
    >>> x = tf.contrib.layers.gdn(y, inverse=True, name="igdn")
"""

import tensorflux as tf
from tensorflux.gradients import RegisterGradient
from tensorflux.graph import graph as graph_lib
from tensorflux.graph import tensor_shape
from tensorflux.layers import base


def _lower_bound_grad(op, grad):
    """Pass the gradient where the input is above the bound, or where it pushes it upwards."""
    inputs = op.inputs[0]
    bound = op.inputs[1]
    pass_through_if = tf.logical_or(inputs >= bound, grad < 0)
    return [tf.cast(pass_through_if, grad.dtype) * grad, None]


RegisterGradient("GDNLowerBound")(_lower_bound_grad)


class GDN(base.Layer):
    """Generalized divisive normalization layer (see the module docstring).

    Args:
        inverse: compute IGDN (`x * sqrt(...)`) instead of GDN.
        beta_min: lower bound of beta.
        gamma_init: gamma starts as `gamma_init * identity`.
        reparam_offset: offset of the square-root reparameterization.
        data_format: "channels_last" or "channels_first".
    """

    def __init__(self, inverse=False, beta_min=1e-6, gamma_init=0.1, reparam_offset=2 ** -18,
                 data_format="channels_last", activity_regularizer=None, trainable=True,
                 name=None, **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.inverse = inverse
        self._beta_min = beta_min
        self._gamma_init = gamma_init
        self._reparam_offset = reparam_offset
        self.data_format = data_format
        self._channel_axis()  # raise ValueError early
        self.input_spec = base.InputSpec(min_ndim=3, max_ndim=5)

    def _channel_axis(self):
        try:
            return {"channels_first": 1, "channels_last": -1}[self.data_format]
        except KeyError:
            raise ValueError("Unsupported `data_format` for GDN layer: {}.".format(
                self.data_format)) from None

    @staticmethod
    def _lower_bound(inputs, bound, name=None):
        """`tf.maximum(inputs, bound)` with the GDNLowerBound gradient."""
        with graph_lib.name_scope(name, "GDNLowerBound", [inputs, bound]) as scope:
            inputs = tf.convert_to_tensor(inputs, name="inputs")
            bound = tf.convert_to_tensor(bound, name="bound")
            with tf.get_default_graph().gradient_override_map({"Maximum": "GDNLowerBound"}):
                return tf.maximum(inputs, bound, name=scope)

    def build(self, input_shape):
        channel_axis = self._channel_axis()
        input_shape = tensor_shape.TensorShape(input_shape)
        num_channels = tensor_shape.dimension_value(input_shape[channel_axis])
        if num_channels is None:
            raise ValueError("The channel dimension of the inputs to `GDN` must be defined.")
        self._input_rank = input_shape.ndims
        self.input_spec = base.InputSpec(ndim=input_shape.ndims,
                                         axes={channel_axis: num_channels})
        pedestal = tf.constant(self._reparam_offset ** 2, dtype=self.dtype)
        beta_bound = tf.constant((self._beta_min + self._reparam_offset ** 2) ** 0.5,
                                 dtype=self.dtype)
        gamma_bound = tf.constant(self._reparam_offset, dtype=self.dtype)

        def beta_initializer(shape, dtype=None, partition_info=None):
            del partition_info
            return tf.sqrt(tf.ones(shape, dtype=dtype) + pedestal)

        def gamma_initializer(shape, dtype=None, partition_info=None):
            del partition_info
            assert len(shape) == 2 and shape[0] == shape[1]
            eye = tf.eye(shape[0], dtype=dtype)
            return tf.sqrt(self._gamma_init * eye + pedestal)

        beta = self.add_variable("reparam_beta", shape=[num_channels],
                                 initializer=beta_initializer, dtype=self.dtype, trainable=True)
        beta = self._lower_bound(beta, beta_bound)
        self.beta = tf.square(beta) - pedestal
        gamma = self.add_variable("reparam_gamma", shape=[num_channels, num_channels],
                                  initializer=gamma_initializer, dtype=self.dtype,
                                  trainable=True)
        gamma = self._lower_bound(gamma, gamma_bound)
        self.gamma = tf.square(gamma) - pedestal
        self.built = True

    def call(self, inputs):
        inputs = tf.convert_to_tensor(inputs, dtype=self.dtype)
        ndim = self._input_rank
        shape = self.gamma.get_shape().as_list()
        gamma = tf.reshape(self.gamma, (ndim - 2) * [1] + shape)
        if self.data_format == "channels_first":
            norm_pool = tf.nn.convolution(tf.square(inputs), gamma, "VALID",
                                          data_format="NC" + "DHW"[-(ndim - 2):])
            if ndim == 3:
                norm_pool = tf.expand_dims(norm_pool, 2)
                norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format="NCHW")
                norm_pool = tf.squeeze(norm_pool, [2])
            elif ndim == 5:
                shape = tf.shape(norm_pool)
                norm_pool = tf.reshape(norm_pool, tf.concat([shape[:3], [-1]], 0))
                norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format="NCHW")
                norm_pool = tf.reshape(norm_pool, shape)
            else:
                norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format="NCHW")
        else:
            norm_pool = tf.nn.convolution(tf.square(inputs), gamma, "VALID")
            norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format="NHWC")
        norm_pool = tf.sqrt(norm_pool)
        if self.inverse:
            outputs = inputs * norm_pool
        else:
            outputs = inputs / norm_pool
        outputs.set_shape(inputs.get_shape())
        return outputs

    def compute_output_shape(self, input_shape):
        channel_axis = self._channel_axis()
        input_shape = tensor_shape.TensorShape(input_shape)
        if not 3 <= input_shape.ndims <= 5:
            raise ValueError("`input_shape` must be of rank 3 to 5, inclusive.")
        if tensor_shape.dimension_value(input_shape[channel_axis]) is None:
            raise ValueError("The channel dimension of `input_shape` must be defined.")
        return input_shape


def gdn(inputs, inverse=False, beta_min=1e-6, gamma_init=0.1, reparam_offset=2 ** -18,
        data_format="channels_last", activity_regularizer=None, trainable=True, name=None,
        reuse=None):
    """Applies a `GDN` layer to `inputs` (rank 3 to 5, channels known).

    Example:
        >>> y = gdn(x)  # y[..., i] = x[..., i] / sqrt(beta[i] + sum_j gamma[j, i] x[..., j]^2)
    """
    layer = GDN(inverse=inverse, beta_min=beta_min, gamma_init=gamma_init,
                reparam_offset=reparam_offset, data_format=data_format,
                activity_regularizer=activity_regularizer, trainable=trainable, name=name,
                dtype=inputs.dtype.base_dtype, _scope=name, _reuse=reuse)
    return layer.apply(inputs)
