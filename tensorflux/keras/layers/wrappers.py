"""Keras layer wrappers: `Bidirectional` (an RNN both ways) and `TimeDistributed`.

`Bidirectional` makes two copies of the RNN from its config, `forward_<name>` and
`backward_<name>` (the latter with `go_backwards` flipped), so weights are
`bidirectional/forward_lstm/lstm_cell/kernel:0` as in tf_keras. `TimeDistributed` builds the
wrapped layer in its own name scope (`time_distributed/kernel:0`) and applies it to every time
step by folding time into the batch.
"""

from tensorflux.graph import tensor_shape
from tensorflux.keras.engine.base_layer import Layer
from tensorflux.ops import array_ops, manip_ops

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _serialize(layer):
    from tensorflux.keras.saving import model_config

    return model_config.serialize_layer(layer)


def _deserialize(entry):
    from tensorflux.keras.saving import model_config

    return model_config.deserialize_layer(entry)


def serialize(layer):
    """`tf.keras.layers.serialize`: `{"class_name", "config", "module", ...}` of a layer.

    Example:
        >>> tf.keras.layers.serialize(tf.keras.layers.Dense(2))["class_name"]
        'Dense'
    """
    return _serialize(layer)


def deserialize(config, custom_objects=None):
    """`tf.keras.layers.deserialize`: a new layer from `serialize`'s dict."""
    from tensorflux.keras.saving import model_config

    return model_config.deserialize_layer(config, custom_objects=custom_objects)


class _Wrapper(Layer):
    """A layer around another layer, whose weights (and losses) are the wrapped layer's."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `%s` layer with a `tf.keras.layers.Layer` "
                             "instance. Received: %s" % (type(self).__name__, layer))
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _inner(self):
        return [self.layer]

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [w for layer in self._inner() for w in layer.trainable_weights]

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return [w for layer in self._inner() for w in layer.weights]
        return [w for layer in self._inner() for w in layer.non_trainable_weights]

    @property
    def losses(self):
        return [x for layer in self._inner() for x in layer.losses] + list(self._losses)

    def get_config(self):
        config = super().get_config()
        config["layer"] = _serialize(self.layer)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        layer = _deserialize(config.pop("layer"))
        return cls(layer, **config)


Wrapper = _Wrapper  # the public base class (`tf.keras.layers.Wrapper`)


class TimeDistributed(_Wrapper):
    """Applies `layer` to each time step of `[batch, time, ...]` (the same weights for all).

    Example:
        >>> y = tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(8))(x)  # [N, T, 8]
    """

    _records_build_shape = True

    def build(self, input_shape):
        shape = tensor_shape.as_shape(input_shape)
        if shape.ndims is None or shape.ndims < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape` with "
                             "at least 3 dimensions, received: %s" % (shape,))
        step = tensor_shape.TensorShape([None]).concatenate(shape[2:])
        inner = self.layer
        if not inner.built:
            inner._build_input_shape = tuple(step.as_list())
            inner._dtype = inner._dtype or self._dtype
            inner.build(step)
            inner.built = True
        self.built = True

    def call(self, inputs, training=None):
        shape = array_ops.shape(inputs)
        static = inputs.shape.as_list()
        flat = array_ops.reshape(inputs, [-1] + [d if d is not None else -1
                                                 for d in static[2:]])
        kwargs = {"training": training} if self.layer._call_accepts("training") else {}
        y = self.layer.call(flat, **kwargs)
        out_static = y.shape.as_list()[1:]
        dims = array_ops.concat([shape[:2], array_ops.shape(y)[1:]], axis=0)
        y = array_ops.reshape(y, dims)
        y.set_shape(static[:2] + out_static)
        return y


class Bidirectional(_Wrapper):
    """Runs an RNN forwards and backwards and merges the two outputs (`merge_mode`:
    "concat" (default), "sum", "mul", "ave", or None for the list of both).

    Example:
        >>> lstm = tf.keras.layers.LSTM(16, return_sequences=True)
        >>> y = tf.keras.layers.Bidirectional(lstm)(x)                  # [N, T, 32]
    """

    _records_build_shape = True

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if merge_mode not in _MERGE_MODES:
            raise ValueError('Invalid merge mode. Merge mode should be one of {"sum", "mul", '
                             '"ave", "concat", None}')
        if weights is not None:
            raise NotImplementedError("Bidirectional(weights=...) is not supported by "
                                      "tensorflux: call `set_weights` after the first call.")
        super().__init__(layer, **kwargs)
        self._custom_backward = backward_layer is not None
        self.forward_layer = self._copy(layer, "forward_", layer.go_backwards)
        if backward_layer is None:
            backward_layer = self._copy(layer, "backward_", not layer.go_backwards)
        self.backward_layer = backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state

    @staticmethod
    def _copy(layer, prefix, go_backwards):
        config = layer.get_config()
        config.update(name=prefix + config["name"], go_backwards=go_backwards)
        if layer.return_sequences:
            config["zero_output_for_mask"] = True  # as tf_keras forces for sequences
        return type(layer).from_config(config)

    def _inner(self):
        return [self.forward_layer, self.backward_layer]

    def build(self, input_shape):
        self.built = True  # the two RNNs build in their own scopes on the first call

    def call(self, inputs, training=None, mask=None, initial_state=None):
        kwargs = {"training": training}
        if mask is not None:
            kwargs["mask"] = mask
        if initial_state is not None:
            half = len(initial_state) // 2
            fw = self.forward_layer(inputs, initial_state=initial_state[:half], **kwargs)
            bw = self.backward_layer(inputs, initial_state=initial_state[half:], **kwargs)
        else:
            fw = self.forward_layer(inputs, **kwargs)
            bw = self.backward_layer(inputs, **kwargs)
        states = []
        if self.return_state:
            states = list(fw[1:]) + list(bw[1:])
            fw, bw = fw[0], bw[0]
        if self.return_sequences:
            bw = manip_ops.reverse(bw, [1])
        output = self._merge(fw, bw)
        if self.return_state:
            return (output if isinstance(output, list) else [output]) + states
        return output

    def _merge(self, fw, bw):
        if self.merge_mode == "concat":
            return array_ops.concat([fw, bw], axis=-1)
        if self.merge_mode == "sum":
            return fw + bw
        if self.merge_mode == "ave":
            return (fw + bw) / 2
        if self.merge_mode == "mul":
            return fw * bw
        return [fw, bw]

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            n = len(self.forward_layer.cell.state_size)
            masks = masks + [None] * (2 * n)
        return masks if len(masks) > 1 else masks[0]

    def get_config(self):
        config = super().get_config()
        config["merge_mode"] = self.merge_mode
        if self._custom_backward:
            config["backward_layer"] = _serialize(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "backward_layer" in config:
            config["backward_layer"] = _deserialize(config["backward_layer"])
        return super().from_config(config)
