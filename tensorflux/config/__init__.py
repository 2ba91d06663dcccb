"""`tf.config`: the physical devices and the TF32 switch (as TF 1.15's / 2.x's `tf.config`).

    >>> tf.config.experimental.list_physical_devices("GPU")
    [PhysicalDevice(name='/physical_device:GPU:0', device_type='GPU')]
    >>> tf.config.experimental.enable_tensor_float_32_execution(False)

TF32 is on by default, as in TensorFlow: float32 matmuls and convolutions placed on a GPU use the
GPU's TensorFloat-32 mode (10-bit mantissa products, float32 accumulation); turning it off makes
them full float32 (so does NVIDIA_TF32_OVERRIDE=0 in the environment, as for TensorFlow). CPUs
have no TF32 and are unaffected.
"""

from tensorflux.config import experimental
from tensorflux.config.experimental import (
    PhysicalDevice,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
)

__all__ = ["experimental", "PhysicalDevice", "get_visible_devices", "list_logical_devices",
           "list_physical_devices"]
