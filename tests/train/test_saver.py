"""tf.train.Saver: TF's checkpoint files, round trips, TF-written checkpoints, bad input."""

import os

import numpy as np
import pytest

import tensorflux as tf

FIX = os.path.join(os.path.dirname(__file__), "..", "fixtures", "checkpoints")


def _two_vars():
    v1 = tf.Variable(tf.zeros([3]), name="v1")
    v2 = tf.Variable(tf.ones([5]), name="v2")
    return v1, v2


def test_save_writes_tf_files_and_restores(tmp_path):
    v1, v2 = _two_vars()
    saver = tf.train.Saver()
    path = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v1.assign(v1 + 1), v2.assign(v2 - 1)])
        assert saver.save(sess, path) == path
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt.data-00000-of-00001",
                                           "model.ckpt.index", "model.ckpt.meta"]
    assert tf.train.list_variables(path) == [("v1", [3]), ("v2", [5])]
    np.testing.assert_array_equal(tf.train.load_variable(path, "v1"), [1, 1, 1])
    assert tf.train.latest_checkpoint(str(tmp_path)) == os.path.abspath(path)
    assert tf.train.checkpoint_exists(path)
    with tf.Session() as sess:
        saver.restore(sess, path)
        a, b = sess.run([v1, v2])
    np.testing.assert_array_equal(a, np.ones(3, np.float32))
    np.testing.assert_array_equal(b, np.zeros(5, np.float32))


def test_restore_into_fresh_graph_with_dict_var_list(tmp_path):
    path = str(tmp_path / "m")
    with tf.Graph().as_default():
        w = tf.Variable([[1.0, 2.0]], name="w")
        with tf.Session() as s:
            s.run(w.initializer)
            tf.train.Saver({"renamed/w": w}).save(s, path)
    assert tf.train.list_variables(path) == [("renamed/w", [1, 2])]
    with tf.Graph().as_default():
        other = tf.Variable(tf.zeros([1, 2]), name="other")
        with tf.Session() as s:
            tf.train.Saver({"renamed/w": other}).restore(s, path)
            np.testing.assert_array_equal(s.run(other), [[1.0, 2.0]])


def test_global_step_suffix_and_max_to_keep(tmp_path):
    step = tf.Variable(np.int64(0), name="global_step")
    saver = tf.train.Saver(max_to_keep=2)
    base = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = [saver.save(sess, base, global_step=i) for i in (1, 2, 3)]
        assert paths[-1] == base + "-3"
        sess.run(step.assign(7))
        assert saver.save(sess, base, global_step=step) == base + "-7"
    assert saver.last_checkpoints == [os.path.abspath(base + "-3"), os.path.abspath(base + "-7")]
    assert not tf.train.checkpoint_exists(base + "-1")
    assert not os.path.exists(base + "-2.index")
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.all_model_checkpoint_paths == saver.last_checkpoints
    assert tf.train.latest_checkpoint(str(tmp_path)) == os.path.abspath(base + "-7")


def test_restores_a_checkpoint_written_by_tensorflow():
    ref = np.load(os.path.join(FIX, "basic.npz"))
    prefix = os.path.join(FIX, "basic", "model.ckpt-7")
    w = tf.Variable(tf.zeros([2, 2, 3, 2]), name="conv/weights")
    step = tf.Variable(np.int64(0), name="global_step")
    with tf.Session() as sess:
        tf.train.Saver([w, step]).restore(sess, prefix)
        got_w, got_step = sess.run([w, step])
    np.testing.assert_array_equal(got_w, ref["conv/weights"])
    assert got_step == 7
    reader = tf.train.NewCheckpointReader(prefix)
    assert reader.get_variable_to_dtype_map()["global_step"] == tf.int64
    assert reader.has_tensor("dense/kernel")


def test_restore_missing_variable_is_not_found_and_changes_nothing(tmp_path):
    path = str(tmp_path / "m")
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver([a]).save(sess, path)
        sess.run([a.assign(5.0), b.assign(6.0)])
        with pytest.raises(tf.errors.NotFoundError, match="Key b not found in checkpoint"):
            tf.train.Saver([a, b]).restore(sess, path)
        assert sess.run([a, b]) == [5.0, 6.0]


