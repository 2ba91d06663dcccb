"""LevelDB-format sorted string tables (SSTables), the container of checkpoint `.index` files.

Layout (tsl/lib/io/table_format.txt): `data block* | metaindex block | index block | footer`.
Each block is a run of prefix-compressed entries plus a restart array, followed by a 5-byte
trailer (compression type, masked CRC-32C of block + type). The index block maps a separator
key >= every key of a data block to that block's handle `(offset, size)`; the 48-byte footer
holds the metaindex and index handles and a magic number.

`TableBuilder` reproduces TF's writer decision for decision (block flushing, restart points,
separator keys) so that the bytes match TF's; `read_table` checks every CRC and bound.
"""

import struct

from tensorflux import errors
from tensorflux.graph import protowire
from tensorflux.train import crc

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48  # two BlockHandles padded to 2 * 20 bytes, then the 8-byte magic
BLOCK_TRAILER_SIZE = 5
NO_COMPRESSION = 0
SNAPPY_COMPRESSION = 1
DEFAULT_BLOCK_SIZE = 262144
DEFAULT_RESTART_INTERVAL = 16


class BlockBuilder:
    """Accumulates sorted entries into one block with shared-prefix compression."""

    def __init__(self, restart_interval):
        self._restart_interval = restart_interval
        self.reset()

    def reset(self):
        """Empties the block."""
        self._buffer = bytearray()
        self._restarts = [0]
        self._counter = 0
        self._last_key = b""

    @property
    def empty(self):
        return not self._buffer

    def add(self, key, value):
        """Appends an entry; `key` must sort after the previous key of this block."""
        shared = 0
        if self._counter < self._restart_interval:
            limit = min(len(self._last_key), len(key))
            while shared < limit and self._last_key[shared] == key[shared]:
                shared += 1
        else:
            self._restarts.append(len(self._buffer))
            self._counter = 0
        self._buffer += protowire.encode_varint(shared)
        self._buffer += protowire.encode_varint(len(key) - shared)
        self._buffer += protowire.encode_varint(len(value))
        self._buffer += key[shared:]
        self._buffer += value
        self._last_key = key
        self._counter += 1

    def size_estimate(self):
        """Returns the size the finished block would have (before its trailer)."""
        return len(self._buffer) + 4 * len(self._restarts) + 4

    def finish(self):
        """Returns the block's bytes: entries, restart offsets, restart count."""
        restarts = struct.pack(f"<{len(self._restarts)}I", *self._restarts)
        return bytes(self._buffer) + restarts + struct.pack("<I", len(self._restarts))


def _shortest_separator(start, limit):
    # A short key k with start <= k < limit (TF's BytewiseComparator::FindShortestSeparator).
    min_length = min(len(start), len(limit))
    i = 0
    while i < min_length and start[i] == limit[i]:
        i += 1
    if i < min_length and start[i] < 0xFF and start[i] + 1 < limit[i]:
        return start[:i] + bytes([start[i] + 1])
    return start


def _short_successor(key):
    # A short key k >= key (TF's FindShortSuccessor): bump the first byte that is not 0xff.
    for i, byte in enumerate(key):
        if byte != 0xFF:
            return key[:i] + bytes([byte + 1])
    return key


def _encode_handle(offset, size):
    return protowire.encode_varint(offset) + protowire.encode_varint(size)


class TableBuilder:
    """Builds an uncompressed SSTable in memory, byte-identical to TF's `table::TableBuilder`.

    Example:
        >>> builder = TableBuilder()
        >>> builder.add(b"a", b"1")
        >>> data = builder.finish()
        >>> read_table(data, "mem")
        [(b'a', b'1')]
    """

    def __init__(self, block_size=DEFAULT_BLOCK_SIZE, restart_interval=DEFAULT_RESTART_INTERVAL):
        self._block_size = block_size
        self._out = bytearray()
        self._data_block = BlockBuilder(restart_interval)
        self._index_block = BlockBuilder(1)
        self._last_key = None
        self._pending_handle = None  # set after a data block is flushed, until the next key

    def add(self, key, value):
        """Adds an entry. Keys must be bytes in strictly increasing bytewise order."""
        key, value = bytes(key), bytes(value)
        if self._last_key is not None:
            if key <= self._last_key:
                raise ValueError(f"table keys out of order: {key!r} after {self._last_key!r}")
            # An overly large entry gets a block of its own rather than a huge shared block.
            if len(key) + len(value) >= 2 * self._block_size:
                self._flush()
        if self._pending_handle is not None:
            separator = _shortest_separator(self._last_key, key)
            self._index_block.add(separator, _encode_handle(*self._pending_handle))
            self._pending_handle = None
        self._last_key = key
        self._data_block.add(key, value)
        if self._data_block.size_estimate() >= self._block_size:
            self._flush()

    def _flush(self):
        if self._data_block.empty:
            return
        self._pending_handle = self._write_block(self._data_block)

    def _write_block(self, block):
        contents = block.finish()
        block.reset()
        handle = (len(self._out), len(contents))
        type_byte = bytes([NO_COMPRESSION])
        checksum = crc.mask(crc.crc32c_extend(crc.crc32c(contents), type_byte))
        self._out += contents + type_byte + struct.pack("<I", checksum)
        return handle

    def finish(self):
        """Writes the last data block, the metaindex and index blocks and the footer.

        Returns:
            The complete table as bytes.
        """
        self._flush()
        metaindex_handle = self._write_block(BlockBuilder(DEFAULT_RESTART_INTERVAL))
        if self._pending_handle is not None:
            successor = _short_successor(self._last_key)
            self._index_block.add(successor, _encode_handle(*self._pending_handle))
            self._pending_handle = None
        index_handle = self._write_block(self._index_block)
        footer = _encode_handle(*metaindex_handle) + _encode_handle(*index_handle)
        footer = footer.ljust(FOOTER_SIZE - 8, b"\0") + struct.pack("<Q", TABLE_MAGIC)
        self._out += footer
        return bytes(self._out)


