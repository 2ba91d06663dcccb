"""TF checkpoint V2 ("tensor bundle") files: write them byte for byte like TF, read them safely.

For a prefix `P` a bundle is `P.index` (an SSTable: key "" holds a BundleHeaderProto, each
tensor name a BundleEntryProto) and `P.data-00000-of-00001` (the tensors' little-endian bytes,
back to back, each covered by a masked CRC-32C in its entry). `write_bundle` adds tensors in
sorted name order, as tf.compat.v1 Saver does, so its files equal TF's byte for byte.

This module is also the entry point for the checkpoint file layer: `open_checkpoint` picks
the V2 or V1 reader, and the CRC and `checkpoint` state-file helpers are re-exported here.

Example:
    >>> write_bundle("/tmp/model.ckpt", {"w": np.ones([2, 3], np.float32)})  # doctest: +SKIP
    >>> read_bundle("/tmp/model.ckpt").get_tensor("w").shape  # doctest: +SKIP
    (2, 3)
"""

import glob
import os
import struct

import numpy as np

from tensorflux import errors
from tensorflux.graph import protowire
from tensorflux.train import atomic_file, crc, sstable, tensor_slices
from tensorflux.train import checkpoint_protos as protos
from tensorflux.train.checkpoint_reader import CheckpointReader
from tensorflux.train.checkpoint_state import (  # noqa: F401 - re-exported
    CheckpointState,
    generate_checkpoint_state_proto,
    read_checkpoint_state,
    write_checkpoint_state,
)
from tensorflux.train.checkpoint_v1 import V1Reader, read_v1  # noqa: F401 - re-exported
from tensorflux.train.crc import masked_crc32c, unmask  # noqa: F401 - re-exported

_TENSOR_BUNDLE_CONSUMER_VERSION = 1  # kTensorBundleVersion: what this reader understands


def index_filename(prefix):
    """Returns the `.index` file name of a V2 checkpoint prefix."""
    return prefix + ".index"


def data_filename(prefix, shard=0, num_shards=1):
    """Returns the name of data shard `shard` of a V2 checkpoint (naming.cc)."""
    return "%s.data-%05d-of-%05d" % (prefix, shard, num_shards)


# ------------------------------------------------------------------------------------ writing
def _serialize_strings(array):
    # DT_STRING layout (tensor_bundle.cc WriteStringTensor): varint64 lengths, the masked CRC
    # of the lengths, then the bytes. The entry CRC covers the lengths as fixed-width ints.
    items = []
    for item in array.reshape(-1):
        if isinstance(item, str):
            item = item.encode("utf-8")
        elif not isinstance(item, (bytes, np.bytes_)):
            raise TypeError(f"string tensor element {item!r} is not bytes or str")
        items.append(bytes(item))
    checksum = 0
    for item in items:
        checksum = crc.crc32c_extend(checksum, struct.pack("<I" if len(item) <= 0xFFFFFFFF
                                                           else "<Q", len(item)))
    length_crc = struct.pack("<I", crc.mask(checksum))
    checksum = crc.crc32c_extend(checksum, length_crc)
    body = b"".join(items)
    checksum = crc.crc32c_extend(checksum, body)
    lengths = b"".join(protowire.encode_varint(len(item)) for item in items)
    return lengths + length_crc + body, checksum


