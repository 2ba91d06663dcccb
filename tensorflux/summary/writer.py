"""`tf.summary.FileWriter` and `FileWriterCache`: TensorBoard event files.

A FileWriter creates `<logdir>/events.out.tfevents.<unix seconds>.<hostname>[suffix]`, writes
the `brain.Event:2` file-version event first, then one Event record per call (see
`record_io.py` for the framing). Summaries come as the serialized `Summary` bytes a summary op
evaluates to, or as `tf.Summary` objects.

Example:
    >>> writer = tf.summary.FileWriter("/tmp/logs", sess.graph)
    >>> writer.add_summary(sess.run(merged), global_step=step)
    >>> writer.close()
"""

import os
import socket
import threading
import time

import numpy as np

from tensorflux.summary import proto, record_io

_FILE_VERSION = "brain.Event:2"


class EventFileWriter:
    """Writes Event protos to a new event file; flushes every `max_queue` events or
    `flush_secs` seconds, and on `flush()`/`close()`."""

    def __init__(self, logdir, max_queue=10, flush_secs=120, filename_suffix=None):
        self._logdir = os.fspath(logdir)
        os.makedirs(self._logdir, exist_ok=True)
        self._max_queue = max(int(max_queue), 1)
        self._flush_secs = flush_secs
        self._suffix = filename_suffix or ""
        self._lock = threading.Lock()
        self._writer = None
        self._open()

    def _open(self):
        name = "events.out.tfevents.%010d.%s%s" % (int(time.time()), socket.gethostname(),
                                                    self._suffix)
        self._path = os.path.join(self._logdir, name)
        self._writer = record_io.RecordWriter(self._path)
        self._pending = 0
        self._last_flush = time.time()
        self._closed = False
        self._write(proto.Event(wall_time=time.time(), file_version=_FILE_VERSION))
        self.flush()

    def get_logdir(self):
        return self._logdir

    def get_filename(self):
        return self._path

    def add_event(self, event):
        if self._closed:
            return
        self._write(event)

    def _write(self, event):
        data = event if isinstance(event, bytes) else event.SerializeToString()
        with self._lock:
            self._writer.write(data)
            self._pending += 1
            if self._pending >= self._max_queue or \
                    time.time() - self._last_flush >= self._flush_secs:
                self._flush_locked()

    def _flush_locked(self):
        self._writer.flush()
        self._pending = 0
        self._last_flush = time.time()

    def flush(self):
        if not self._closed:
            with self._lock:
                self._flush_locked()

    def close(self):
        if not self._closed:
            with self._lock:
                self._writer.close()
            self._closed = True

    def reopen(self):
        """Starts a new event file after `close()` (TF opens a new file too)."""
        if self._closed:
            self._open()


class FileWriter:
    """Writes summaries, graphs and session logs to an event file in `logdir`.

    Args:
        logdir: The directory (created if needed).
        graph: A `tf.Graph` to write at once (as TF1 does: a graph_def and a meta_graph_def
            event).
        max_queue, flush_secs: When pending events are flushed to disk.
        graph_def: Deprecated: a GraphDef to write instead of `graph`.
        filename_suffix: Appended to the event file name.
        session: Not supported (TF's summary-ops-v2 writer).
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        if session is not None:
            raise NotImplementedError("FileWriter(session=...) is not supported by tensorflux")
        self.event_writer = EventFileWriter(logdir, max_queue, flush_secs, filename_suffix)
        self._seen_summary_tags = set()
        self._closed = False
        if graph is not None or graph_def is not None:
            self.add_graph(graph=graph, graph_def=graph_def)
            if graph is not None:
                self.add_meta_graph(_meta_graph_bytes(graph))

    def get_logdir(self):
        return self.event_writer.get_logdir()

    # --- adding things ---------------------------------------------------------------------
    def add_summary(self, summary, global_step=None):
        """Adds a serialized `Summary` (bytes, what a summary op returns) or a Summary proto.

        Plugin metadata is written only with the first value of each tag (as TF does).
        """
        if isinstance(summary, np.ndarray):  # a summary op's value fetched in a list
            summary = summary.item()
        if isinstance(summary, (bytes, bytearray)):
            summary = proto.Summary.FromString(bytes(summary))
        else:  # a Summary proto (ours or protobuf's): work on a copy
            summary = proto.Summary.FromString(summary.SerializeToString())
        for value in summary.value:
            if not value.HasField("metadata"):
                continue
            if value.tag in self._seen_summary_tags:
                value.ClearField("metadata")
                continue
            self._seen_summary_tags.add(value.tag)
        self._add_event(proto.Event(summary=summary), global_step)

    def add_session_log(self, session_log, global_step=None):
        self._add_event(proto.Event(session_log=session_log), global_step)

    def add_event(self, event):
        """Adds an Event proto as it is."""
        if not isinstance(event, proto.Event):
            event = proto.Event.FromString(event.SerializeToString() if hasattr(
                event, "SerializeToString") else event)
        self.event_writer.add_event(event)

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Writes a graph (TensorBoard's Graphs tab) as a serialized GraphDef event."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if graph is not None:
            if not hasattr(graph, "as_graph_def"):
                raise TypeError("graph must be a tf.Graph, got %s" % type(graph).__name__)
            graph_def = graph.as_graph_def()
        if graph_def is None:
            raise ValueError("Either graph or graph_def must be given.")
        data = graph_def if isinstance(graph_def, bytes) else graph_def.SerializeToString()
        self._add_event(proto.Event(graph_def=data), global_step)

    def add_meta_graph(self, meta_graph_def, global_step=None):
        data = meta_graph_def if isinstance(meta_graph_def, bytes) else \
            meta_graph_def.SerializeToString()
        self._add_event(proto.Event(meta_graph_def=data), global_step)

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        data = run_metadata if isinstance(run_metadata, bytes) else \
            run_metadata.SerializeToString() if hasattr(run_metadata, "SerializeToString") \
            else b""
        tagged = proto.TaggedRunMetadata(tag=tag, run_metadata=data)
        self._add_event(proto.Event(tagged_run_metadata=tagged), global_step)

    def _add_event(self, event, step):
        event.wall_time = time.time()
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)

    # --- lifecycle ---------------------------------------------------------------------------
    def flush(self):
        self.event_writer.flush()

    def close(self):
        self.event_writer.close()
        self._closed = True

    def reopen(self):
        self.event_writer.reopen()
        self._closed = False

    def __enter__(self):
        return self

    def __exit__(self, *unused):
        self.close()


def _meta_graph_bytes(graph):
    from tensorflux.graph import graph_def

    return graph_def.meta_graph_def_bytes(graph)


class FileWriterCache:
    """One FileWriter per log directory, shared (as TF's `tf.summary.FileWriterCache`)."""

    _cache = {}
    _lock = threading.RLock()

    @staticmethod
    def get(logdir):
        with FileWriterCache._lock:
            key = os.fspath(logdir)
            if key not in FileWriterCache._cache:
                from tensorflux.graph import graph as graph_lib

                FileWriterCache._cache[key] = FileWriter(
                    key, graph=graph_lib.get_default_graph())
            return FileWriterCache._cache[key]

    @staticmethod
    def clear():
        with FileWriterCache._lock:
            for writer in FileWriterCache._cache.values():
                writer.close()
            FileWriterCache._cache = {}


def summary_iterator(path):
    """Yields the Event protos of an event file (`tf.train.summary_iterator`)."""
    for data in record_io.iter_records(os.fspath(path)):
        yield proto.Event.FromString(data)
