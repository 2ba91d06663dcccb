"""`tf.contrib.layers.spatial_softmax`: each channel's soft-argmax keypoint (Levine et al.,
"End-to-End Training of Deep Visuomotor Policies").

A softmax over each channel's H*W positions (divided by a learned scalar `temperature`, a model
variable in scope "spatial_softmax") weights the pixel coordinates, scaled to [-1, 1]; the output
is [batch, 2 * C] arranged [x1, y1, ..., xC, yC], x running along the height axis and y along
the width axis as in TF.
"""

from tensorflux import nn
from tensorflux.contrib.framework import variables as framework_variables
from tensorflux.contrib.framework.arg_scope import add_arg_scope
from tensorflux.contrib.layers.utils import get_variable_collections
from tensorflux.graph import dtypes
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import array_ops, constant_op, fill_ops, init_ops, reduction_ops
from tensorflux.variable_scope import variable_scope


@add_arg_scope
def spatial_softmax(features, temperature=None, name=None, variables_collections=None,
                    trainable=True, data_format="NHWC"):
    """The expected (x, y) position of every channel under its spatial softmax.

    Args:
        features: [batch, H, W, C] (NHWC) or [batch, C, H, W] (NCHW); C must be known.
        temperature: Initial value of the `temperature` variable (default 1).
        name: Variable scope (default "spatial_softmax").
        variables_collections: Collections for `temperature` (when trainable).
        trainable: Whether `temperature` is trainable (then it is in no extra collection).
        data_format: "NHWC" or "NCHW".

    Raises:
        ValueError: On another `data_format`, or an unknown number of channels.

    Example:
        >>> keypoints = tf.contrib.layers.spatial_softmax(conv_features)  # [batch, 2 * C]
    """
    with variable_scope(name, "spatial_softmax"):
        features = constant_op.convert_to_tensor(features)
        shape = array_ops.shape(features)
        static_shape = features.get_shape()
        if data_format == "NHWC":
            height, width, num_channels = shape[1], shape[2], static_shape[3]
        elif data_format == "NCHW":
            num_channels, height, width = static_shape[1], shape[2], shape[3]
        else:
            raise ValueError("data_format has to be either NCHW or NHWC.")
        if num_channels.value is None:
            raise ValueError("The num_channels dimension of the inputs to `spatial_softmax` "
                             "should be defined. Found `None`.")
        with graph_lib.name_scope("spatial_softmax_op", "spatial_softmax_op", [features]):
            pos_x, pos_y = fill_ops.meshgrid(fill_ops.lin_space(-1., 1., num=height),
                                             fill_ops.lin_space(-1., 1., num=width),
                                             indexing="ij")
            pos_x = array_ops.reshape(pos_x, [height * width])
            pos_y = array_ops.reshape(pos_y, [height * width])
            if temperature is None:
                temp_initializer = init_ops.ones_initializer()
            else:
                temp_initializer = init_ops.constant_initializer(temperature)
            temp_collections = (get_variable_collections(variables_collections, "temperature")
                                if trainable else None)
            temperature = framework_variables.model_variable(
                "temperature", shape=(), dtype=dtypes.float32, initializer=temp_initializer,
                collections=temp_collections, trainable=trainable)
            if data_format == "NCHW":
                features = array_ops.reshape(features, [-1, height * width])
            else:
                features = array_ops.reshape(array_ops.transpose(features, [0, 3, 1, 2]),
                                             [-1, height * width])
            softmax_attention = nn.softmax(features / temperature)
            expected_x = reduction_ops.reduce_sum(pos_x * softmax_attention, [1], keepdims=True)
            expected_y = reduction_ops.reduce_sum(pos_y * softmax_attention, [1], keepdims=True)
            expected_xy = array_ops.concat([expected_x, expected_y], 1)
            feature_keypoints = array_ops.reshape(expected_xy, [-1, num_channels.value * 2])
            feature_keypoints.set_shape([None, num_channels.value * 2])
    return feature_keypoints
