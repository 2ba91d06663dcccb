"""Reader for V1 checkpoints: single SSTable files of `SavedTensorSlices` protos (pre-2017).

The 2016 TF-Slim releases (vgg_16.ckpt, resnet_v1_50.ckpt, inception_v3.ckpt...) use this
format (saved_tensor_slice.proto):

    SavedTensorSlices    { SavedTensorSliceMeta meta = 1; SavedSlice data = 2; }
    SavedTensorSliceMeta { repeated SavedSliceMeta tensor = 1; VersionDef versions = 2; }
    SavedSliceMeta       { string name = 1; TensorShapeProto shape = 2; DataType type = 3;
                           repeated TensorSliceProto slice = 4; }
    SavedSlice           { string name = 1; TensorSliceProto slice = 2; TensorProto data = 3; }

Key "" holds the meta; every other key (an ordered-code name + slice) holds one slice, its
values in the TensorProto's typed repeated field. Slices are put back together on read.
"""

import glob
import os

from tensorflux import errors
from tensorflux.graph import protowire as pw
from tensorflux.train import checkpoint_protos as protos
from tensorflux.train import sstable, tensor_slices
from tensorflux.train.checkpoint_reader import CheckpointReader

_L, _V = pw.WIRE_LEN, pw.WIRE_VARINT
_SLICES_WIRE = {1: _L, 2: _L}  # SavedTensorSlices
_META_WIRE = {1: _L, 2: _L}  # SavedTensorSliceMeta
_SLICE_META_WIRE = {1: _L, 2: _L, 3: _V, 4: _L}  # SavedSliceMeta
_SAVED_SLICE_WIRE = {1: _L, 2: _L, 3: _L}  # SavedSlice


def _decode_slice_meta(buf):
    name, shape, dtype = "", (), 0
    for number, _, value in pw.iter_fields(buf, _SLICE_META_WIRE):
        if number == 1:
            name = value.decode("utf-8")
        elif number == 2:
            shape = protos.decode_shape(value)
        elif number == 3:
            dtype = value
    return name, shape, dtype


def _decode_saved_slice(buf):
    name, extents, data = "", [], b""
    for number, _, value in pw.iter_fields(buf, _SAVED_SLICE_WIRE):
        if number == 1:
            name = value.decode("utf-8")
        elif number == 2:
            extents = protos.decode_slice(value)
        elif number == 3:
            data = value
    return name, extents, data


def _read_file(path, meta, pieces):
    """Adds the tensors of one V1 file to `meta` and their slices to `pieces`."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"V1 checkpoint file {path} not found") from None
    table = sstable.read_table(data, path)
    del data
    if not table or table[0][0] != b"":
        raise errors.DataLossError(None, None, f"{path}: not a V1 checkpoint (no metadata entry)")
    try:
        for number, _, value in pw.iter_fields(table[0][1], _SLICES_WIRE):
            if number != 1:  # SavedTensorSlices.meta
                continue
            for meta_number, _, meta_value in pw.iter_fields(value, _META_WIRE):
                if meta_number == 1:  # SavedTensorSliceMeta.tensor
                    name, shape, dtype = _decode_slice_meta(meta_value)
                    meta[name] = (dtype, shape)
        for _, value in table[1:]:
            for number, _, field_value in pw.iter_fields(value, _SLICES_WIRE):
                if number == 2:
                    name, extents, proto = _decode_saved_slice(field_value)
                    pieces.setdefault(name, []).append((path, extents, proto))
    except (ValueError, UnicodeDecodeError) as e:
        raise errors.DataLossError(None, None, f"{path}: not a valid V1 checkpoint: {e}") from None


class V1Reader(CheckpointReader):
    """Reads a V1 checkpoint; see `read_v1`."""

    def __init__(self, path):
        paths = [path] if os.path.isfile(path) else sorted(glob.glob(path))
        if not paths:
            raise errors.NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: "
                                       f"Failed to find any matching files for {path}")
        self._types = {}
        self._pieces = {}
        for file_path in paths:
            _read_file(file_path, self._types, self._pieces)
        super().__init__(path, {name: (protos.dtype_name(dtype), shape)
                                for name, (dtype, shape) in self._types.items()})

    def _read(self, name):
        dtype, shape = self._types[name]
        pieces = []
        for path, extents, proto in self._pieces.get(name, []):
            try:
                expected = tensor_slices.slice_shape(extents, shape)
                piece_dtype, array = protos.decode_tensor_proto(proto, dtype, expected)
                if piece_dtype != dtype:
                    raise ValueError(f"slice has dtype {protos.dtype_name(piece_dtype)}, the "
                                     f"metadata says {protos.dtype_name(dtype)}")
                array = array.reshape(expected)
            except ValueError as e:
                raise errors.DataLossError(None, None, f"{path}: tensor {name!r}: {e}") from None
            if dtype == protos.DT_BFLOAT16:
                array = protos.bfloat16_bits_to_float32(array)
            pieces.append((extents, array))
        if len(pieces) == 1 and all(length is None for _, length in pieces[0][0]):
            return pieces[0][1]
        if dtype == protos.DT_STRING:
            np_dtype = object
        elif dtype == protos.DT_BFLOAT16:
            np_dtype = "float32"
        else:
            np_dtype = protos.STORAGE_DTYPES[dtype].newbyteorder("=")
        try:
            return tensor_slices.assemble(shape, np_dtype, pieces)
        except ValueError as e:
            raise errors.DataLossError(None, None, f"{self.path}: tensor {name!r}: {e}") from None


def read_v1(path):
    """Opens a V1 checkpoint file (or a glob pattern matching its shards).

    Args:
        path: E.g. "vgg_16.ckpt" or "model.ckpt-1000-?????-of-00002".

    Returns:
        A `V1Reader` with the same interface as `read_bundle`'s reader.

    Raises:
        NotFoundError: If no file matches.
        DataLossError: If a file is corrupted or is not a V1 checkpoint.

    Example:
        >>> read_v1("vgg_16.ckpt").get_tensor("vgg_16/fc8/biases").shape  # doctest: +SKIP
        (1000,)
    """
    return V1Reader(path)
