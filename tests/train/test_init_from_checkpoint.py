"""`tf.train.init_from_checkpoint`: every case of tools/fixtures/gen_init_from_checkpoint.py
(run by real TensorFlow on TF-written checkpoints) replayed with tensorflux, and the same forms
on checkpoints written by tensorflux's Saver.
"""

import ast
import json
import os
import shutil

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "fixtures"))
CKPTS = os.path.join(FIXTURES, "checkpoints")
with open(os.path.join(FIXTURES, "init_from_checkpoint", "cases.json")) as _f:
    CASES = json.load(_f)["cases"]
ARRAYS = dict(np.load(os.path.join(FIXTURES, "init_from_checkpoint", "arrays.npz")))

# Where tensorflux deliberately differs from TF 2.21 (see checkpoint_utils.py):
# TF applies the entries sorted before the bad one and then raises; tensorflux checks the whole
# map first, so a failed call changes no initializer.
ATOMIC = {"error_after_a_good_entry"}
# tensorflux's RestoreV2 kernel names dtypes as numpy does ("float32", not TF's "float"), and
# its Assign kernel prints shapes as "[4, 3]" (TF: "[4,3]"); those kernels are not this test's.
RUN_MESSAGES = {"dtype_mismatch_at_run": "tensor_name = half; expected dtype",
                "scope_shape_mismatch_at_run": "Assign requires shapes of both tensors to "
                                               "match. lhs shape= [4, 3] rhs shape= [3, 4]"}


@pytest.fixture
def paths(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    return {"BASIC_DIR": os.path.join(CKPTS, "basic"),
            "BASIC": os.path.join(CKPTS, "basic", "model.ckpt-7"),
            "PART": os.path.join(CKPTS, "partitioned", "model.ckpt"),
            "EMPTY_DIR": str(empty)}


def _initial_names(variables):
    # TF's overridden initializer is the Assign *tensor* ("Assign:0"); tensorflux keeps an
    # Operation, as every other initializer is, so op names are compared.
    return [{"name": v.name, "initializer": v.initializer.name,
             "initial_value": v.initial_value.name} for v in variables]


def _strip(records):
    return [dict(r, initializer=r["initializer"].split(":")[0]) for r in records]


def _check_message(got, want, paths):
    for key, path in paths.items():
        want = want.replace("{%s}" % key, path)
    if " checkpoint {" in want:  # the checkpoint's shape map: compared as a dict
        head, _, tail = want.partition(" checkpoint {")
        got_head, _, got_tail = got.partition(" checkpoint {")
        assert got_head == head
        assert ast.literal_eval("{" + got_tail) == ast.literal_eval("{" + tail)
    else:
        assert got == want


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_tf(name, paths):
    spec = CASES[name]
    scope = dict(paths, tf=tf, np=np)
    if "exception" in spec:
        with pytest.raises(Exception) as info:
            exec(spec["code"], scope)  # noqa: S102 - the fixture's case table
        assert type(info.value).__name__ == spec["exception"]
        _check_message(getattr(info.value, "message", str(info.value)), spec["message"], paths)
    else:
        exec(spec["code"], scope)  # noqa: S102
    variables = tf.global_variables()
    if name in ATOMIC:
        # nothing changed: every initializer is still the variable's own Assign
        assert all(v.initializer.name == v.op.name + "/Assign" for v in variables)
        return
    assert _strip(_initial_names(variables)) == _strip(spec["variables"])
    init = scope.get("INIT") or tf.global_variables_initializer()
    with tf.Session() as sess:
        if "run_exception" in spec:
            with pytest.raises(Exception) as info:
                sess.run(init)
            assert type(info.value).__name__ == spec["run_exception"]
            want = RUN_MESSAGES.get(name, spec["run_message"])
            assert want in info.value.message
            return
        sess.run(init)
        for v, value in zip(variables, sess.run(variables)):
            want = ARRAYS["%s/%s" % (name, v.name)]
            assert value.dtype == want.dtype and value.shape == want.shape, v.name
            if "Initializer/random_uniform" not in v.initial_value.name:
                np.testing.assert_array_equal(value, want, err_msg=v.name)


def test_values_come_from_the_checkpoint(paths):
    # the fixture values are TF's; here they are checked against the checkpoint itself
    with tf.variable_scope("new"):
        k = tf.get_variable("kernel", [3, 4], initializer=tf.zeros_initializer())
    p = tf.get_variable("p", [10, 3], partitioner=tf.fixed_size_partitioner(3))
    tf.train.init_from_checkpoint(paths["BASIC_DIR"], {"dense/": "new/"})
    tf.train.init_from_checkpoint(paths["PART"], {"part": "p"})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(k), tf.train.load_variable(paths["BASIC"],
                                                                          "dense/kernel"))
        np.testing.assert_array_equal(sess.run(p.as_tensor()),
                                      tf.train.load_variable(paths["PART"], "part"))
    assert k.initial_value.shape.as_list() == [3, 4]


