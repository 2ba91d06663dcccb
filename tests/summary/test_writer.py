"""tf.summary.FileWriter: event file name, record framing and CRCs, the events TF1 writes, and
reading TF's own event file back."""

import glob
import os
import re
import socket
import struct

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.graph import protowire as pw
from tensorflux.summary import record_io
from tensorflux.train import crc

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "summary", "events")


def _events(logdir):
    [path] = glob.glob(os.path.join(str(logdir), "events.out.tfevents.*"))
    return path, list(tf.train.summary_iterator(path))


def _raw_records(path):
    """Record framing checked by hand: length, masked CRC of the length, data, masked CRC."""
    out = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack("<Q", data[pos:pos + 8])
        (len_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        assert len_crc == crc.masked_crc32c(data[pos:pos + 8])
        body = data[pos + 12:pos + 12 + length]
        (body_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        assert body_crc == crc.masked_crc32c(body)
        out.append(body)
        pos += 16 + length
    return out


def test_file_writer_with_graph_and_scalars(tmp_path):
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [], name="x")
        y = tf.multiply(x, 2.0, name="y")
        s = tf.summary.scalar("y", y)
        writer = tf.summary.FileWriter(str(tmp_path / "logs"), g)
        assert writer.get_logdir() == str(tmp_path / "logs")
        with tf.Session() as sess:
            for step in (1, 2):
                writer.add_summary(sess.run(s, {x: float(step)}), step)
        writer.close()
    path, events = _events(tmp_path / "logs")
    name = os.path.basename(path)
    assert re.fullmatch(r"events\.out\.tfevents\.\d{10}\.%s" % re.escape(socket.gethostname()),
                        name)
    assert [e.WhichOneof("what") for e in events] == [
        "file_version", "graph_def", "meta_graph_def", "summary", "summary"]
    assert events[0].file_version == "brain.Event:2"
    assert all(e.wall_time > 1e9 for e in events)
    nodes = [pw.iter_fields(b) for n, _, b in pw.iter_fields(events[1].graph_def) if n == 1]
    names = [dict((k, v) for k, _, v in node)[1] for node in nodes]
    assert b"x" in names and b"y" in names and b"y_1" in names  # y_1: the summary op
    scalars = [(e.step, e.summary.value[0].tag, e.summary.value[0].simple_value)
               for e in events[3:]]
    assert scalars == [(1, "y_1", 2.0), (2, "y_1", 4.0)]  # as TF: op y exists
    assert len(_raw_records(path)) == 5


def test_add_summary_proto_session_log_and_flush(tmp_path):
    writer = tf.summary.FileWriter(str(tmp_path), filename_suffix=".v1")
    writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag="acc", simple_value=0.5)]), 7)
    writer.add_session_log(tf.SessionLog(status=tf.SessionLog.START), 8)
    writer.add_event(tf.Event(step=9, file_version="custom"))
    writer.flush()
    path, events = _events(tmp_path)  # readable before close()
    assert path.endswith(".v1") and len(events) == 4
    assert events[1].step == 7 and events[1].summary.value[0].simple_value == 0.5
    assert events[2].session_log.status == tf.SessionLog.START
    assert events[3].step == 9
    writer.close()
    writer.close()  # closing twice is fine


def test_plugin_metadata_written_once_per_tag(tmp_path):
    with tf.Graph().as_default():
        t = tf.summary.text("note", tf.constant("hi"))
        writer = tf.summary.FileWriter(str(tmp_path))
        with tf.Session() as sess:
            for step in range(2):
                writer.add_summary(sess.run(t), step)
        writer.close()
    _, events = _events(tmp_path)
    first, second = events[1].summary.value[0], events[2].summary.value[0]
    assert first.metadata.plugin_data.plugin_name == "text"
    assert not second.HasField("metadata")
    assert second.tensor.string_val == [b"hi"]


def test_context_manager_and_reopen(tmp_path):
    with tf.summary.FileWriter(str(tmp_path)) as w:
        w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="a", simple_value=1.0)]))
    assert len(glob.glob(str(tmp_path / "events.*"))) == 1
    w.add_summary(tf.Summary(value=[tf.Summary.Value(tag="b", simple_value=1.0)]))  # dropped
    _, events = _events(tmp_path)
    assert len(events) == 2


def test_file_writer_cache(tmp_path):
    a = tf.summary.FileWriterCache.get(str(tmp_path))
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is a
    tf.summary.FileWriterCache.clear()
    assert tf.summary.FileWriterCache.get(str(tmp_path)) is not a
    tf.summary.FileWriterCache.clear()


def test_reads_tf_event_file():
    path = os.path.join(FIX, "events.out.tfevents.0000000000.tf")
    events = list(tf.train.summary_iterator(path))
    kinds = [e.WhichOneof("what") for e in events]
    assert kinds[0] == "file_version" and events[0].file_version == "brain.Event:2"
    assert "graph_def" in kinds and "meta_graph_def" in kinds
    scalars = [(e.step, v.tag, v.simple_value) for e in events if e.HasField("summary")
               for v in e.summary.value if v.WhichOneof("value") == "simple_value"]
    assert scalars == [(1, "y_1", 2.0), (2, "y_1", 4.0)]  # as TF: op y exists
    [histo] = [v.histo for e in events if e.HasField("summary") for v in e.summary.value
               if v.HasField("histo")]
    assert (histo.min, histo.max, histo.num, histo.sum) == (1.0, 3.0, 3.0, 6.0)
    assert len(_raw_records(path)) == len(events)


def test_corrupt_record_is_data_loss(tmp_path):
    path = tmp_path / "events.out.tfevents.1.x"
    good = record_io.encode_record(b"hello")
    bad = bytearray(good)
    bad[14] ^= 0xFF
    path.write_bytes(good + bytes(bad))
    with pytest.raises(tf.errors.DataLossError):
        list(record_io.iter_records(str(path)))
    path.write_bytes(good + good[:7])  # a record still being written: ignored
    assert list(record_io.iter_records(str(path))) == [b"hello"]


def test_image_summary_written_and_decoded(tmp_path):
    img = np.zeros((1, 2, 3, 3), np.uint8)
    img[0, 1, 2] = [10, 20, 30]
    with tf.Graph().as_default():
        s = tf.summary.image("pic", tf.constant(img), max_outputs=1)
        writer = tf.summary.FileWriter(str(tmp_path))
        with tf.Session() as sess:
            writer.add_summary(sess.run(s), 0)
        writer.close()
    _, events = _events(tmp_path)
    value = events[1].summary.value[0]
    assert value.tag == "pic/image" and value.image.colorspace == 3
    from tensorflux.utils import png

    np.testing.assert_array_equal(png.decode_png(value.image.encoded_image_string), img[0])
