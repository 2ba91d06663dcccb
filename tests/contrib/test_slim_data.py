"""TF-Slim's data pipeline: tfexample_decoder handlers, Dataset / DatasetDataProvider,
parallel_reader, prefetch_queue and queues, and an end-to-end flowers-style training run."""

import io
import os

import numpy as np
import pytest
from PIL import Image as PILImage

import tensorflux as tf

slim = tf.contrib.slim
tfexample_decoder = slim.tfexample_decoder


# --- helpers -------------------------------------------------------------------------------------
def _bytes_feature(values):
    values = values if isinstance(values, list) else [values]
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))


def _int64_feature(values):
    values = values if isinstance(values, list) else [values]
    return tf.train.Feature(int64_list=tf.train.Int64List(value=values))


def _float_feature(values):
    values = values if isinstance(values, list) else [values]
    return tf.train.Feature(float_list=tf.train.FloatList(value=values))


def _example(**features):
    return tf.train.Example(features=tf.train.Features(feature=features)).SerializeToString()


def _png(image):
    buf = io.BytesIO()
    mode = {1: "L", 3: "RGB", 4: "RGBA"}[image.shape[2]]
    PILImage.fromarray(image if image.shape[2] != 1 else image[:, :, 0], mode).save(buf, "PNG")
    return buf.getvalue()


def _jpeg(image):
    buf = io.BytesIO()
    PILImage.fromarray(image, "RGB").save(buf, "JPEG", quality=95)
    return buf.getvalue()


def _decode(serialized, keys_to_features, items_to_handlers, items=None):
    """Runs a TFExampleDecoder on one serialized Example; returns the items' values."""
    with tf.Graph().as_default():
        decoder = tfexample_decoder.TFExampleDecoder(keys_to_features, items_to_handlers)
        tensors = decoder.decode(tf.constant(serialized), items)
        with tf.Session() as sess:
            return sess.run(tensors), tensors


IMAGE_FEATURES = {
    "image/encoded": tf.FixedLenFeature((), tf.string, default_value=""),
    "image/format": tf.FixedLenFeature((), tf.string, default_value="png"),
}


# --- tfexample_decoder handlers --------------------------------------------------------------
def test_image_png_decodes_exact_pixels():
    image = np.random.RandomState(1).randint(0, 256, size=(7, 5, 3)).astype(np.uint8)
    serialized = _example(**{"image/encoded": _bytes_feature(_png(image)),
                             "image/format": _bytes_feature(b"png")})
    (value,), (tensor,) = _decode(serialized, IMAGE_FEATURES, {"image": tfexample_decoder.Image()})
    assert tensor.dtype == tf.uint8
    assert tensor.get_shape().as_list() == [None, None, 3]
    np.testing.assert_array_equal(value, image)


def test_image_jpeg_decodes_like_decode_jpeg():
    yy, xx = np.mgrid[0:16, 0:16]
    image = np.stack([yy * 16, xx * 16, (yy + xx) * 8], -1).astype(np.uint8)   # smooth
    jpeg = _jpeg(image)
    serialized = _example(**{"image/encoded": _bytes_feature(jpeg),
                             "image/format": _bytes_feature(b"jpeg")})
    (value,), _ = _decode(serialized, IMAGE_FEATURES, {"image": tfexample_decoder.Image()})
    with tf.Graph().as_default(), tf.Session() as sess:
        expected = sess.run(tf.image.decode_jpeg(tf.constant(jpeg), channels=3))
    np.testing.assert_array_equal(value, expected)
    pillow = np.asarray(PILImage.open(io.BytesIO(jpeg)).convert("RGB"))
    assert np.abs(value.astype(int) - pillow.astype(int)).max() <= 2
    assert np.abs(value.astype(int) - image.astype(int)).mean() < 5