def test_restore_shape_mismatch_changes_nothing(tmp_path):
    path = str(tmp_path / "m")
    with tf.Graph().as_default():
        x = tf.Variable(tf.zeros([3]), name="x")
        with tf.Session() as s:
            s.run(x.initializer)
            tf.train.Saver().save(s, path)
    x = tf.Variable(tf.ones([4]), name="x")
    with tf.Session() as sess:
        sess.run(x.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="shapes of both tensors"):
            tf.train.Saver().restore(sess, path)
        np.testing.assert_array_equal(sess.run(x), np.ones(4))


def test_corrupt_checkpoint_is_data_loss_and_leaves_variables(tmp_path):
    path = str(tmp_path / "m")
    v = tf.Variable(tf.ones([64]), name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        saver.save(sess, path)
        data = path + ".data-00000-of-00001"
        raw = bytearray(open(data, "rb").read())
        raw[10] ^= 0xFF
        open(data, "wb").write(bytes(raw))
        sess.run(v.assign(tf.zeros([64])))
        with pytest.raises(tf.errors.DataLossError):
            saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(v), np.zeros(64))


def test_bad_paths(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(ValueError, match="doesn't exist"):
            saver.save(sess, str(tmp_path / "missing" / "m"))
        with pytest.raises(ValueError, match="not a valid checkpoint"):
            saver.restore(sess, str(tmp_path / "nothing"))
        with pytest.raises(ValueError, match="None"):
            saver.restore(sess, None)
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


def test_saving_uninitialized_variable_fails_without_writing(tmp_path):
    tf.Variable(1.0, name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="v"):
            saver.save(sess, str(tmp_path / "m"))
    assert os.listdir(tmp_path) == []


def test_no_variables():
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    tf.train.Saver(allow_empty=True)


def test_duplicate_names_rejected():
    with tf.variable_scope("a"):
        v = tf.Variable(1.0, name="v")
    with pytest.raises(ValueError, match="same name"):
        tf.train.Saver([v, v])


def test_saver_reserves_tf_names():
    tf.Variable(1.0)
    s1 = tf.train.Saver()
    s2 = tf.train.Saver()
    g = tf.get_default_graph()
    assert g.get_operation_by_name("save/Const") is not None
    assert g.get_operation_by_name("save_1/restore_all") is not None
    assert s1.last_checkpoints == [] and s2.last_checkpoints == []


# --- building: deferred, empty, and the SAVERS collection (TF's Saver.build) ------------------
def test_a_saver_does_not_join_the_savers_collection():
    _two_vars()
    tf.train.Saver()
    assert tf.get_collection(tf.GraphKeys.SAVERS) == []


def test_deferred_build_saves_the_variables_that_exist_when_built(tmp_path):
    v1 = tf.Variable(1.0, name="v1")
    saver = tf.train.Saver(defer_build=True)
    assert saver.saver_def is None and saver.as_saver_def() is None
    assert not [op for op in tf.get_default_graph().get_operations()
                if op.name.startswith("save")]
    v2 = tf.Variable(2.0, name="v2")  # made after the Saver, before its build
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(RuntimeError, match=r"`build\(\)` should be called before save if "
                                               r"defer_build==True"):
            saver.save(sess, str(tmp_path / "m"))
        assert not os.listdir(tmp_path)
        with pytest.raises(RuntimeError, match="before restore"):
            saver.restore(sess, str(tmp_path / "m"))
        saver.build()
        saver.build()  # once only
        assert saver.saver_def is not None
        path = saver.save(sess, str(tmp_path / "m"))
    assert [n for n, _ in tf.train.list_variables(path)] == ["v1", "v2"]
    with tf.Session() as sess:
        saver.restore(sess, path)
        assert sess.run([v1, v2]) == [1.0, 2.0]


def test_an_empty_saver_builds_nothing_and_saves_only_the_meta_graph(tmp_path):
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver()
    with pytest.raises(ValueError, match="No variables to save"):
        tf.train.Saver(defer_build=True).build()
    saver = tf.train.Saver(allow_empty=True)
    assert saver.saver_def is None and tf.get_default_graph().get_operations() == []
    with tf.Session() as sess:
        assert saver.save(sess, str(tmp_path / "m")) is None
        assert sorted(os.listdir(tmp_path)) == ["m.meta"]
        assert saver.restore(sess, str(tmp_path / "none")) is None
