"""`tf.config.experimental`: device listing, memory growth and the TF32 switch."""

import collections
import os

from tensorflux.backends import devices as backend_devices

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])

# TF32 is on unless NVIDIA_TF32_OVERRIDE=0 (the variable TensorFlow and NVIDIA's libraries read)
_state = {"tf32": os.environ.get("NVIDIA_TF32_OVERRIDE", "").strip() != "0",
          "memory_growth": {}}
_TYPES = ("CPU", "GPU")


def _check_type(device_type):
    if device_type is not None and device_type.upper() not in _TYPES:
        return False
    return True


def list_physical_devices(device_type=None):
    """The machine's devices: one CPU, and each GPU the XLA backend (JAX) sees."""
    if not _check_type(device_type):
        return []
    out = []
    if device_type is None or device_type.upper() == "CPU":
        out.append(PhysicalDevice("/physical_device:CPU:0", "CPU"))
    if device_type is None or device_type.upper() == "GPU":
        out += [PhysicalDevice("/physical_device:GPU:%d" % i, "GPU")
                for i in range(backend_devices.gpu_count())]
    return out


def get_visible_devices(device_type=None):
    return list_physical_devices(device_type)


def list_logical_devices(device_type=None):
    return [LogicalDevice(d.name.replace("/physical_device:", "/device:"), d.device_type)
            for d in list_physical_devices(device_type)]


def enable_tensor_float_32_execution(enabled):
    """Turns TF32 for float32 matmuls and convolutions on GPUs on (the default) or off."""
    _state["tf32"] = bool(enabled)


def tensor_float_32_execution_enabled():
    return _state["tf32"]


def set_memory_growth(device, enable):
    """Asks for GPU memory on demand instead of a large block at start-up.

    Takes effect when it comes before the first use of the GPU (as TF, which raises then):
    the XLA backend's allocator reads it when it starts.
    """
    if getattr(device, "device_type", None) != "GPU":
        raise ValueError("Cannot set memory growth on non-GPU devices")
    _state["memory_growth"][device.name] = bool(enable)
    if enable:
        os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
    else:
        os.environ.pop("XLA_PYTHON_CLIENT_PREALLOCATE", None)


def get_memory_growth(device):
    return _state["memory_growth"].get(device.name, False)
