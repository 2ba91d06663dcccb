"""`slim.nets.nets_factory`: TF-Slim's network factory (the models repository's
`nets/nets_factory.py`), for the networks tensorflux's zoo has.

`get_network_fn(name, num_classes)` returns `network_fn(images, **kwargs)`, which builds the
network under its arg scope (with `weight_decay`) and returns `(logits, end_points)`.
Networks the zoo lacks (i3d, s3dg, mobilenet_v2, nasnet, pnasnet) are not in the maps, so
their names raise the factory's "Name of network unknown" ValueError.

Example:
    >>> network_fn = nets_factory.get_network_fn("resnet_v1_50", num_classes=1000,
    ...                                          is_training=False)
    >>> logits, end_points = network_fn(images)     # images: [batch, 224, 224, 3]
"""

import functools

from tensorflux.contrib.framework.arg_scope import arg_scope as _arg_scope
from tensorflux.contrib.slim.nets import (
    alexnet,
    cifarnet,
    inception,
    lenet,
    mobilenet_v1,
    overfeat,
    resnet_v1,
    resnet_v2,
    vgg,
)

networks_map = {
    "alexnet_v2": alexnet.alexnet_v2,
    "cifarnet": cifarnet.cifarnet,
    "overfeat": overfeat.overfeat,
    "vgg_a": vgg.vgg_a,
    "vgg_16": vgg.vgg_16,
    "vgg_19": vgg.vgg_19,
    "inception_v1": inception.inception_v1,
    "inception_v2": inception.inception_v2,
    "inception_v3": inception.inception_v3,
    "inception_v4": inception.inception_v4,
    "inception_resnet_v2": inception.inception_resnet_v2,
    "lenet": lenet.lenet,
    "resnet_v1_50": resnet_v1.resnet_v1_50,
    "resnet_v1_101": resnet_v1.resnet_v1_101,
    "resnet_v1_152": resnet_v1.resnet_v1_152,
    "resnet_v1_200": resnet_v1.resnet_v1_200,
    "resnet_v2_50": resnet_v2.resnet_v2_50,
    "resnet_v2_101": resnet_v2.resnet_v2_101,
    "resnet_v2_152": resnet_v2.resnet_v2_152,
    "resnet_v2_200": resnet_v2.resnet_v2_200,
    "mobilenet_v1": mobilenet_v1.mobilenet_v1,
    "mobilenet_v1_075": mobilenet_v1.mobilenet_v1_075,
    "mobilenet_v1_050": mobilenet_v1.mobilenet_v1_050,
    "mobilenet_v1_025": mobilenet_v1.mobilenet_v1_025,
}

# As in TF-Slim, Inception v1 and v2 use the Inception v3 arg scope.
arg_scopes_map = {
    "alexnet_v2": alexnet.alexnet_v2_arg_scope,
    "cifarnet": cifarnet.cifarnet_arg_scope,
    "overfeat": overfeat.overfeat_arg_scope,
    "vgg_a": vgg.vgg_arg_scope,
    "vgg_16": vgg.vgg_arg_scope,
    "vgg_19": vgg.vgg_arg_scope,
    "inception_v1": inception.inception_v3_arg_scope,
    "inception_v2": inception.inception_v3_arg_scope,
    "inception_v3": inception.inception_v3_arg_scope,
    "inception_v4": inception.inception_v4_arg_scope,
    "inception_resnet_v2": inception.inception_resnet_v2_arg_scope,
    "lenet": lenet.lenet_arg_scope,
    "resnet_v1_50": resnet_v1.resnet_arg_scope,
    "resnet_v1_101": resnet_v1.resnet_arg_scope,
    "resnet_v1_152": resnet_v1.resnet_arg_scope,
    "resnet_v1_200": resnet_v1.resnet_arg_scope,
    "resnet_v2_50": resnet_v2.resnet_arg_scope,
    "resnet_v2_101": resnet_v2.resnet_arg_scope,
    "resnet_v2_152": resnet_v2.resnet_arg_scope,
    "resnet_v2_200": resnet_v2.resnet_arg_scope,
    "mobilenet_v1": mobilenet_v1.mobilenet_v1_arg_scope,
    "mobilenet_v1_075": mobilenet_v1.mobilenet_v1_arg_scope,
    "mobilenet_v1_050": mobilenet_v1.mobilenet_v1_arg_scope,
    "mobilenet_v1_025": mobilenet_v1.mobilenet_v1_arg_scope,
}


def get_network_fn(name, num_classes, weight_decay=0.0, is_training=False):
    """A function `network_fn(images, **kwargs) -> (net, end_points)` building network
    `name` under its arg scope.

    Args:
        name: The network's name, a key of `networks_map`.
        num_classes: The number of logits; 0 or None returns the logits layer's input.
        weight_decay: The L2 coefficient of the weights (passed to the arg scope).
        is_training: Whether the network is built for training (batch norm, dropout).

    Returns:
        `network_fn`, with the network's `default_image_size` attribute when it has one.

    Raises:
        ValueError: If `name` is not a known network.
    """
    if name not in networks_map:
        raise ValueError("Name of network unknown %s" % name)
    func = networks_map[name]

    @functools.wraps(func)
    def network_fn(images, **kwargs):
        arg_scope = arg_scopes_map[name](weight_decay=weight_decay)
        with _arg_scope(arg_scope):
            return func(images, num_classes=num_classes, is_training=is_training, **kwargs)

    if hasattr(func, "default_image_size"):
        network_fn.default_image_size = func.default_image_size
    return network_fn


__all__ = ["networks_map", "arg_scopes_map", "get_network_fn"]