# --- checkpoints written by tensorflux's Saver ------------------------------------------------
@pytest.fixture
def saved(tmp_path):
    """A tensorflux checkpoint in its own directory: `old/w` [2, 3], `old/b` [3], `step` and
    `emb` [6, 2] (loaded into partitioned variables below); returns (directory, prefix,
    values)."""
    values = {"old/w": np.arange(6, dtype=np.float32).reshape(2, 3),
              "old/b": np.array([7.0, 8.0, 9.0], np.float32),
              "step": np.int64(42),
              "emb": np.arange(12, dtype=np.float32).reshape(6, 2) / 4}
    (tmp_path / "ckpt").mkdir()
    g = tf.Graph()
    with g.as_default():
        with tf.variable_scope("old"):
            tf.get_variable("w", initializer=values["old/w"])
            tf.get_variable("b", initializer=values["old/b"])
        tf.get_variable("step", initializer=values["step"])
        tf.get_variable("emb", initializer=values["emb"])
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            prefix = saver.save(sess, str(tmp_path / "ckpt" / "model"), global_step=3)
    return str(tmp_path / "ckpt"), prefix, values


def _build_new():
    with tf.variable_scope("new"):
        w = tf.get_variable("w", [2, 3], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
    return w, b


def _run_init(fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches)


def test_saver_checkpoint_scope_map_from_directory(saved):
    directory, _, values = saved
    w, b = _build_new()
    tf.train.init_from_checkpoint(directory, {"old/": "new/"})
    got_w, got_b = _run_init([w, b])
    np.testing.assert_array_equal(got_w, values["old/w"])
    np.testing.assert_array_equal(got_b, values["old/b"])


def test_saver_checkpoint_names_and_objects(saved):
    _, prefix, values = saved
    w, b = _build_new()
    s = tf.Variable(np.int64(0), name="s")  # not in the variable store: passed as the object
    tf.train.init_from_checkpoint(prefix, {"old/w": "new/w", "step": s})
    got_w, got_b, got_s = _run_init([w, b, s])
    np.testing.assert_array_equal(got_w, values["old/w"])
    np.testing.assert_array_equal(got_b, np.zeros(3))  # not in the map
    assert got_s == 42


def test_saver_checkpoint_root_map_and_partitions(saved):
    _, prefix, values = saved
    with tf.variable_scope("model"):
        with tf.variable_scope("old"):
            w = tf.get_variable("w", [2, 3], initializer=tf.zeros_initializer())
            b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        step = tf.get_variable("step", [], tf.int64, initializer=tf.zeros_initializer())
        emb = tf.get_variable("emb", [6, 2], initializer=tf.zeros_initializer(),
                              partitioner=tf.fixed_size_partitioner(2))
    tf.train.init_from_checkpoint(prefix, {"/": "model/"})
    got = _run_init([w, b, step, emb.as_tensor()])
    for value, key in zip(got, ["old/w", "old/b", "step", "emb"]):
        np.testing.assert_array_equal(value, values[key], err_msg=key)


def test_partitioned_parts_as_a_list(saved):
    _, prefix, values = saved
    emb = tf.get_variable("e", [6, 2], initializer=tf.zeros_initializer(),
                          partitioner=tf.fixed_size_partitioner(2, axis=1))
    tf.train.init_from_checkpoint(prefix, [("emb", list(emb))])
    np.testing.assert_array_equal(_run_init(emb.as_tensor()), values["emb"])


def test_partitioned_variable_object(saved):
    # TF fails with a TypeError on a PartitionedVariable; tensorflux takes it as its parts
    _, prefix, values = saved
    emb = tf.get_variable("e", [6, 2], initializer=tf.zeros_initializer(),
                          partitioner=tf.fixed_size_partitioner(3))
    tf.train.init_from_checkpoint(prefix, {"emb": emb})
    np.testing.assert_array_equal(_run_init(emb.as_tensor()), values["emb"])


def test_partitioned_shape_mismatch_is_found_at_call_time(saved):
    _, prefix, _ = saved
    emb = tf.get_variable("e", [5, 2], partitioner=tf.fixed_size_partitioner(2))
    old = [p.initializer for p in emb]
    with pytest.raises(ValueError, match=r"Shape of partitioned variable e \(\[5, 2\]\) "
                       r"doesn't match with shape of tensor emb \(\[6, 2\]\)"):
        tf.train.init_from_checkpoint(prefix, {"emb": "e"})
    assert [p.initializer for p in emb] == old


def test_parts_of_different_variables_are_rejected(saved):
    _, prefix, _ = saved
    a = tf.get_variable("a", [6, 2], partitioner=tf.fixed_size_partitioner(2))
    b = tf.get_variable("b", [6, 2], partitioner=tf.fixed_size_partitioner(2))
    with pytest.raises(ValueError, match="Slices must all be from the same tensor: a != b"):
        tf.train.init_from_checkpoint(prefix, {"emb": [list(a)[0], list(b)[1]]})


@pytest.mark.parametrize("bad", [{"old/w": "new/w", "zzz": "new/b"},
                                 {"old/b": "new/b", "old/w": "new/b"},
                                 {"old/": "new/", "step": "missing/"}])
def test_errors_leave_every_initializer_untouched(saved, bad):
    _, prefix, _ = saved
    w, b = _build_new()
    old = [w.initializer, b.initializer, w.initial_value, b.initial_value]
    n_ops = len(tf.get_default_graph().get_operations())
    with pytest.raises(ValueError):
        tf.train.init_from_checkpoint(prefix, bad)
    assert [w.initializer, b.initializer, w.initial_value, b.initial_value] == old
    assert len(tf.get_default_graph().get_operations()) == n_ops
    got_w, got_b = _run_init([w, b])
    np.testing.assert_array_equal(got_w, np.zeros([2, 3]))
    np.testing.assert_array_equal(got_b, np.zeros([3]))


def test_init_op_built_before_keeps_the_old_initializers(saved):
    _, prefix, values = saved
    w, _ = _build_new()
    early = tf.global_variables_initializer()
    tf.train.init_from_checkpoint(prefix, {"old/w": "new/w"})
    late = tf.global_variables_initializer()
    with tf.Session() as sess:
        sess.run(early)
        np.testing.assert_array_equal(sess.run(w), np.zeros([2, 3]))
        sess.run(late)
        np.testing.assert_array_equal(sess.run(w), values["old/w"])
        sess.run(w.assign(w + 1))
        sess.run(w.initializer)  # rerunning the initializer reloads the checkpoint value
        np.testing.assert_array_equal(sess.run(w), values["old/w"])


def test_directory_uses_its_latest_checkpoint(saved, tmp_path):
    directory, prefix, values = saved
    # a second, newer checkpoint in the same directory with different values
    g = tf.Graph()
    with g.as_default():
        with tf.variable_scope("old"):
            tf.get_variable("w", initializer=values["old/w"] * 10)
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            newer = saver.save(sess, os.path.join(directory, "model"), global_step=9)
    assert tf.train.latest_checkpoint(directory) == newer
    w, _ = _build_new()
    tf.train.init_from_checkpoint(directory, {"old/w": "new/w"})
    np.testing.assert_array_equal(_run_init(w), values["old/w"] * 10)
    # the file reads are made when the initializer runs: the path is fixed at call time
    shutil.rmtree(directory)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.NotFoundError):
            sess.run(w.initializer)


def test_exported_in_train():
    from tensorflux.train import checkpoint_utils
    assert tf.train.init_from_checkpoint is checkpoint_utils.init_from_checkpoint
