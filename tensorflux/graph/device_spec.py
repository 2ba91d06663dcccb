"""DeviceSpec: parse and merge TF device strings (`/cpu:0`, `/job:ps/task:1/device:GPU:0`)."""


class DeviceSpec:
    """A (partial) device name, as TF's `tf.DeviceSpec`.

    Example:
        >>> DeviceSpec.from_string("/gpu:0").to_string()
        '/device:GPU:0'
    """

    __slots__ = ("job", "replica", "task", "device_type", "device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self.job = job
        self.replica = None if replica is None else int(replica)
        self.task = None if task is None else int(task)
        self.device_type = None if device_type is None else _canon_type(device_type)
        self.device_index = None if device_index is None else int(device_index)

    @classmethod
    def from_string(cls, spec):
        return cls().parse_from_string(spec)

    def parse_from_string(self, spec):
        if isinstance(spec, DeviceSpec):
            spec = spec.to_string()
        spec = spec or ""
        for part in spec.split("/"):
            if not part:
                continue
            fields = part.split(":")
            key = fields[0].lower()
            if key == "job" and len(fields) == 2:
                self.job = fields[1]
            elif key == "replica" and len(fields) == 2:
                self.replica = int(fields[1])
            elif key == "task" and len(fields) == 2:
                self.task = int(fields[1])
            elif key == "device" and len(fields) in (2, 3):
                self.device_type = _canon_type(fields[1])
                self.device_index = None if len(fields) == 2 or fields[2] == "*" else int(fields[2])
            elif key in ("cpu", "gpu", "tpu") and len(fields) in (1, 2):
                self.device_type = key.upper()
                self.device_index = None if len(fields) == 1 or fields[1] == "*" else int(fields[1])
            elif len(fields) == 2 and fields[0].isupper():
                self.device_type = fields[0]
                self.device_index = None if fields[1] == "*" else int(fields[1])
            else:
                raise ValueError("Unknown attribute: '%s' in '%s'" % (fields[0], spec))
        return self

    def merge_from(self, other):
        for f in self.__slots__:
            v = getattr(other, f)
            if v is not None:
                setattr(self, f, v)
        return self

    def make_merged_spec(self, other):
        return DeviceSpec(**self._fields()).merge_from(other)

    def replace(self, **kw):
        d = self._fields()
        d.update(kw)
        return DeviceSpec(**d)

    def _fields(self):
        return {f: getattr(self, f) for f in self.__slots__}

    def to_string(self):
        out = ""
        if self.job is not None:
            out += "/job:" + self.job
        if self.replica is not None:
            out += "/replica:%d" % self.replica
        if self.task is not None:
            out += "/task:%d" % self.task
        if self.device_type is not None:
            idx = "*" if self.device_index is None else str(self.device_index)
            out += "/device:%s:%s" % (self.device_type, idx)
        return out

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    def __repr__(self):
        return "<DeviceSpec %s>" % self.to_string()


def _canon_type(t):
    return t.upper() if t.lower() in ("cpu", "gpu", "tpu") else t


def canonical_name(device):
    """The string TF stores on an op for a device scope: '/cpu:0' → '/device:CPU:0'."""
    if device is None:
        return ""
    if callable(device) and not isinstance(device, (str, DeviceSpec)):
        raise TypeError("device functions are resolved per op")
    return DeviceSpec.from_string(device).to_string()


def merge_device(outer, inner):
    """Merges an inner device scope string into an outer one (inner fields win)."""
    if not outer:
        return canonical_name(inner)
    if not inner:
        return canonical_name(outer)
    return DeviceSpec.from_string(outer).merge_from(DeviceSpec.from_string(inner)).to_string()
