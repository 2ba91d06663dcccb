"""tf.read_file / tf.write_file / tf.matching_files ops, tf.io.gfile, TFRecord files."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.train import crc


def test_read_write_file_ops(tmp_path):
    path = str(tmp_path / "sub" / "f.bin")
    content = tf.placeholder(tf.string, [])
    write = tf.write_file(path, content)
    read = tf.read_file(path)
    assert write.type == "WriteFile" and read.dtype == tf.string
    with tf.Session() as sess:
        sess.run(write, {content: b"\x00\x01abc"})
        assert sess.run(read) == b"\x00\x01abc"
        missing = tf.io.read_file(str(tmp_path / "nope"))
        with pytest.raises(tf.errors.NotFoundError, match="No such file"):
            sess.run(missing)


def test_png_file_pipeline(tmp_path):
    img = np.random.RandomState(0).randint(0, 256, (4, 5, 3)).astype(np.uint8)
    path = str(tmp_path / "x.png")
    with tf.Session() as sess:
        sess.run(tf.write_file(path, tf.image.encode_png(img)))
        back = sess.run(tf.image.decode_png(tf.read_file(path), channels=3))
    np.testing.assert_array_equal(back, img)


def test_matching_files(tmp_path):
    for n in ("b.txt", "a.txt", "c.dat"):
        (tmp_path / n).write_text("x")
    with tf.Session() as sess:
        got = sess.run(tf.matching_files(str(tmp_path / "*.txt")))
    assert [p.decode().rsplit("/", 1)[-1] for p in got] == ["a.txt", "b.txt"]


def test_gfile_namespace(tmp_path):
    d = str(tmp_path / "d")
    tf.io.gfile.makedirs(d)
    assert tf.io.gfile.isdir(d) and tf.io.gfile.exists(d)
    with tf.io.gfile.GFile(d + "/f", "w") as f:
        f.write("hi")
    assert tf.io.gfile.listdir(d) == ["f"]
    tf.io.gfile.rmtree(d)
    assert not tf.io.gfile.exists(d)


def test_tfrecord_round_trip_and_framing(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    with tf.python_io.TFRecordWriter(path) as w:
        w.write(b"first")
        w.write("second")
    assert list(tf.python_io.tf_record_iterator(path)) == [b"first", b"second"]
    raw = open(path, "rb").read()
    assert raw[:8] == (5).to_bytes(8, "little")
    assert int.from_bytes(raw[8:12], "little") == crc.masked_crc32c(raw[:8])
    assert int.from_bytes(raw[17:21], "little") == crc.masked_crc32c(b"first")
    with pytest.raises(ValueError):  # compressed files: tests/io/test_tf_record.py
        tf.io.TFRecordOptions("BZIP2")