def test_image_format_key_is_ignored_for_png_vs_jpeg():
    # The decoder picks JPEG or PNG by the content, whatever "image/format" says.
    image = np.random.RandomState(3).randint(0, 256, size=(4, 6, 3)).astype(np.uint8)
    serialized = _example(**{"image/encoded": _bytes_feature(_png(image)),
                             "image/format": _bytes_feature(b"jpeg")})
    (value,), _ = _decode(serialized, IMAGE_FEATURES, {"image": tfexample_decoder.Image()})
    np.testing.assert_array_equal(value, image)


def test_image_raw_with_shape_and_custom_keys():
    image = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    serialized = _example(**{"img": _bytes_feature(image.tobytes()),
                             "fmt": _bytes_feature(b"RAW")})
    features = {"img": tf.FixedLenFeature((), tf.string, default_value=""),
                "fmt": tf.FixedLenFeature((), tf.string, default_value="raw")}
    handler = tfexample_decoder.Image(image_key="img", format_key="fmt", shape=(2, 3, 3))
    assert handler.keys == ["img", "fmt"]
    (value,), (tensor,) = _decode(serialized, features, {"image": handler})
    assert tensor.get_shape().as_list() == [2, 3, 3]
    np.testing.assert_array_equal(value, image)


def test_image_raw_float32():
    image = np.random.RandomState(4).rand(2, 2, 3).astype(np.float32)
    serialized = _example(**{"image/encoded": _bytes_feature(image.tobytes()),
                             "image/format": _bytes_feature(b"raw")})
    handler = tfexample_decoder.Image(shape=[2, 2, 3], dtype=tf.float32)
    (value,), _ = _decode(serialized, IMAGE_FEATURES, {"image": handler})
    np.testing.assert_array_equal(value, image)


def test_image_grayscale_channels_1():
    image = np.random.RandomState(5).randint(0, 256, size=(5, 4, 1)).astype(np.uint8)
    serialized = _example(**{"image/encoded": _bytes_feature(_png(image)),
                             "image/format": _bytes_feature(b"png")})
    (value,), (tensor,) = _decode(serialized, IMAGE_FEATURES,
                                  {"image": tfexample_decoder.Image(channels=1)})
    assert tensor.get_shape().as_list() == [None, None, 1]
    np.testing.assert_array_equal(value, image)


def test_image_repeated_decodes_each_image():
    rng = np.random.RandomState(6)
    images = [rng.randint(0, 256, size=(3, 4, 3)).astype(np.uint8) for _ in range(3)]
    serialized = _example(**{"image/encoded": _bytes_feature([_png(im) for im in images]),
                             "image/format": _bytes_feature(b"png")})
    features = {"image/encoded": tf.FixedLenFeature((3,), tf.string),
                "image/format": tf.FixedLenFeature((), tf.string, default_value="png")}
    handler = tfexample_decoder.Image(repeated=True, shape=[3, 4, 3])
    (value,), (tensor,) = _decode(serialized, features, {"images": handler})
    assert tensor.dtype == tf.uint8
    np.testing.assert_array_equal(value, np.stack(images))


