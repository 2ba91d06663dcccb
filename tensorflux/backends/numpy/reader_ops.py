"""numpy kernels for the readers (ops/reader_ops.py): record generators over local files.

A reader in `state.resources` keeps the records of its current file as a generator; when it
runs out, the next `read` dequeues another file name from the queue (blocking like a dequeue).
"""

import itertools
import threading

import numpy as np

from tensorflux import errors, tf_record
from tensorflux.backends.numpy.data_flow_ops import _Closed
from tensorflux.graph import protowire as pw
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
    """One reader: the records left in its current file, and TF's `ReaderBaseState` counters
    (work units started and finished, records produced, the current work unit's name)."""

    def __init__(self, records, attrs, ends_with_record=False):
        self.records_of = records
        self.attrs = attrs
        # A whole-file reader finishes its work unit with the record it produces; the others
        # notice the end of a file on the read after its last record (as TF's readers do).
        self.ends_with_record = ends_with_record
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.current, self.work = None, ""
        self.started = self.finished = self.produced = 0

    def read(self, queue):
        with self.lock:
            while True:
                if self.current is None:
                    name = np.asarray(queue.dequeue(1)[0][0])[()]
                    name = name.decode() if isinstance(name, bytes) else str(name)
                    self.work, self.started = name, self.started + 1
                    self.current = self.records_of(name, _read(name), self.attrs)
                rec = next(self.current, None)
                if rec is not None:
                    self.produced += 1
                    if self.ends_with_record:
                        self.current, self.finished = None, self.finished + 1
                    return rec
                self.current, self.finished = None, self.finished + 1

    def serialize(self):
        return (pw.encode_varint_field(1, self.started) if self.started else b"") + \
            (pw.encode_varint_field(2, self.finished) if self.finished else b"") + \
            (pw.encode_varint_field(3, self.produced) if self.produced else b"") + \
            (pw.encode_bytes_field(4, self.work.encode()) if self.work else b"")

    def restore(self, state, who):
        fields = {1: 0, 2: 0, 3: 0, 4: b""}
        try:
            for number, _, value in pw.iter_fields(state, {1: 0, 2: 0, 3: 0, 4: 2}):
                fields[number] = value
            started, finished, produced = (pw.to_signed64(fields[i]) for i in (1, 2, 3))
            work = fields[4].decode()
        except (ValueError, UnicodeDecodeError):
            raise ValueError("Could not parse state for %s: %s"
                             % (who, state.decode("latin-1"))) from None
        if min(started, finished, produced) < 0 or started - finished not in (0, 1):
            raise ValueError("Inconsistent work started vs. finished when restoring in %s"
                             % who)
        with self.lock:
            self.started, self.finished, self.produced, self.work = (started, finished,
                                                                     produced, work)
            self.current = (self.records_of(work, _read(work), self.attrs)
                            if started > finished else None)


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
            r = state.resources.setdefault(key, Reader(
                _FORMATS[op.type], op._attrs, ends_with_record=op.type == "WholeFileReaderV2"))
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


@kernel("ReaderReadUpToV2")
def _read_up_to(op):
    def run(state, reader, queue, num_records):
        keys, values = [], []
        try:
            while len(keys) < int(num_records):
                k, v = reader.read(queue)
                keys.append(k.encode())
                values.append(v)
        except _Closed as e:
            if not keys:
                raise op_error(e.cls, op, "%s\n\t [[{{node %s}}]]" % (e, op.name)) from None
        return [np.array(keys, dtype=object), np.array(values, dtype=object)]
    return run


@kernel("ReaderNumRecordsProducedV2")
def _num_records(op):
    return lambda state, reader: np.array(reader.produced, np.int64)


@kernel("ReaderNumWorkUnitsCompletedV2")
def _num_work_units(op):
    return lambda state, reader: np.array(reader.finished, np.int64)


def _reader_type(op):
    return op.inputs[0].op.type[:-len("ReaderV2")] + "Reader"


@kernel("ReaderSerializeStateV2")
def _serialize(op):
    def run(state, reader):
        if not reader.ends_with_record:  # TF serializes only WholeFileReader's state
            raise op_error(errors.UnimplementedError, op, "Reader SerializeState")
        with reader.lock:
            return np.array(reader.serialize(), dtype=object)
    return run


@kernel("ReaderRestoreStateV2")
def _restore(op):
    def run(state, reader, serialized):
        if not reader.ends_with_record:
            raise op_error(errors.UnimplementedError, op, "Reader RestoreState")
        serialized = np.asarray(serialized)[()]
        reader.restore(serialized if isinstance(serialized, bytes) else str(serialized).encode(),
                       "%s '%s'" % (_reader_type(op), op.inputs[0].op.name))
        return []
    return run


@kernel("ReaderResetV2")
def _reset(op):
    def run(state, reader):
        with reader.lock:
            reader.reset()
        return []
    return run
