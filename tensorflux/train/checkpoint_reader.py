"""The read interface shared by V2 (tensor bundle) and V1 (tensor slices) checkpoint readers.

It mirrors TF's `py_checkpoint_reader.CheckpointReader`: `keys`, `has_tensor`, `get_tensor`,
`get_variable_to_shape_map` and `get_variable_to_dtype_map` (dtype names like "float32";
mapping them to `tf.DType` is the caller's job).
"""

from tensorflux import errors


class CheckpointReader:
    """Base class of checkpoint readers; subclasses fill `_meta` and implement `_read`.

    Attributes:
        path: The prefix (V2) or file (V1) that was opened.
    """

    def __init__(self, path, meta):
        """Stores the tensor table.

        Args:
            path: The checkpoint path, used in messages.
            meta: Dict mapping tensor name to `(dtype_name, shape_tuple)`.
        """
        self.path = path
        self._meta = meta

    def keys(self):
        """Returns the sorted names of the tensors in the checkpoint."""
        return sorted(self._meta)

    def has_tensor(self, name):
        """Returns True if the checkpoint holds a tensor called `name`."""
        return name in self._meta

    def get_variable_to_shape_map(self):
        """Returns `{name: [dim, ...]}` for every tensor."""
        return {name: list(shape) for name, (_, shape) in self._meta.items()}

    def get_variable_to_dtype_map(self):
        """Returns `{name: dtype_name}` for every tensor, e.g. `{"global_step": "int64"}`."""
        return {name: dtype for name, (dtype, _) in self._meta.items()}

    def get_tensor(self, name):
        """Reads one tensor.

        Values are verified against the checkpoint's checksums. Strings come back as an
        object array of `bytes`; bfloat16 tensors as float32 (exact; numpy has no bfloat16).

        Args:
            name: The tensor's name.

        Returns:
            A new, writable numpy array.

        Raises:
            NotFoundError: If there is no such tensor.
            DataLossError: If its bytes are missing or corrupted.

        Example:
            >>> reader.get_tensor("global_step")  # doctest: +SKIP
            array(1000)
        """
        if name not in self._meta:
            raise errors.NotFoundError(None, None, f"Key {name} not found in checkpoint")
        return self._read(name)

    def _read(self, name):
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} {self.path!r}: {len(self._meta)} tensors>"