def _serialize(name, value):
    """Returns `(dtype_enum, shape, payload bytes-like, unmasked crc)` for one tensor."""
    tag = None
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        value, tag = value
    array = np.asarray(value)
    if tag is not None:
        if tag not in protos.DTYPE_ENUMS:
            raise errors.InvalidArgumentError(
                None, None, f"tensor {name!r}: unknown dtype {tag!r}")
        dtype = protos.DTYPE_ENUMS[tag]
    elif array.dtype.kind in "SUO":
        dtype = protos.DT_STRING
    elif array.dtype.newbyteorder("=") in protos.NUMPY_TO_ENUM:
        dtype = protos.NUMPY_TO_ENUM[array.dtype.newbyteorder("=")]
    else:
        raise errors.InvalidArgumentError(
            None, None, f"tensor {name!r}: numpy dtype {array.dtype} cannot be saved")
    if dtype == protos.DT_STRING:
        try:
            payload, checksum = _serialize_strings(array)
        except TypeError as e:
            raise errors.InvalidArgumentError(None, None, f"tensor {name!r}: {e}") from None
        return dtype, array.shape, payload, checksum
    if dtype not in protos.STORAGE_DTYPES:
        raise errors.InvalidArgumentError(
            None, None, f"tensor {name!r}: dtype {protos.dtype_name(dtype)} cannot be saved")
    try:
        if dtype == protos.DT_BFLOAT16 and array.dtype.kind == "f":
            array = protos.float32_to_bfloat16_bits(array)
        array = np.asarray(array, dtype=protos.STORAGE_DTYPES[dtype], order="C")
    except (TypeError, ValueError) as e:
        raise errors.InvalidArgumentError(
            None, None, f"tensor {name!r}: cannot convert to {protos.dtype_name(dtype)}: "
            f"{e}") from None
    payload = array.reshape(-1).view(np.uint8)
    return dtype, array.shape, payload, crc.crc32c(payload)


def write_bundle(prefix, tensors):
    """Writes a V2 checkpoint byte-identical to tf.compat.v1 Saver's for the same variables.

    Files are written to temporary names in the same directory and moved into place only
    when complete, so on any error the files previously at `prefix.*` are left untouched.

    Args:
        prefix: Checkpoint prefix, e.g. "/tmp/train/model.ckpt-1000"; parent directories
            are created.
        tensors: Dict from tensor name to value: a numpy array (float16/32/64, int8..64,
            uint8..64, bool, complex, or bytes/str for DT_STRING), a Python scalar/list, or
            `(value, dtype_name)` to force a TF dtype, e.g. `(x, "bfloat16")` (float values
            are rounded; uint16 values are taken as raw bfloat16 bits).

    Raises:
        InvalidArgumentError: For an empty name or a value that cannot be saved.

    Example:
        >>> write_bundle("/tmp/ckpt/model", {"global_step": np.int64(7)})  # doctest: +SKIP
    """
    named = []
    for name in tensors:
        if not isinstance(name, str) or not name:
            raise errors.InvalidArgumentError(
                None, None, f"checkpoint tensor names must be non-empty strings, got {name!r}")
        named.append((name.encode("utf-8"), name))
    named.sort()
    directory = os.path.dirname(prefix)
    if directory:
        os.makedirs(directory, exist_ok=True)
    finals = [data_filename(prefix), index_filename(prefix)]
    temps = [atomic_file.temp_path(path) for path in finals]
    try:
        table = sstable.TableBuilder()
        table.add(b"", protos.encode_header(num_shards=1))
        with open(temps[0], "wb") as data_file:
            offset = 0
            for key, name in named:
                dtype, shape, payload, checksum = _serialize(name, tensors[name])
                data_file.write(payload)
                size = len(payload) if isinstance(payload, bytes) else payload.nbytes
                table.add(key, protos.encode_entry(dtype, shape, offset, size, crc.mask(checksum)))
                offset += size
            data_file.flush()
            os.fsync(data_file.fileno())
        with open(temps[1], "wb") as index_file:
            index_file.write(table.finish())
            index_file.flush()
            os.fsync(index_file.fileno())
        atomic_file.replace_files(list(zip(temps, finals)))
    finally:
        for temp in temps:
            if os.path.exists(temp):
                os.remove(temp)


# ------------------------------------------------------------------------------------ reading
def _decode_strings(raw, count, filename, name):
    """Parses a DT_STRING payload; returns `(object array of bytes, unmasked entry crc)`."""
    def corrupt(detail):
        return errors.DataLossError(None, None, f"{filename}: string tensor {name!r}: {detail}")

    pos = 0
    lengths = []
    checksum = 0
    try:
        for _ in range(count):
            length, pos = protowire.decode_varint(raw, pos)
            lengths.append(length)
            fmt = "<I" if length <= 0xFFFFFFFF else "<Q"
            checksum = crc.crc32c_extend(checksum, struct.pack(fmt, length))
    except ValueError as e:
        raise corrupt(str(e)) from None
    if pos + 4 + sum(lengths) != len(raw):
        raise corrupt("lengths do not add up to the stored size")
    (stored,) = struct.unpack_from("<I", raw, pos)
    if crc.unmask(stored) != checksum:
        raise corrupt("checksum of the string lengths does not match")
    # The entry CRC covers the fixed-width lengths (not the varints), the length CRC, the bytes.
    checksum = crc.crc32c_extend(checksum, raw[pos:])
    pos += 4
    values = np.empty(count, dtype=object)
    for i, length in enumerate(lengths):
        values[i] = raw[pos:pos + length]
        pos += length
    return values, checksum


