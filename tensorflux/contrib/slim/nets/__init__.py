"""`slim.nets`: TF-Slim's model zoo (`nets.vgg.vgg_16`, `nets.resnet_v1.resnet_v1_50`,
`nets.inception.inception_v3`, `nets.mobilenet_v1.mobilenet_v1`, …) and the factory that
builds them by name (`nets.nets_factory.get_network_fn("vgg_16", 1000)`).

The networks live in the modules of `tensorflux.models`; each is also importable under this
package (`from tensorflux.contrib.slim.nets import resnet_v1`), as the same module object.

Example:
    >>> from tensorflux.contrib.slim import nets
    >>> with slim.arg_scope(nets.resnet_v1.resnet_arg_scope()):
    ...     logits, end_points = nets.resnet_v1.resnet_v1_50(images, 1000, is_training=False)
"""

import importlib
import sys

from tensorflux.contrib.slim.nets import inception

_ZOO = ("alexnet", "cifarnet", "inception_resnet_v2", "inception_utils", "inception_v1",
        "inception_v2", "inception_v3", "inception_v4", "lenet", "mobilenet_v1", "overfeat",
        "resnet_utils", "resnet_v1", "resnet_v2", "vgg")

# `tensorflux.models` re-exports functions under some module names (`inception_v1`), so the
# modules are fetched by their full names.
alexnet = importlib.import_module("tensorflux.models.alexnet")
cifarnet = importlib.import_module("tensorflux.models.cifarnet")
inception_resnet_v2 = importlib.import_module("tensorflux.models.inception_resnet_v2")
inception_utils = importlib.import_module("tensorflux.models.inception_utils")
inception_v1 = importlib.import_module("tensorflux.models.inception_v1")
inception_v2 = importlib.import_module("tensorflux.models.inception_v2")
inception_v3 = importlib.import_module("tensorflux.models.inception_v3")
inception_v4 = importlib.import_module("tensorflux.models.inception_v4")
lenet = importlib.import_module("tensorflux.models.lenet")
mobilenet_v1 = importlib.import_module("tensorflux.models.mobilenet_v1")
overfeat = importlib.import_module("tensorflux.models.overfeat")
resnet_utils = importlib.import_module("tensorflux.models.resnet_utils")
resnet_v1 = importlib.import_module("tensorflux.models.resnet_v1")
resnet_v2 = importlib.import_module("tensorflux.models.resnet_v2")
vgg = importlib.import_module("tensorflux.models.vgg")

# `import tensorflux.contrib.slim.nets.vgg` (and `tensorflow.contrib.slim.nets.vgg` through the
# alias) finds the zoo module itself.
for _name in _ZOO:
    sys.modules.setdefault(__name__ + "." + _name, globals()[_name])
del _name

from tensorflux.contrib.slim.nets import nets_factory  # noqa: E402 - needs the zoo above
