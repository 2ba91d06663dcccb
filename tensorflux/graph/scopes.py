"""The per-graph scope state: name scope, device stack, control dependencies, colocation."""

import contextlib

from tensorflux.graph import device_spec


class ScopeState:
    """All the "current context" a graph keeps while ops are being built, in one small object."""

    __slots__ = ("name_scope", "devices", "control", "colocation", "gradient_overrides")

    def __init__(self):
        self.name_scope = ""  # "" or "a/b/" (always ends with "/")
        self.devices = []  # stack of device strings or device functions
        self.control = []  # stack of lists of Operations (None entry = cleared)
        self.colocation = []  # stack of Operations
        self.gradient_overrides = {}

    def current_device(self, op=None):
        """Resolves the device stack for a new op into one string, as TF does.

        Scopes apply innermost first: a string scope fills in only the fields the inner scopes
        left unset (and gives the canonical form, '/cpu:0' -> '/device:CPU:0'); a device
        function sees the op (with the device found so far) and its result replaces it;
        `device(None)` hides every outer scope; `device("")` changes nothing.
        """
        dev = ""
        for d in reversed(self.devices):
            if d is None:
                break
            if isinstance(d, str):
                if d:
                    dev = device_spec.merge_device(d, dev)
            elif op is not None:
                op._device = dev
                r = d(op)
                if isinstance(r, device_spec.DeviceSpec):
                    r = r.to_string()
                dev = r or ""
        return dev

    def current_control_inputs(self):
        ops = []
        for frame in self.control:
            if frame is None:
                ops = []
            else:
                ops.extend(frame)
        return ops

    @contextlib.contextmanager
    def push_device(self, device):
        if isinstance(device, device_spec.DeviceSpec):
            device = device.to_string()
        if isinstance(device, str) and device:
            device_spec.DeviceSpec.from_string(device)  # validates early, at the user's line
        self.devices.append(device)
        try:
            yield
        finally:
            self.devices.pop()

    @contextlib.contextmanager
    def push_control(self, ops):
        self.control.append(ops)
        try:
            yield
        finally:
            self.control.pop()
