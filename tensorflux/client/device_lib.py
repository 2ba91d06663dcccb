"""The devices this process can run ops on (TF's `tensorflow.python.client.device_lib`).

CPUs: one, or `ConfigProto(device_count={"CPU": N})` of them (as TF, N devices that share the
machine's cores). GPUs: those the XLA backend (JAX) sees, unless `device_count={"GPU": k}` asks
for fewer. Device names are TF's: `/device:CPU:0` locally, and
`/job:localhost/replica:0/task:0/device:CPU:0` in a session.

Example:
    >>> from tensorflux.client import device_lib
    >>> [d.name for d in device_lib.list_local_devices()]
    ['/device:CPU:0']
"""

import os

from tensorflux.backends import devices as backend_devices

LOCAL_PREFIX = "/job:localhost/replica:0/task:0"
CPU_MEMORY_LIMIT = 268435456  # what TF reports for its CPU device (256 MiB)


def _random_incarnation():
    return int.from_bytes(os.urandom(8), "little", signed=True) & 0x7FFFFFFFFFFFFFFF


def _counts(config, need_gpu=True):
    """(number of CPU devices, number of GPU devices) under `config`."""
    counts = getattr(config, "device_count", None) or {}
    cpus = max(1, int(counts.get("CPU", 1)))
    gpus = 0
    if need_gpu and counts.get("GPU", 1) != 0:
        gpus = min(backend_devices.gpu_count(), int(counts.get("GPU", 1 << 30)))
    return cpus, gpus


def device_names(config=None, need_gpu=True, prefix=LOCAL_PREFIX):
    """Full names of the devices a session with `config` has: CPUs first, then GPUs.

    With `need_gpu=False` the GPUs are not looked for (that needs JAX, slow to import).
    """
    cpus, gpus = _counts(config, need_gpu)
    return ([prefix + "/device:CPU:%d" % i for i in range(cpus)]
            + [prefix + "/device:GPU:%d" % i for i in range(gpus)])


class DeviceAttributes:
    """TF's `DeviceAttributes` message: what `list_local_devices()` returns per device."""

    def __init__(self, name, device_type, memory_limit, physical_device_desc="", bus_id=0):
        self.name = name
        self.device_type = device_type
        self.memory_limit = memory_limit
        self.physical_device_desc = physical_device_desc
        self.incarnation = _random_incarnation()
        self.bus_id = bus_id
        self.xla_global_id = -1

    @property
    def locality(self):
        return {"bus_id": self.bus_id} if self.bus_id else {}

    def __str__(self):
        lines = ['name: "%s"' % self.name, 'device_type: "%s"' % self.device_type,
                 "memory_limit: %d" % self.memory_limit]
        if self.bus_id:
            lines += ["locality {", "  bus_id: %d" % self.bus_id, "}"]
        else:
            lines += ["locality {", "}"]
        lines.append("incarnation: %d" % self.incarnation)
        if self.physical_device_desc:
            lines.append('physical_device_desc: "%s"' % self.physical_device_desc)
        lines.append("xla_global_id: %d" % self.xla_global_id)
        return "\n".join(lines) + "\n"

    __repr__ = __str__


class SessionDevice:
    """What `Session.list_devices()` returns per device (TF's `_DeviceAttributes`)."""

    def __init__(self, name, device_type, memory_limit):
        self.name = name
        self.device_type = device_type
        self.memory_limit_bytes = memory_limit
        self.incarnation = _random_incarnation()

    def __repr__(self):
        return "_DeviceAttributes(%s, %s, %d, %d)" % (
            self.name, self.device_type, self.memory_limit_bytes, self.incarnation)


def _gpu_facts(index):
    """(memory limit in bytes, physical description, bus id) of GPU `index`, as JAX tells."""
    try:
        import jax

        dev = [d for d in jax.devices() if d.platform == "gpu"][index]
    except Exception:  # noqa: BLE001 - no JAX or no such GPU: nothing to tell
        return 0, "device: %d" % index, 1
    limit = 0
    try:
        limit = int((dev.memory_stats() or {}).get("bytes_limit", 0))
    except Exception:  # noqa: BLE001 - memory_stats is optional in JAX backends
        pass
    parts = ["device: %d" % index, "name: %s" % getattr(dev, "device_kind", "GPU")]
    pci = getattr(dev, "pci_bus_id", None)
    if pci:
        parts.append("pci bus id: %s" % pci)
    cc = getattr(dev, "compute_capability", None)
    if cc:
        parts.append("compute capability: %s" % cc)
    return limit, ", ".join(parts), 1


def list_local_devices(session_config=None):
    """The devices available to this process, as `DeviceAttributes` (TF's fields)."""
    out = []
    for name in device_names(session_config, prefix=""):
        kind = "GPU" if "/device:GPU:" in name else "CPU"
        if kind == "CPU":
            out.append(DeviceAttributes(name, kind, CPU_MEMORY_LIMIT))
        else:
            limit, desc, bus = _gpu_facts(int(name.rsplit(":", 1)[1]))
            out.append(DeviceAttributes(name, kind, limit, desc, bus))
    return out


def session_devices(config=None):
    """`Session.list_devices()`: the session's devices with their full names."""
    out = []
    for name in device_names(config):
        if "/device:GPU:" in name:
            limit = _gpu_facts(int(name.rsplit(":", 1)[1]))[0]
            out.append(SessionDevice(name, "GPU", limit))
        else:
            out.append(SessionDevice(name, "CPU", CPU_MEMORY_LIMIT))
    return out


__all__ = ["list_local_devices", "DeviceAttributes"]
