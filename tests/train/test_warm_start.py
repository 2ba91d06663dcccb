"""tf.train.warm_start against TensorFlow (tools/fixtures/gen_train_stragglers.py) on the
TF-written checkpoints of tests/fixtures/checkpoints/."""

import glob
import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures")
CKPTS = os.path.abspath(os.path.join(FIXTURES, "checkpoints"))
with open(os.path.join(FIXTURES, "stragglers", "warm_start.json")) as _f:
    CASES = json.load(_f)["cases"]
ARRAYS = dict(np.load(os.path.join(FIXTURES, "stragglers", "warm_start.npz")))
BASIC = glob.glob(os.path.join(CKPTS, "basic", "*.index"))[0][:-len(".index")]
PART = glob.glob(os.path.join(CKPTS, "partitioned", "*.index"))[0][:-len(".index")]

# Messages naming Python classes or dicts TF's way.
MESSAGE_PREFIX = {
    "mixed_list": "If `vars_to_warm_start` is a list, it must be all `Variable` or all `str`.",
    "missing_tensor": "Tensor nope is not found in",
}


def _scope():
    return {"tf": tf, "np": np, "BASIC_DIR": os.path.dirname(BASIC), "BASIC": BASIC,
            "PART": PART}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_matches_tf(case):
    with tf.Graph().as_default():
        if "exception" in case:
            with pytest.raises(Exception) as info:
                exec(case["code"], _scope())  # noqa: S102 - the fixture's case table
                with tf.Session() as sess:
                    sess.run(tf.global_variables_initializer())
            assert type(info.value).__name__ == case["exception"]
            want = MESSAGE_PREFIX.get(case["name"], case["message"].replace("{CKPTS}", CKPTS))
            assert want in str(info.value)
            return
        exec(case["code"], _scope())  # noqa: S102
        variables = tf.global_variables()
        assert [v.name for v in variables] == case["var_names"]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for v, val in zip(variables, sess.run(variables)):
                want = ARRAYS["%s/%s" % (case["name"], v.name)]
                if not _warm_started(case, v):
                    continue  # random initializers: only the warm-started values are fixed
                np.testing.assert_array_equal(val, want, err_msg=v.name)


def _warm_started(case, v):
    """Whether TF's value of `v` is deterministic (loaded, or a constant initializer)."""
    code = case["code"]
    name = v.name.split(":")[0]
    if case["name"] == "regex":
        return name == "dense/kernel" or "ones" in code
    if case["name"] == "list_of_variables_with_rename":
        return name in ("a", "b")
    if case["name"] == "list_of_regexes_includes_non_trainable":
        return True
    return case["name"] != "none_warm_starts_nothing" or "zeros" in code


def test_unused_rename_leaves_initializers():
    with tf.Graph().as_default():
        v = tf.get_variable("dense/kernel", [3, 4], initializer=tf.zeros_initializer())
        before = v.initializer.name
        with pytest.raises(ValueError):
            tf.train.warm_start(BASIC, var_name_to_prev_var_name={"typo": "dense/kernel"})
        assert v.initializer.name == before
        with tf.Session() as sess:
            sess.run(v.initializer)
            assert not sess.run(v).any()


def test_vocab_info_not_supported():
    with tf.Graph().as_default():
        tf.get_variable("dense/kernel", [3, 4])
        with pytest.raises(NotImplementedError):
            tf.train.warm_start(BASIC, var_name_to_vocab_info={"dense/kernel": object()})


def test_warm_start_from_tensorflux_checkpoint(tmp_path):
    with tf.Graph().as_default():
        w = tf.get_variable("w", [2, 3], initializer=tf.random_normal_initializer(seed=1))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            want = sess.run(w)
            saver.save(sess, str(tmp_path / "model"))
    with tf.Graph().as_default():
        with tf.variable_scope("new"):
            w2 = tf.get_variable("w", [2, 3], initializer=tf.zeros_initializer())
        tf.train.warm_start(str(tmp_path), var_name_to_prev_var_name={"new/w": "w"})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(w2), want)