class BundleReader(CheckpointReader):
    """Reads a V2 checkpoint; see `read_bundle`."""

    def __init__(self, prefix):
        index_path = index_filename(prefix)
        try:
            with open(index_path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise errors.NotFoundError(
                None, None, f"Unsuccessful checkpoint read: {index_path} does not exist (is "
                f"{prefix!r} the prefix of a V2 checkpoint?)") from None
        try:
            table = sstable.read_table(data, index_path)
            if not table or table[0][0] != b"":
                raise ValueError("missing the header entry")
            header = protos.decode_header(table[0][1])
            entries = {key: protos.decode_entry(value) for key, value in table[1:]}
        except ValueError as e:
            raise errors.DataLossError(None, None, f"{index_path}: corrupted: {e}") from None
        self._check_header(header, index_path)
        self._prefix = prefix
        self._num_shards = header.num_shards
        self._slice_entries = {k: v for k, v in entries.items() if k.startswith(b"\x00")}
        self._entries = {k.decode("utf-8", "replace"): v for k, v in entries.items()
                         if not k.startswith(b"\x00")}
        self._check_data_files()
        meta = {name: (protos.dtype_name(e.dtype), e.shape) for name, e in self._entries.items()}
        super().__init__(prefix, meta)

    @staticmethod
    def _check_header(header, index_path):
        if header.num_shards < 1:
            raise errors.DataLossError(None, None, f"{index_path}: header has "
                                       f"num_shards={header.num_shards}")
        if header.endianness != 0:
            raise errors.UnimplementedError(
                None, None, f"{index_path}: big-endian checkpoints are not supported")
        consumer = _TENSOR_BUNDLE_CONSUMER_VERSION
        if header.min_consumer > consumer or consumer in header.bad_consumers:
            raise errors.InvalidArgumentError(
                None, None, f"{index_path}: checkpoint needs a newer reader (min consumer "
                f"{header.min_consumer}, this reader is version {consumer})")

    def _check_data_files(self):
        # Every shard must exist and be long enough for the entries that point into it.
        needed = {}
        for name, entry in list(self._entries.items()) + list(self._slice_entries.items()):
            if not 0 <= entry.shard_id < self._num_shards or entry.offset < 0 or entry.size < 0:
                raise errors.DataLossError(
                    None, None, f"{index_filename(self._prefix)}: bad entry for {name!r}")
            end = entry.offset + entry.size
            needed[entry.shard_id] = max(needed.get(entry.shard_id, 0), end)
        for shard in range(self._num_shards):
            path = data_filename(self._prefix, shard, self._num_shards)
            if not os.path.isfile(path):
                raise errors.DataLossError(
                    None, None, f"Checkpoint data file {path} is missing; the checkpoint "
                    f"{self._prefix!r} is incomplete")
            actual = os.path.getsize(path)
            if actual < needed.get(shard, 0):
                raise errors.DataLossError(
                    None, None, f"Checkpoint data file {path} is truncated: {actual} bytes, "
                    f"the index needs {needed[shard]}")

    def _read(self, name):
        entry = self._entries[name]
        if entry.slices:
            return self._read_sliced(name, entry)
        return self._read_entry(name, entry)

    def _read_sliced(self, name, entry):
        pieces = []
        for extents in entry.slices:
            key = tensor_slices.encode_tensor_name_slice(name, extents)
            if key not in self._slice_entries:
                raise errors.DataLossError(None, None, f"{index_filename(self._prefix)}: slice "
                                           f"{extents} of {name!r} is missing")
            pieces.append((extents, self._read_entry(name, self._slice_entries[key])))
        try:
            return tensor_slices.assemble(entry.shape, self._numpy_dtype(entry), pieces)
        except ValueError as e:
            message = f"{self._prefix}: tensor {name!r}: {e}"
            raise errors.DataLossError(None, None, message) from None

    @staticmethod
    def _numpy_dtype(entry):
        if entry.dtype == protos.DT_STRING:
            return object
        if entry.dtype == protos.DT_BFLOAT16:
            return np.float32
        return protos.STORAGE_DTYPES[entry.dtype].newbyteorder("=")

    def _read_entry(self, name, entry):
        path = data_filename(self._prefix, entry.shard_id, self._num_shards)
        if entry.dtype != protos.DT_STRING and entry.dtype not in protos.STORAGE_DTYPES:
            raise errors.UnimplementedError(None, None, f"{path}: tensor {name!r} has dtype "
                                            f"{protos.dtype_name(entry.dtype)}, not readable")
        try:
            with open(path, "rb") as f:
                f.seek(entry.offset)
                raw = f.read(entry.size)
        except OSError as e:
            raise errors.DataLossError(None, None, f"Cannot read {path}: {e}") from None
        if len(raw) != entry.size:
            raise errors.DataLossError(None, None, f"{path} is truncated: tensor {name!r} needs "
                                       f"bytes [{entry.offset}, {entry.offset + entry.size})")
        count = int(np.prod(entry.shape, dtype=np.int64))
        if entry.dtype == protos.DT_STRING:
            array, checksum = _decode_strings(raw, count, path, name)
        else:
            storage = protos.STORAGE_DTYPES[entry.dtype]
            if len(raw) != count * storage.itemsize:
                raise errors.DataLossError(
                    None, None, f"{path}: tensor {name!r} has {len(raw)} bytes, shape "
                    f"{list(entry.shape)} of {protos.dtype_name(entry.dtype)} needs "
                    f"{count * storage.itemsize}")
            checksum = crc.crc32c(raw)
            array = np.frombuffer(raw, dtype=storage)
        if crc.mask(checksum) != entry.crc32c:
            raise errors.DataLossError(
                None, None, f"{path}: checksum does not match for tensor {name!r}: stored "
                f"{entry.crc32c:#010x} vs. calculated on the restored bytes "
                f"{crc.mask(checksum):#010x}")
        if entry.dtype == protos.DT_BFLOAT16:
            array = protos.bfloat16_bits_to_float32(array)
        elif entry.dtype != protos.DT_STRING:
            array = array.astype(array.dtype.newbyteorder("="))  # copies: writable, native
        return array.reshape(entry.shape)


def read_bundle(prefix):
    """Opens a V2 checkpoint for reading.

    Args:
        prefix: The checkpoint prefix (the `.index` file name without `.index`).

    Returns:
        A `BundleReader` with `keys()`, `get_tensor(name)`, `has_tensor(name)`,
        `get_variable_to_shape_map()` and `get_variable_to_dtype_map()`.

    Raises:
        NotFoundError: If `prefix.index` does not exist.
        DataLossError: If the index is corrupted or a data shard is missing or too short.

    Example:
        >>> read_bundle("/tmp/ckpt/model").get_tensor("global_step")  # doctest: +SKIP
        array(7)
    """
    return BundleReader(prefix)


def open_checkpoint(path_or_prefix):
    """Opens a checkpoint of either format, like `tf.train.load_checkpoint`.

    A directory means its latest checkpoint (from its `checkpoint` file); a path with a
    `.index` file next to it is a V2 prefix; any other existing file (or glob pattern of
    files) is read as a V1 checkpoint.

    Raises:
        NotFoundError: If nothing matches.
    """
    path = os.fspath(path_or_prefix)
    if os.path.isdir(path):
        state = read_checkpoint_state(path)
        if state is None:
            raise errors.NotFoundError(None, None, f"No checkpoint state file in {path}")
        path = state.model_checkpoint_path
    if os.path.isfile(index_filename(path)):
        return read_bundle(path)
    if path.endswith(".index") and os.path.isfile(path):
        return read_bundle(path[: -len(".index")])
    if os.path.isfile(path) or glob.glob(path):
        return read_v1(path)
    raise errors.NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: Failed "
                               f"to find any matching files for {path}")