def _read_block(data, offset, size, filename, what):
    end = offset + size + BLOCK_TRAILER_SIZE
    if offset < 0 or end > len(data) - FOOTER_SIZE:
        raise errors.DataLossError(
            None, None, f"{filename}: {what} at offset {offset} (size {size}) lies outside the "
            f"table ({len(data)} bytes); the file is truncated or corrupted")
    contents = data[offset:offset + size]
    type_byte = data[offset + size]
    (stored,) = struct.unpack_from("<I", data, offset + size + 1)
    actual = crc.crc32c_extend(crc.crc32c(contents), bytes([type_byte]))
    if crc.unmask(stored) != actual:
        raise errors.DataLossError(
            None, None, f"{filename}: block checksum mismatch in {what} at offset {offset}")
    if type_byte == SNAPPY_COMPRESSION:
        raise errors.UnimplementedError(
            None, None, f"{filename}: {what} is snappy-compressed, which tensorflux cannot read "
            "(TF has not written compressed checkpoint blocks since 1.2)")
    if type_byte != NO_COMPRESSION:
        raise errors.DataLossError(
            None, None, f"{filename}: bad block type {type_byte} in {what} at offset {offset}")
    return contents


def _parse_block(contents, filename, what):
    """Decodes a block's entries into a list of `(key, value)` pairs."""
    def corrupt(detail):
        return errors.DataLossError(None, None, f"{filename}: corrupted {what}: {detail}")

    if len(contents) < 4:
        raise corrupt("block shorter than its restart count")
    (num_restarts,) = struct.unpack_from("<I", contents, len(contents) - 4)
    limit = len(contents) - 4 * (num_restarts + 1)
    if num_restarts == 0 or limit < 0:
        raise corrupt(f"bad restart count {num_restarts}")
    entries = []
    key = b""
    pos = 0
    try:
        while pos < limit:
            shared, pos = protowire.decode_varint(contents, pos)
            non_shared, pos = protowire.decode_varint(contents, pos)
            value_len, pos = protowire.decode_varint(contents, pos)
            if shared > len(key) or pos + non_shared + value_len > limit:
                raise corrupt(f"bad entry at offset {pos}")
            key = key[:shared] + contents[pos:pos + non_shared]
            pos += non_shared
            entries.append((key, contents[pos:pos + value_len]))
            pos += value_len
    except ValueError as e:
        raise corrupt(str(e)) from None
    return entries


def _decode_handle(buf, pos, filename, what):
    try:
        offset, pos = protowire.decode_varint(buf, pos)
        size, pos = protowire.decode_varint(buf, pos)
    except ValueError:
        raise errors.DataLossError(None, None, f"{filename}: bad block handle in {what}") from None
    return offset, size, pos


def read_index(data, filename):
    """Reads a table's footer and index block.

    Args:
        data: The whole file's bytes.
        filename: Used in error messages.

    Returns:
        One `(separator_key, offset, size)` per data block, in order.

    Raises:
        DataLossError: On a bad magic number, truncation or a CRC mismatch.
    """
    if len(data) < FOOTER_SIZE:
        raise errors.DataLossError(
            None, None, f"{filename}: file too short ({len(data)} bytes) to be a checkpoint "
            "table; it is truncated or not a checkpoint")
    (magic,) = struct.unpack_from("<Q", data, len(data) - 8)
    if magic != TABLE_MAGIC:
        raise errors.DataLossError(
            None, None, f"{filename}: not an sstable (bad magic number); the file is truncated, "
            "corrupted or not a checkpoint")
    _, _, pos = _decode_handle(data, len(data) - FOOTER_SIZE, filename, "footer")
    index_offset, index_size, _ = _decode_handle(data, pos, filename, "footer")
    index = _read_block(data, index_offset, index_size, filename, "index block")
    handles = []
    for key, handle in _parse_block(index, filename, "index block"):
        offset, size, _ = _decode_handle(handle, 0, filename, "index block")
        handles.append((key, offset, size))
    return handles


def read_table(data, filename):
    """Reads every entry of an SSTable, verifying all block checksums.

    Args:
        data: The whole file's bytes.
        filename: Used in error messages.

    Returns:
        A list of `(key, value)` bytes pairs in key order.

    Raises:
        DataLossError: On a bad magic number, truncation, a CRC mismatch or malformed blocks.
        UnimplementedError: If a block is snappy-compressed.
    """
    entries = []
    for separator, offset, size in read_index(data, filename):
        block = _read_block(data, offset, size, filename, "data block")
        for key, value in _parse_block(block, filename, "data block"):
            if (entries and key <= entries[-1][0]) or key > separator:
                raise errors.DataLossError(None, None, f"{filename}: table keys out of order")
            entries.append((key, value))
    return entries
