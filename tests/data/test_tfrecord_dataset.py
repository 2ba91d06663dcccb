"""TFRecord files end to end: TF-written files (plain, GZIP, ZLIB) read by tf_record_iterator,
tf.data.TFRecordDataset and tf.TFRecordReader; our writer's files read back; and a JPEG image
pipeline (write Examples, read with TFRecordDataset or a reader + queues, parse, decode, batch)."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

HERE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "example")
RECORDS = [bytes.fromhex(h) for h in json.load(open(os.path.join(HERE, "example.json")))
           ["records"]]
FILES = [("records.tfrecord", None), ("records.tfrecord.gz", "GZIP"),
         ("records.tfrecord.zlib", "ZLIB")]


def _dataset_values(ds, n):
    nxt = ds.make_one_shot_iterator().get_next()
    with tf.Session() as sess:
        got = [sess.run(nxt) for _ in range(n)]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(nxt)
    return got


@pytest.mark.parametrize("name, compression", FILES)
def test_tf_written_files(name, compression):
    path = os.path.join(HERE, name)
    options = tf.python_io.TFRecordOptions(compression)
    assert list(tf.python_io.tf_record_iterator(path, options)) == RECORDS
    ds = tf.data.TFRecordDataset([path], compression_type=compression or "")
    assert ds.output_types == tf.string and ds.output_shapes.as_list() == []
    assert _dataset_values(ds, len(RECORDS)) == RECORDS


@pytest.mark.parametrize("compression", ["", "GZIP", "ZLIB"])
def test_writer_round_trip_and_reader(tmp_path, compression):
    path = str(tmp_path / "out.tfrecord")
    options = tf.io.TFRecordOptions(compression)
    with tf.io.TFRecordWriter(path, options) as writer:
        for record in RECORDS:
            writer.write(record)
    assert list(tf.io.tf_record_iterator(path, options)) == RECORDS
    if compression == "":
        assert open(path, "rb").read() == open(os.path.join(HERE, FILES[0][0]), "rb").read()
    files = tf.train.string_input_producer([path], num_epochs=1, shuffle=False)
    key, value = tf.TFRecordReader(options=options).read(files)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        got = [sess.run([key, value]) for _ in RECORDS]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(value)
        coord.request_stop()
        coord.join(threads)
    assert [v for _, v in got] == RECORDS
    assert got[1][0] == ("%s:%d" % (path, 16 + len(RECORDS[0]))).encode()


def test_two_files_in_order(tmp_path):
    paths = [str(tmp_path / ("%d.tfrecord" % i)) for i in range(2)]
    for i, path in enumerate(paths):
        with tf.python_io.TFRecordWriter(path) as writer:
            writer.write(b"file %d" % i)
    names = tf.placeholder(tf.string, [None])
    it = tf.data.TFRecordDataset(names).make_initializable_iterator()
    with tf.Session() as sess:
        sess.run(it.initializer, {names: paths})
        assert [sess.run(it.get_next()) for _ in paths] == [b"file 0", b"file 1"]


# --- an image classification / detection pipeline ------------------------------------------
def _images():
    rng = np.random.default_rng(0)
    return [np.kron(rng.integers(0, 255, (4, 4, 3)), np.ones((4, 4, 1))).astype(np.uint8)
            for _ in range(4)]


def _write_images(path):
    """4 JPEG images (16x16) with labels 0..3 and i + 1 boxes' xmin each; returns the pixels
    TF's JPEG decoder gives for them."""
    images, decoded = _images(), []
    image = tf.placeholder(tf.uint8, [16, 16, 3])
    encode = tf.image.encode_jpeg(image, quality=95)
    with tf.Session() as sess, tf.python_io.TFRecordWriter(path) as writer:
        for i, pixels in enumerate(images):
            jpeg = sess.run(encode, {image: pixels})
            xmin = [0.1 * k for k in range(i + 1)]
            example = tf.train.Example(features=tf.train.Features(feature={
                "image/encoded": tf.train.Feature(bytes_list=tf.train.BytesList(value=[jpeg])),
                "image/format": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"jpeg"])),
                "image/class/label": tf.train.Feature(
                    int64_list=tf.train.Int64List(value=[i])),
                "image/object/bbox/xmin": tf.train.Feature(
                    float_list=tf.train.FloatList(value=xmin))}))
            writer.write(example.SerializeToString())
            decoded.append(sess.run(tf.image.decode_jpeg(jpeg, channels=3)))
    return decoded


KEYS = {
    "image/encoded": tf.FixedLenFeature([], tf.string, default_value=""),
    "image/format": tf.FixedLenFeature([], tf.string, default_value="jpeg"),
    "image/class/label": tf.FixedLenFeature([], tf.int64, default_value=-1),
    "image/object/bbox/xmin": tf.VarLenFeature(tf.float32),
}


def _parse(serialized):
    features = tf.parse_single_example(serialized, KEYS)
    image = tf.image.decode_jpeg(features["image/encoded"], channels=3)
    image = tf.reshape(image, [16, 16, 3])
    n_boxes = tf.shape(features["image/object/bbox/xmin"].values)[0]
    xmin = tf.sparse_tensor_to_dense(features["image/object/bbox/xmin"])
    return image, features["image/class/label"], n_boxes, tf.reduce_sum(xmin)


def test_jpeg_pipeline_with_tfrecord_dataset(tmp_path):
    path = str(tmp_path / "train.tfrecord")
    images = _write_images(path)
    ds = tf.data.TFRecordDataset(path).map(_parse).batch(2)
    assert ds.output_shapes[0].as_list() == [None, 16, 16, 3]
    batches = _dataset_values(ds, 2)
    pixels = np.concatenate([b[0] for b in batches])
    np.testing.assert_array_equal(pixels, np.stack(images))
    assert np.concatenate([b[1] for b in batches]).tolist() == [0, 1, 2, 3]
    assert np.concatenate([b[2] for b in batches]).tolist() == [1, 2, 3, 4]
    np.testing.assert_allclose(np.concatenate([b[3] for b in batches]),
                               [0, 0.1, 0.3, 0.6], rtol=1e-6)


def test_jpeg_pipeline_with_reader_and_shuffle_batch(tmp_path):
    path = str(tmp_path / "train.tfrecord")
    _write_images(path)
    files = tf.train.string_input_producer([path], num_epochs=2, shuffle=True, seed=1)
    _, serialized = tf.TFRecordReader().read(files)
    image, label, n_boxes, _ = _parse(serialized)
    images, labels, boxes = tf.train.shuffle_batch(
        [image, label, n_boxes], batch_size=4, capacity=16, min_after_dequeue=4, seed=2)
    with tf.Session() as sess:
        sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        got = [sess.run([images, labels, boxes]) for _ in range(2)]
        coord.request_stop()
        coord.join(threads)
    assert got[0][0].shape == (4, 16, 16, 3) and got[0][0].dtype == np.uint8
    all_labels = np.concatenate([g[1] for g in got])
    assert sorted(all_labels.tolist()) == [0, 0, 1, 1, 2, 2, 3, 3]
    assert (np.concatenate([g[2] for g in got]) == all_labels + 1).all()