def test_tensor_handler_fixed_and_reshape():
    serialized = _example(label=_int64_feature(7), values=_float_feature([1.0, 2.0, 3.0, 4.0]))
    features = {"label": tf.FixedLenFeature([], tf.int64, default_value=0),
                "values": tf.FixedLenFeature([4], tf.float32),
                "missing": tf.FixedLenFeature([1], tf.int64, default_value=[-1])}
    handlers = {"label": tfexample_decoder.Tensor("label"),
                "matrix": tfexample_decoder.Tensor("values", shape=[2, 2]),
                "missing": tfexample_decoder.Tensor("missing")}
    (label, matrix, missing), tensors = _decode(serialized, features, handlers,
                                                ["label", "matrix", "missing"])
    assert label == 7 and tensors[0].dtype == tf.int64
    np.testing.assert_array_equal(matrix, [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(missing, [-1])


def test_tensor_handler_shape_keys_and_sparse_default():
    serialized = _example(values=_int64_feature([1, 2, 3, 4, 5, 6]), h=_int64_feature(2),
                          w=_int64_feature(3))
    features = {"values": tf.VarLenFeature(tf.int64),
                "h": tf.FixedLenFeature([], tf.int64), "w": tf.FixedLenFeature([], tf.int64)}
    handlers = {"grid": tfexample_decoder.Tensor("values", shape_keys=["h", "w"]),
                "flat": tfexample_decoder.Tensor("values")}
    assert handlers["grid"].keys == ["values", "h", "w"]
    (grid, flat), _ = _decode(serialized, features, handlers, ["grid", "flat"])
    np.testing.assert_array_equal(grid, [[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(flat, [1, 2, 3, 4, 5, 6])


def test_tensor_handler_rejects_shape_and_shape_keys():
    with pytest.raises(ValueError, match="Cannot specify both shape_keys and shape"):
        tfexample_decoder.Tensor("x", shape_keys="s", shape=[1])


def test_bounding_box_handler():
    boxes = np.array([[0.1, 0.2, 0.5, 0.6], [0.0, 0.3, 0.9, 1.0]], np.float32)
    prefix = "image/object/bbox/"
    serialized = _example(**{prefix + k: _float_feature(list(map(float, boxes[:, i])))
                             for i, k in enumerate(["ymin", "xmin", "ymax", "xmax"])})
    features = {prefix + k: tf.VarLenFeature(tf.float32)
                for k in ["ymin", "xmin", "ymax", "xmax"]}
    handler = tfexample_decoder.BoundingBox(["ymin", "xmin", "ymax", "xmax"], prefix)
    assert handler.keys == [prefix + k for k in ["ymin", "xmin", "ymax", "xmax"]]
    (value,), (tensor,) = _decode(serialized, features, {"boxes": handler})
    assert tensor.get_shape().as_list() == [None, 4]
    np.testing.assert_allclose(value, boxes)
    (value,), _ = _decode(_example(), features, {"boxes": handler})   # no boxes
    assert value.shape == (0, 4)
    with pytest.raises(ValueError, match="BoundingBox expects 4 keys but got 3"):
        tfexample_decoder.BoundingBox(["a", "b", "c"])


def test_sparse_tensor_handler():
    serialized = _example(indices=_int64_feature([1, 5, 7]),
                          values=_float_feature([0.5, 1.5, 2.5]))
    features = {"indices": tf.VarLenFeature(tf.int64), "values": tf.VarLenFeature(tf.float32)}
    handlers = {"sparse": tfexample_decoder.SparseTensor(shape=[10]),
                "dense": tfexample_decoder.SparseTensor(shape=[10], densify=True,
                                                        default_value=-1.0)}
    (sparse, dense), tensors = _decode(serialized, features, handlers, ["sparse", "dense"])
    assert isinstance(tensors[0], tf.SparseTensor)
    np.testing.assert_array_equal(sparse.indices, [[1], [5], [7]])
    np.testing.assert_array_equal(sparse.values, [0.5, 1.5, 2.5])
    expected = -np.ones(10, np.float32)
    expected[[1, 5, 7]] = [0.5, 1.5, 2.5]
    np.testing.assert_array_equal(dense, expected)


def test_backup_handler_uses_backup_when_empty():
    features = {"primary": tf.VarLenFeature(tf.int64), "backup": tf.VarLenFeature(tf.int64)}
    handler = tfexample_decoder.BackupHandler(tfexample_decoder.Tensor("primary"),
                                              tfexample_decoder.Tensor("backup"))
    assert handler.keys == ["primary", "backup"]
    both = _example(primary=_int64_feature([1, 2]), backup=_int64_feature([3, 4]))
    only_backup = _example(backup=_int64_feature([3, 4]))
    (value,), _ = _decode(both, features, {"x": handler})
    np.testing.assert_array_equal(value, [1, 2])
    (value,), _ = _decode(only_backup, features, {"x": handler})
    np.testing.assert_array_equal(value, [3, 4])
    with pytest.raises(ValueError, match="Primary handler is of type"):
        tfexample_decoder.BackupHandler(1, handler)
    with pytest.raises(ValueError, match="Backup handler is of type"):
        tfexample_decoder.BackupHandler(handler, "x")


def test_item_handler_callback_and_lookup_tensor():
    class Table:  # the part of a tf.lookup table LookupTensor uses
        def lookup(self, keys):
            return tf.cast(tf.equal(keys, "cat"), tf.int64)

    serialized = _example(h=_int64_feature(3), w=_int64_feature(4), name=_bytes_feature(b"cat"))
    features = {"h": tf.FixedLenFeature([], tf.int64), "w": tf.FixedLenFeature([], tf.int64),
                "name": tf.FixedLenFeature([], tf.string)}
    handlers = {"hw": tfexample_decoder.ItemHandlerCallback(
                    ["h", "w"], lambda d: tf.stack([d["h"], d["w"]])),
                "is_cat": tfexample_decoder.LookupTensor("name", Table())}
    (hw, is_cat), _ = _decode(serialized, features, handlers, ["hw", "is_cat"])
    np.testing.assert_array_equal(hw, [3, 4])
    assert is_cat == 1


def test_decoder_list_items_and_all_items_by_default():
    decoder = tfexample_decoder.TFExampleDecoder(
        IMAGE_FEATURES, {"image": tfexample_decoder.Image(),
                         "format": tfexample_decoder.Tensor("image/format")})
    assert decoder.list_items() == ["image", "format"]
    assert isinstance(decoder, slim.data_decoder.DataDecoder)
    image = np.zeros((2, 2, 3), np.uint8)
    serialized = _example(**{"image/encoded": _bytes_feature(_png(image))})
    (img, fmt), _ = _decode(serialized, IMAGE_FEATURES,
                            {"image": tfexample_decoder.Image(),
                             "format": tfexample_decoder.Tensor("image/format")})
    np.testing.assert_array_equal(img, image)
    assert fmt == b"png"  # the feature's default value


# --- a flowers-style dataset on disk -----------------------------------------------------------
NUM_FILES = 4
PER_FILE = 5
SIZE = 8


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """4 TFRecord files of 5 Examples: PNG and JPEG images, labels, one box each."""
    d = tmp_path_factory.mktemp("flowers")
    rng = np.random.RandomState(0)
    images, encoded, files = [], [], []
    index = 0
    for f in range(NUM_FILES):
        path = str(d / ("flowers_train_%05d-of-%05d.tfrecord" % (f, NUM_FILES)))
        files.append(path)
        with tf.python_io.TFRecordWriter(path) as writer:
            for _ in range(PER_FILE):
                image = rng.randint(0, 256, size=(SIZE, SIZE, 3)).astype(np.uint8)
                is_jpeg = index % 4 == 3
                data = _jpeg(image) if is_jpeg else _png(image)
                images.append(image)
                encoded.append(data)
                writer.write(_example(**{
                    "image/encoded": _bytes_feature(data),
                    "image/format": _bytes_feature(b"jpeg" if is_jpeg else b"png"),
                    "image/class/label": _int64_feature(index % 5),
                    "image/id": _int64_feature(index),
                    "image/object/bbox/ymin": _float_feature(0.1 * (index % 3)),
                    "image/object/bbox/xmin": _float_feature(0.2),
                    "image/object/bbox/ymax": _float_feature(0.9),
                    "image/object/bbox/xmax": _float_feature(1.0),
                }))
                index += 1
    return {"dir": str(d), "files": files, "images": images, "encoded": encoded}


def _flowers_dataset(records, data_sources=None):
    """As TF-Slim's datasets/flowers.py builds it."""
    keys_to_features = {
        "image/encoded": tf.FixedLenFeature((), tf.string, default_value=""),
        "image/format": tf.FixedLenFeature((), tf.string, default_value="png"),
        "image/class/label": tf.FixedLenFeature(
            [], tf.int64, default_value=tf.zeros([], dtype=tf.int64)),
        "image/id": tf.FixedLenFeature([], tf.int64, default_value=-1),
        "image/object/bbox/ymin": tf.VarLenFeature(tf.float32),
        "image/object/bbox/xmin": tf.VarLenFeature(tf.float32),
        "image/object/bbox/ymax": tf.VarLenFeature(tf.float32),
        "image/object/bbox/xmax": tf.VarLenFeature(tf.float32),
    }
    items_to_handlers = {
        "image": slim.tfexample_decoder.Image(),
        "label": slim.tfexample_decoder.Tensor("image/class/label"),
        "id": slim.tfexample_decoder.Tensor("image/id"),
        "object/bbox": slim.tfexample_decoder.BoundingBox(
            ["ymin", "xmin", "ymax", "xmax"], "image/object/bbox/"),
    }
    decoder = slim.tfexample_decoder.TFExampleDecoder(keys_to_features, items_to_handlers)
    return slim.dataset.Dataset(
        data_sources=data_sources or os.path.join(records["dir"], "flowers_train_*.tfrecord"),
        reader=tf.TFRecordReader, decoder=decoder, num_samples=NUM_FILES * PER_FILE,
        items_to_descriptions={"image": "A color image of varying size.",
                               "label": "A single integer between 0 and 4"},
        num_classes=5, labels_to_names={i: "flower%d" % i for i in range(5)})


def _expected_pixels(records, index):
    data = records["encoded"][index]
    if data[:2] == b"\xff\xd8":
        with tf.Graph().as_default(), tf.Session() as sess:
            return sess.run(tf.image.decode_jpeg(tf.constant(data), channels=3))
    return records["images"][index]


def _drain(sess, fetches):
    values = []
    with slim.queues.QueueRunners(sess):
        try:
            while True:
                values.append(sess.run(fetches))
        except tf.errors.OutOfRangeError:
            pass
    return values


def test_dataset_keeps_extra_fields(records):
    dataset = _flowers_dataset(records)
    assert dataset.num_samples == 20
    assert dataset.num_classes == 5
    assert dataset.labels_to_names[2] == "flower2"
    assert dataset.reader is tf.TFRecordReader


def test_provider_one_epoch_in_order_then_out_of_range(records):
    with tf.Graph().as_default():
        provider = slim.dataset_data_provider.DatasetDataProvider(
            _flowers_dataset(records), num_readers=1, shuffle=False, num_epochs=1,
            common_queue_capacity=8, common_queue_min=2)
        assert provider.num_samples() == 20
        assert set(provider.list_items()) == {"image", "label", "id", "object/bbox",
                                              "record_key"}
        image, label, ident, bbox, key = provider.get(
            ["image", "label", "id", "object/bbox", "record_key"])
        assert image.get_shape().as_list() == [None, None, 3]
        assert image.dtype == tf.uint8 and label.dtype == tf.int64
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            values = _drain(sess, [image, label, ident, bbox, key])
    assert [v[2] for v in values] == list(range(20))   # one epoch, file by file, in order
    for img, lab, idx, box, k in values:
        np.testing.assert_array_equal(img, _expected_pixels(records, idx))
        assert lab == idx % 5
        np.testing.assert_allclose(box, [[0.1 * (idx % 3), 0.2, 0.9, 1.0]], rtol=1e-6)
        assert k.decode().startswith(records["files"][idx // PER_FILE] + ":")
    png_index = 0
    np.testing.assert_array_equal(values[png_index][0], records["images"][png_index])


def test_provider_several_readers_shuffled_epochs(records):
    with tf.Graph().as_default():
        provider = slim.dataset_data_provider.DatasetDataProvider(
            _flowers_dataset(records), num_readers=3, shuffle=True, num_epochs=2,
            common_queue_capacity=16, common_queue_min=4, seed=7)
        ident, label = provider.get(["id", "label"])
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            values = _drain(sess, [ident, label])
    ids = sorted(int(v[0]) for v in values)
    assert ids == sorted(list(range(20)) * 2)   # every example exactly twice
    assert all(lab == i % 5 for i, lab in values)


def test_provider_get_validates_items(records):
    with tf.Graph().as_default():
        provider = slim.dataset_data_provider.DatasetDataProvider(
            _flowers_dataset(records), shuffle=False, num_epochs=1)
        with pytest.raises(ValueError, match="items must be a list or tuple"):
            provider.get("image")
        with pytest.raises(ValueError, match=r"Item \[nope\] is invalid"):
            provider.get(["nope"])


def test_provider_record_key_collision(records):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="cannot also be used for a dataset item: label"):
            slim.dataset_data_provider.DatasetDataProvider(
                _flowers_dataset(records), record_key="label")


def test_parallel_read_graph_structure(records):
    with tf.Graph().as_default() as g:
        key, value = slim.parallel_reader.parallel_read(
            records["files"], tf.TFRecordReader, num_readers=2, shuffle=False, capacity=10)
        assert key.dtype == tf.string and value.dtype == tf.string
        names = [op.name for op in g.get_operations()]
        assert "parallel_read/common_queue" in names
        assert "parallel_read/filenames/input_producer" in names or any(
            n.startswith("parallel_read/filenames/") for n in names)
        assert any(op.type.startswith("FIFOQueue") for op in g.get_operations())
        runners = g.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
        common = [qr for qr in runners if qr.name == "parallel_read/common_queue"]
        assert len(common) == 1 and len(common[0].enqueue_ops) == 2
        summaries = [op.name for op in g.get_operations() if op.type == "ScalarSummary"]
        # As TF: the file name producer's summary, then the common queue's.
        assert summaries == ["parallel_read/filenames/fraction_of_32_full",
                             "parallel_read/fraction_of_10_full"]


def test_parallel_read_shuffle_uses_random_shuffle_queue(records):
    with tf.Graph().as_default() as g:
        slim.parallel_reader.parallel_read(records["files"], tf.TFRecordReader, num_readers=2)
        assert any(op.type.startswith("RandomShuffleQueue") for op in g.get_operations())


def test_single_pass_read_reads_each_record_once(records):
    with tf.Graph().as_default():
        key, value = slim.parallel_reader.single_pass_read(records["files"][:2],
                                                           tf.TFRecordReader)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            values = _drain(sess, [key, value])
    assert len(values) == 2 * PER_FILE
    assert [k.decode().rsplit(":", 1)[0] for k, _ in values] == (
        [records["files"][0]] * PER_FILE + [records["files"][1]] * PER_FILE)


def test_get_data_files(records):
    files = slim.parallel_reader.get_data_files(os.path.join(records["dir"], "*.tfrecord"))
    assert sorted(files) == sorted(records["files"])
    assert slim.parallel_reader.get_data_files(["a", "b"]) == ["a", "b"]
    with pytest.raises(ValueError, match="No data files found in"):
        slim.parallel_reader.get_data_files(os.path.join(records["dir"], "none_*"))


def test_parallel_reader_checks_queue_dtypes():
    with tf.Graph().as_default():
        queue = tf.FIFOQueue(4, [tf.string, tf.int32])
        with pytest.raises(TypeError, match=r"common_queue.dtypes must be \[tf.string"):
            slim.parallel_reader.ParallelReader(tf.TFRecordReader, queue)
        queue = tf.FIFOQueue(4, [tf.string, tf.string])
        reader = slim.parallel_reader.ParallelReader(tf.TFRecordReader, queue, num_readers=3)
        assert reader.num_readers == 3 and reader.common_queue is queue


def test_parallel_reader_num_records_produced(records):
    with tf.Graph().as_default():
        filenames = tf.train.string_input_producer(records["files"][:1], num_epochs=1,
                                                   shuffle=False)
        queue = tf.FIFOQueue(16, [tf.string, tf.string])
        reader = slim.parallel_reader.ParallelReader(tf.TFRecordReader, queue, num_readers=2)
        key, _ = reader.read(filenames)
        produced = reader.num_records_produced()
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            values = _drain(sess, key)
            assert sess.run(produced) == PER_FILE
    assert len(values) == PER_FILE


def test_parallel_reader_read_up_to(records):
    with tf.Graph().as_default():
        filenames = tf.train.string_input_producer(records["files"][:2], num_epochs=1,
                                                   shuffle=False)
        queue = tf.FIFOQueue(16, [tf.string, tf.string])
        reader = slim.parallel_reader.ParallelReader(tf.TFRecordReader, queue, num_readers=1)
        assert isinstance(reader, tf.ReaderBase)
        keys, values = reader.read_up_to(filenames, 3)
        assert keys.get_shape().ndims is None   # the queue has no element shapes
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            batches = _drain(sess, keys)
    assert [len(b) for b in batches] == [3, 3, 3, 1]


# --- prefetch_queue and queues ----------------------------------------------------------------
def test_prefetch_queue_list_and_dict():
    with tf.Graph().as_default() as g:
        counter = tf.train.range_input_producer(6, shuffle=False, num_epochs=1).dequeue()
        values = tf.stack([counter, counter * 10])
        queue = slim.prefetch_queue.prefetch_queue([counter, values], capacity=3)
        assert queue.dtypes == [tf.int32, tf.int32]
        a, b = queue.dequeue()
        assert b.get_shape().as_list() == [2]
        dict_queue = slim.prefetch_queue.prefetch_queue({"y": values, "x": counter},
                                                        name="named")
        assert queue.name.startswith("prefetch_queue/")
        assert "named/fraction_of_8_full" in [op.name for op in g.get_operations()]
        assert "prefetch_queue/fraction_of_3_full" in [op.name for op in g.get_operations()]
        del dict_queue
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            got = _drain(sess, [a, b])
    for x, y in got:
        np.testing.assert_array_equal(y, [x, 10 * x])
    assert sorted(int(x) for x, _ in got) == sorted(set(int(x) for x, _ in got))


def test_prefetch_queue_dict_dequeues_a_dict():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        y = tf.constant(3)
        queue = slim.prefetch_queue.prefetch_queue({"x": x, "y": y}, num_threads=2)
        out = queue.dequeue()
        assert sorted(out) == ["x", "y"]
        with tf.Session() as sess, slim.queues.QueueRunners(sess):
            value = sess.run(out)
    np.testing.assert_array_equal(value["x"], [1.0, 2.0])
    assert value["y"] == 3


def test_queue_runners_cannot_nest():
    with tf.Graph().as_default():
        with tf.Session() as sess:
            with slim.queues.QueueRunners(sess):
                with pytest.raises(slim.queues.NestedQueueRunnerError,
                                   match="QueueRunners cannot be nested"):
                    with slim.queues.QueueRunners(sess):
                        pass
            with slim.queues.QueueRunners(sess):   # released after the block
                pass


# --- end to end ------------------------------------------------------------------------------
def _tiny_net(images, num_classes, is_training):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(1e-4)):
        net = slim.conv2d(images, 4, [3, 3], scope="conv1")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
        net = slim.flatten(net)
        logits = slim.fully_connected(net, num_classes, activation_fn=None, scope="logits")
    return logits


def _input_pipeline(records, num_epochs, shuffle, batch_size=4):
    dataset = _flowers_dataset(records)
    provider = slim.dataset_data_provider.DatasetDataProvider(
        dataset, num_readers=2, shuffle=shuffle, num_epochs=num_epochs,
        common_queue_capacity=8 * batch_size, common_queue_min=2 * batch_size)
    image, label = provider.get(["image", "label"])
    image = tf.image.resize_images(image, [SIZE, SIZE])    # preprocessing: float, fixed size
    image = (image - 128.0) / 128.0
    return tf.train.batch([image, label], batch_size=batch_size, num_threads=2,
                          capacity=5 * batch_size, allow_smaller_final_batch=False), dataset


def test_end_to_end_train_with_slim_learning(records, tmp_path):
    logdir = str(tmp_path / "train")
    with tf.Graph().as_default():
        (images, labels), dataset = _input_pipeline(records, num_epochs=None, shuffle=True)
        # As train_image_classifier.py: whole batches prefetched by their own queue.
        batch_queue = slim.prefetch_queue.prefetch_queue([images, labels], capacity=2)
        images, labels = batch_queue.dequeue()
        assert images.get_shape().as_list() == [4, SIZE, SIZE, 3]
        logits = _tiny_net(images, dataset.num_classes, is_training=True)
        tf.losses.softmax_cross_entropy(slim.one_hot_encoding(labels, dataset.num_classes),
                                        logits)
        total_loss = tf.losses.get_total_loss()
        slim.summaries.add_scalar_summary(total_loss, "total_loss", prefix="losses")
        train_op = slim.learning.create_train_op(
            total_loss, tf.train.GradientDescentOptimizer(0.1))
        final_loss = slim.learning.train(train_op, logdir, number_of_steps=6,
                                         save_summaries_secs=3600, save_interval_secs=3600)
    assert np.isfinite(final_loss)
    assert tf.train.latest_checkpoint(logdir).endswith("model.ckpt-6")

    # Evaluate the checkpoint on one epoch of the same data (queue runners started inside);
    # the input runs out after 5 of the 8 evaluations, and the metrics stand, as in TF.
    with tf.Graph().as_default():
        (images, labels), dataset = _input_pipeline(records, num_epochs=1, shuffle=False)
        logits = _tiny_net(images, dataset.num_classes, is_training=False)
        predictions = tf.argmax(logits, 1)
        names_to_values, names_to_updates = slim.metrics.aggregate_metric_map({
            "accuracy": slim.metrics.streaming_accuracy(predictions, labels),
            "recall_5": slim.metrics.streaming_recall_at_k(logits, labels, 5),
        })
        seen = tf.Variable(0, trainable=False, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        count = tf.assign_add(seen, tf.shape(labels)[0])
        accuracy = slim.evaluation.evaluate_once(
            "", tf.train.latest_checkpoint(logdir), str(tmp_path / "eval"),
            num_evals=8, eval_op=[list(names_to_updates.values()), count],
            final_op=[names_to_values["accuracy"], names_to_values["recall_5"], seen],
            variables_to_restore=slim.get_variables_to_restore())
    accuracy, recall_5, total = accuracy
    assert total == 20
    assert 0.0 <= accuracy <= 1.0
    assert recall_5 == pytest.approx(1.0)   # 5 classes: the label is always in the top 5


def test_end_to_end_session_loop_sees_every_example_once(records):
    with tf.Graph().as_default():
        dataset = _flowers_dataset(records)
        provider = slim.dataset_data_provider.DatasetDataProvider(
            dataset, num_readers=1, shuffle=False, num_epochs=1)
        image, label, ident = provider.get(["image", "label", "id"])
        image = tf.to_float(image)
        images, labels, ids = tf.train.batch([image, label, ident], batch_size=5,
                                             shapes=[[SIZE, SIZE, 3], [], []])
        logits = _tiny_net(images, 5, is_training=True)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            batches = _drain(sess, [images, labels, ids, step])
    assert len(batches) == 4
    all_ids = np.concatenate([b[2] for b in batches])
    np.testing.assert_array_equal(all_ids, np.arange(20))
    for batch_images, batch_labels, batch_ids, _ in batches:
        np.testing.assert_array_equal(batch_labels, batch_ids % 5)
        for img, i in zip(batch_images, batch_ids):
            np.testing.assert_array_equal(img, _expected_pixels(records, i).astype(np.float32))
