"""TF1 input pipelines: producers, readers, batching and queue runner threads end to end."""

import os
import threading

import numpy as np
import pytest

import tensorflux as tf

TIMEOUT = 20.0
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "queues")


@pytest.fixture(autouse=True)
def no_thread_outlives_the_test():
    before = set(threading.enumerate())
    yield
    for t in set(threading.enumerate()) - before:
        t.join(TIMEOUT)
        assert not t.is_alive() or t.daemon, "thread %s outlived the test" % t.name


def _write_cifar_like(tmp_path, files=2, per_file=5):
    """Fixed-length records: 1 label byte + a 2x2x3 uint8 image whose pixels all equal the id."""
    names, ids = [], []
    for f in range(files):
        path = tmp_path / ("data_batch_%d.bin" % f)
        rows = []
        for r in range(per_file):
            rid = f * per_file + r
            rows.append(bytes([rid % 3]) + bytes([rid]) * 12)
            ids.append(rid)
        path.write_bytes(b"".join(rows))
        names.append(str(path))
    return names, ids


def _join(coord, threads):
    coord.request_stop()
    coord.join(threads, stop_grace_period_secs=TIMEOUT)


def test_cifar10_style_program_sees_every_record_once(tmp_path):
    names, ids = _write_cifar_like(tmp_path)
    with tf.Graph().as_default():
        filename_queue = tf.train.string_input_producer(names, num_epochs=1, seed=1)
        reader = tf.FixedLengthRecordReader(record_bytes=13)
        key, value = reader.read(filename_queue)
        record = tf.decode_raw(value, tf.uint8)
        label = tf.cast(tf.strided_slice(record, [0], [1]), tf.int32)
        image = tf.reshape(tf.strided_slice(record, [1], [13]), [2, 2, 3])
        image = tf.cast(image, tf.float32)
        label.set_shape([1])
        images, labels = tf.train.shuffle_batch([image, label], batch_size=3, num_threads=4,
                                                capacity=20, min_after_dequeue=4, seed=2,
                                                allow_smaller_final_batch=True)
        w = tf.Variable(tf.zeros([12, 3]))
        logits = tf.matmul(tf.reshape(images, [-1, 12]) / 255.0, w)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(labels, [-1]), logits=logits))
        train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        with tf.Session() as sess:
            sess.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            seen, losses = [], []
            try:
                while not coord.should_stop():
                    batch, lv, _ = sess.run([images, loss, train])
                    seen += batch[:, 0, 0, 0].astype(int).tolist()
                    losses.append(lv)
            except tf.errors.OutOfRangeError:
                pass
            finally:
                _join(coord, threads)
            assert sorted(seen) == ids
            assert len(losses) == 4 and np.all(np.isfinite(losses))
            assert not np.allclose(sess.run(w), 0.0)  # the model trained
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(images)


def test_batch_in_order_with_smaller_final_batch():
    with tf.Graph().as_default():
        x = tf.train.limit_epochs(tf.constant([[1, 10], [2, 20], [3, 30]]), num_epochs=1)
        b = tf.train.batch([x], batch_size=2, enqueue_many=True, allow_smaller_final_batch=True)
        assert b.shape.as_list() == [None, 2]
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            got = [sess.run(b).tolist(), sess.run(b).tolist()]
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(b)
            _join(coord, threads)
    assert got == [[[1, 10], [2, 20]], [[3, 30]]]


def test_slice_input_producer_and_dict_batch():
    with tf.Graph().as_default():
        xs, ys = tf.train.slice_input_producer([tf.range(6), tf.range(6) * 10], num_epochs=2,
                                               shuffle=True, seed=4)
        out = tf.train.batch({"x": xs, "y": ys}, batch_size=4)
        assert out["x"].shape.as_list() == [4]
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            got = [sess.run(out) for _ in range(3)]
            _join(coord, threads)
    x = np.concatenate([g["x"] for g in got])
    np.testing.assert_array_equal(np.concatenate([g["y"] for g in got]), x * 10)
    assert sorted(x.tolist()) == sorted(list(range(6)) * 2)


def test_queue_runner_reports_errors_to_the_coordinator():
    with tf.Graph().as_default():
        q = tf.FIFOQueue(4, tf.float32, shapes=[[]])
        bad = tf.placeholder(tf.float32, [])  # never fed: the enqueue fails
        tf.train.add_queue_runner(tf.train.QueueRunner(q, [q.enqueue(bad)]))
        with tf.Session() as sess:
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess, coord)
            assert coord.wait_for_stop(TIMEOUT)
            with pytest.raises(tf.errors.InvalidArgumentError, match="placeholder"):
                coord.join(threads, stop_grace_period_secs=TIMEOUT)


def test_tfrecord_round_trip_and_real_tf_file(tmp_path):
    import json

    path = str(tmp_path / "mine.tfrecord")
    with tf.python_io.TFRecordWriter(path) as w:
        for r in [b"a", b"bb", b""]:
            w.write(r)
    assert list(tf.python_io.tf_record_iterator(path)) == [b"a", b"bb", b""]
    real = os.path.join(FIXTURES, "records.tfrecord")
    with open(os.path.join(FIXTURES, "queues.json")) as f:
        want = json.load(f)["records"]
    with tf.Graph().as_default():
        q = tf.FIFOQueue(2, tf.string)
        key, value = tf.TFRecordReader().read(q)
        with tf.Session() as sess:
            sess.run(q.enqueue_many([[path, real]]))
            sess.run(q.close())
            got = [sess.run([key, value]) for _ in range(3 + len(want))]
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(value)
    assert [v for _, v in got[:3]] == [b"a", b"bb", b""]
    assert got[1][0] == (path + ":17").encode()
    assert [[k.decode().replace(real, "records.tfrecord"), v.hex()] for k, v in got[3:]] == want


def test_whole_file_and_text_line_readers(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"header\nx,1\r\ny,2\n")
    name = str(tmp_path / "a.txt")
    with tf.Graph().as_default():
        q1 = tf.FIFOQueue(2, tf.string)
        q2 = tf.FIFOQueue(2, tf.string)
        k1, v1 = tf.WholeFileReader().read(q1)
        reader = tf.TextLineReader(skip_header_lines=1)
        k2, v2 = reader.read(q2)
        with tf.Session() as sess:
            sess.run([q1.enqueue(name), q2.enqueue(name), q2.close()])
            assert sess.run([k1, v1]) == [name.encode(), b"header\nx,1\r\ny,2\n"]
            assert sess.run([k2, v2]) == [(name + ":2").encode(), b"x,1"]
            assert sess.run(v2) == b"y,2"
            assert sess.run(reader.num_records_produced()) == 2


def test_match_filenames_once(tmp_path):
    names, _ = _write_cifar_like(tmp_path)
    with tf.Graph().as_default():
        files = tf.train.match_filenames_once(str(tmp_path / "*.bin"))
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            assert [f.decode() for f in sess.run(files)] == sorted(names)
