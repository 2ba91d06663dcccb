"""TF1 readers: `tf.WholeFileReader`, `tf.TextLineReader`, `tf.FixedLengthRecordReader`,
`tf.TFRecordReader` (`tf.ReaderBase`).

A reader is an op (`WholeFileReaderV2`, ...) whose output is a resource handle; the reader
object lives in the session's resources (kernels in `backends/numpy/reader_ops.py`).
`reader.read(queue)` takes a file name from `queue` when it needs one and returns one record
as scalar strings `(key, value)`, with TF's keys ("file:record number" or "file:offset").
"""

from tensorflux.graph import dtypes, tensor_shape
from tensorflux.graph import graph as graph_lib
from tensorflux.ops import registry

ND = registry.NOT_DIFFERENTIABLE
_READERS = ("WholeFileReaderV2", "TextLineReaderV2", "FixedLengthRecordReaderV2",
            "TFRecordReaderV2")


def _scalar(dt):
    return (dt, tensor_shape.scalar())


for _t in _READERS:
    registry.register(_t, shape=lambda op: [_scalar(dtypes.resource)], grad=ND, stateful=True)
registry.register("ReaderReadV2", shape=lambda op: [_scalar(dtypes.string)] * 2, grad=ND,
                  stateful=True)
registry.register("ReaderReadUpToV2", shape=lambda op: [
    (dtypes.string, tensor_shape.TensorShape([None]))] * 2, grad=ND, stateful=True)
for _t in ("ReaderNumRecordsProducedV2", "ReaderNumWorkUnitsCompletedV2"):
    registry.register(_t, shape=lambda op: [_scalar(dtypes.int64)], grad=ND, stateful=True)
registry.register("ReaderSerializeStateV2", shape=lambda op: [_scalar(dtypes.string)], grad=ND,
                  stateful=True)
registry.register("ReaderRestoreStateV2", shape=lambda op: [], grad=ND, stateful=True)
registry.register("ReaderResetV2", shape=lambda op: [], grad=ND, stateful=True)


class ReaderBase:
    """Reads records from the files named by a queue of file names.

    Example:
        >>> key, value = tf.WholeFileReader().read(filename_queue)
    """

    def __init__(self, op_type, attrs, name, supports_serialize=False):
        g = graph_lib.get_default_graph()
        self._supports_serialize = supports_serialize
        attrs = dict(attrs, shared_name="", container="")
        self._reader_ref = g.create_op(op_type, [], attrs, name=name,
                                       op_def=registry.get(op_type)).outputs[0]
        self._graph = g

    @property
    def reader_ref(self):
        return self._reader_ref

    @property
    def supports_serialize(self):
        """Whether `serialize_state` / `restore_state` work (only for WholeFileReader)."""
        return self._supports_serialize

    def _op(self, op_type, inputs, name, converted=()):
        """`op_type` over the reader and `inputs`; `converted` are (value, dtype, input name)
        made tensors inside the op's scope (`ReaderReadUpToV2/num_records`), as TF does."""
        from tensorflux.ops import constant_op

        with self._graph.as_default(), self._graph.name_scope(name or op_type) as scope:
            inputs = inputs + [constant_op.convert_to_tensor(v, dtype=dt, name=n)
                               for v, dt, n in converted]
            return self._graph.create_op(op_type, [self._reader_ref] + inputs, {}, name=scope,
                                         op_def=registry.get(op_type))

    def read(self, queue, name=None):
        """The next record `(key, value)`; a new file name is dequeued from `queue` when the
        current file is done (OutOfRangeError once that queue is closed and empty)."""
        queue_ref = getattr(queue, "queue_ref", queue)
        key, value = self._op("ReaderReadV2", [queue_ref], name).outputs
        return key, value

    def read_up_to(self, queue, num_records, name=None):
        """Up to `num_records` records `(keys, values)` (1-D), fewer only at the end of the
        input."""
        queue_ref = getattr(queue, "queue_ref", queue)
        keys, values = self._op("ReaderReadUpToV2", [queue_ref], name,
                                [(num_records, dtypes.int64, "num_records")]).outputs
        return keys, values

    def num_records_produced(self, name=None):
        """How many records this reader has produced (an int64 scalar)."""
        return self._op("ReaderNumRecordsProducedV2", [], name).outputs[0]

    def num_work_units_completed(self, name=None):
        """How many work units (files) this reader has finished (an int64 scalar)."""
        return self._op("ReaderNumWorkUnitsCompletedV2", [], name).outputs[0]

    def serialize_state(self, name=None):
        """The reader's state as a string (a `ReaderBaseState` proto); UnimplementedError
        when run for a reader that does not support it."""
        return self._op("ReaderSerializeStateV2", [], name).outputs[0]

    def restore_state(self, state, name=None):
        """An op that sets the reader's state from a `serialize_state` string."""
        return self._op("ReaderRestoreStateV2", [], name, [(state, dtypes.string, "state")])

    def reset(self, name=None):
        """An op that sets the reader back to its initial state (counters at 0)."""
        return self._op("ReaderResetV2", [], name)


class WholeFileReader(ReaderBase):
    """Each file is one record: key = the file name, value = its contents."""

    def __init__(self, name=None):
        super().__init__("WholeFileReaderV2", {}, name or "WholeFileReaderV2",
                         supports_serialize=True)


class TextLineReader(ReaderBase):
    """Each line is one record (without its newline); key = "file:line number" (from 1)."""

    def __init__(self, skip_header_lines=None, name=None):
        super().__init__("TextLineReaderV2", {"skip_header_lines": int(skip_header_lines or 0)},
                         name or "TextLineReaderV2")


class FixedLengthRecordReader(ReaderBase):
    """Records of `record_bytes` bytes, after `header_bytes` and before `footer_bytes`.

    Example:
        >>> reader = tf.FixedLengthRecordReader(record_bytes=1 + 32 * 32 * 3)   # CIFAR-10
    """

    def __init__(self, record_bytes, header_bytes=None, footer_bytes=None, hop_bytes=None,
                 name=None, encoding=None):
        if encoding:
            raise NotImplementedError("compressed FixedLengthRecordReader input is not "
                                      "supported by tensorflux")
        attrs = {"record_bytes": int(record_bytes), "header_bytes": int(header_bytes or 0),
                 "footer_bytes": int(footer_bytes or 0), "hop_bytes": int(hop_bytes or 0)}
        super().__init__("FixedLengthRecordReaderV2", attrs, name or "FixedLengthRecordReaderV2")


class TFRecordReader(ReaderBase):
    """The records of TFRecord files; key = "file:byte offset of the record"."""

    def __init__(self, name=None, options=None):
        from tensorflux.tf_record import compression_string

        super().__init__("TFRecordReaderV2", {"compression_type": compression_string(options)},
                         name or "TFRecordReaderV2")


__all__ = ["ReaderBase", "WholeFileReader", "TextLineReader", "FixedLengthRecordReader",
           "TFRecordReader"]
