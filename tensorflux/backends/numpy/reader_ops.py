"""numpy kernels for the readers (ops/reader_ops.py): record generators over local files.

A reader in `state.resources` keeps the records of its current file as a generator; when it
runs out, the next `read` dequeues another file name from the queue (blocking like a dequeue).
"""

import itertools
import threading

import numpy as np

from tensorflux import errors, tf_record
from tensorflux.backends.numpy.data_flow_ops import _Closed
from tensorflux.graph.operation import op_error
from tensorflux.ops.registry import kernel


def _whole_file(name, data, attrs):
    yield name, data


def _text_lines(name, data, attrs):
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, line in enumerate(lines):
        if i >= attrs["skip_header_lines"]:
            yield "%s:%d" % (name, i + 1), line[:-1] if line.endswith(b"\r") else line


def _fixed_length(name, data, attrs):
    size, hop = attrs["record_bytes"], attrs["hop_bytes"] or attrs["record_bytes"]
    end = len(data) - attrs["footer_bytes"]
    for i, pos in enumerate(itertools.count(attrs["header_bytes"], hop)):
        if pos + size > end:
            return
        yield "%s:%d" % (name, i), data[pos:pos + size]


def _tf_records(name, data, attrs):
    data = tf_record.decompress(data, attrs.get("compression_type", ""), name)
    for pos, body in tf_record.read_records(data, name):
        yield "%s:%d" % (name, pos), body


_FORMATS = {"WholeFileReaderV2": _whole_file, "TextLineReaderV2": _text_lines,
            "FixedLengthRecordReaderV2": _fixed_length, "TFRecordReaderV2": _tf_records}


class Reader:
    """One reader: the records left in its current file, and how many it produced."""

    def __init__(self, records, attrs):
        self.records_of = records
        self.attrs = attrs
        self.current = None
        self.produced = 0
        self.lock = threading.Lock()

    def read(self, queue):
        with self.lock:
            while True:
                if self.current is None:
                    name = np.asarray(queue.dequeue(1)[0][0])[()]
                    name = name.decode() if isinstance(name, bytes) else str(name)
                    self.current = self.records_of(name, _read(name), self.attrs)
                rec = next(self.current, None)
                if rec is not None:
                    self.produced += 1
                    return rec
                self.current = None


def _read(name):
    try:
        with open(name, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise _Closed(errors.NotFoundError, "%s; No such file or directory" % name) from None


def _reader_kernel(op):
    key = ("Reader", op.name)

    def run(state):
        r = state.resources.get(key)
        if r is None:
            r = state.resources.setdefault(key, Reader(_FORMATS[op.type], op._attrs))
        return r
    return run


for _t in _FORMATS:
    kernel(_t)(_reader_kernel)


@kernel("ReaderReadV2")
def _read_op(op):
    def run(state, reader, queue):
        try:
            k, v = reader.read(queue)
        except _Closed as e:
            raise op_error(e.cls, op, "%s\n\t [[{{node %s}}]]" % (e, op.name)) from None
        return [np.array(k.encode(), dtype=object), np.array(v, dtype=object)]
    return run


@kernel("ReaderNumRecordsProducedV2")
def _num_records(op):
    return lambda state, reader: np.array(reader.produced, np.int64)


@kernel("ReaderResetV2")
def _reset(op):
    def run(state, reader):
        with reader.lock:
            reader.current, reader.produced = None, 0
        return []
    return run
