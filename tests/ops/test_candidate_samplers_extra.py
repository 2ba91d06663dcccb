"""`fixed_unigram_candidate_sampler` and `learned_unigram_candidate_sampler` against TF's
expected counts (tests/fixtures/candidate_samplers_extra, recorded from TensorFlow), plus shapes,
uniqueness and the sample distribution."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "candidate_samplers_extra",
                       "candidate_samplers_extra.json")
with open(FIXTURE) as _f:
    DATA = json.load(_f)


def _kwargs(kw, tmp_path):
    kw = dict(kw)
    if kw.get("vocab_file"):
        path = tmp_path / "vocab.txt"
        path.write_text(DATA["vocab"])
        kw["vocab_file"] = str(path)
    return kw


@pytest.mark.parametrize("case", DATA["fixed"], ids=lambda c: json.dumps(c["kwargs"]))
def test_fixed_expected_counts(case, tmp_path):
    kw = _kwargs(case["kwargs"], tmp_path)
    n = kw["range_max"]
    with tf.Graph().as_default():
        tc = tf.constant(np.arange(n, dtype=np.int64).reshape(n, 1))
        s, te, se = tf.nn.fixed_unigram_candidate_sampler(tc, 1, case["num_sampled"], False,
                                                          seed=3, **kw)
        assert s.op.type == "FixedUnigramCandidateSampler"
        assert s.shape.as_list() == [case["num_sampled"]] and s.dtype == tf.int64
        assert te.shape.as_list() == [n, 1] and se.shape.as_list() == [case["num_sampled"]]
        with tf.Session() as sess:
            s_v, te_v, se_v = sess.run([s, te, se])
    expected = np.array(case["true_expected"], np.float32)
    np.testing.assert_allclose(te_v, expected, rtol=1e-6)
    assert te_v.dtype == np.float32
    assert np.all((s_v >= 0) & (s_v < n))
    np.testing.assert_allclose(se_v, expected[s_v, 0], rtol=1e-6)
    assert np.all(expected[s_v, 0] > 0)  # zero-weight classes are never drawn
    # TF's own samples also carry their classes' counts
    np.testing.assert_allclose(case["sampled_expected"],
                               expected[np.array(case["sampled"]), 0], rtol=1e-6)


@pytest.mark.parametrize("case", DATA["errors"], ids=lambda c: json.dumps(c["kwargs"]))
def test_fixed_errors(case):
    with tf.Graph().as_default():
        t = tf.nn.fixed_unigram_candidate_sampler(tf.constant([[0, 1]], tf.int64), 2, 2, False,
                                                  **case["kwargs"])
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError) as info:
                sess.run(t)
    assert case["message"] in str(info.value)


def test_learned_expected_counts_learn_over_runs():
    runs = DATA["learned"]
    with tf.Graph().as_default():
        tc = tf.constant(runs[0]["true_classes"], tf.int64)
        s, te, se = tf.nn.learned_unigram_candidate_sampler(tc, 3, runs[0]["num_sampled"], False,
                                                            6, seed=2)
        assert s.op.type == "LearnedUnigramCandidateSampler"
        assert te.shape.as_list() == [2, 3]
        with tf.Session() as sess:
            got = [sess.run([s, te, se]) for _ in runs]
        with tf.Session() as sess:  # a new session starts from the uniform distribution again
            fresh = sess.run(te)
    for run, (s_v, te_v, se_v) in zip(runs, got):
        np.testing.assert_allclose(te_v, run["true_expected"], rtol=1e-6)
        assert s_v.shape == (run["num_sampled"],) and se_v.shape == s_v.shape
    np.testing.assert_allclose(fresh, runs[0]["true_expected"], rtol=1e-6)
    # the sampled counts follow the same learned distribution: run 2 sees counts 1 + hits
    counts = np.ones(6)
    np.add.at(counts, np.array(runs[0]["true_classes"]).ravel(), 1)
    s_v, _, se_v = got[1]
    np.testing.assert_allclose(se_v, counts[s_v] / counts.sum() * 5, rtol=1e-6)


def test_unique_samples_and_expected_counts():
    unigrams = [5.0, 1.0, 1.0, 2.0, 0.5, 3.0, 1.0, 1.5]
    with tf.Graph().as_default():
        tc = tf.constant([[0], [5]], tf.int64)
        s, te, se = tf.nn.fixed_unigram_candidate_sampler(tc, 1, 6, True, 8, unigrams=unigrams,
                                                          seed=7)
        s2, te2, se2 = tf.random.learned_unigram_candidate_sampler(tc, 1, 8, True, 8, seed=7)
        with tf.Session() as sess:
            for _ in range(5):
                s_v, te_v, se_v, s2_v, te2_v = sess.run([s, te, se, s2, te2])
                assert len(set(s_v.tolist())) == 6
                assert sorted(s2_v.tolist()) == list(range(8))
                p = np.array(unigrams) / sum(unigrams)
                # expected = 1 - (1 - p)^tries for one common number of tries >= 6
                tries = np.log1p(-se_v.astype(np.float64)) / np.log1p(-p[s_v])
                assert np.all(np.abs(tries - tries[0]) < 1e-3 * tries[0]) and tries[0] >= 6 - 1e-3
                np.testing.assert_allclose(te_v[:, 0], -np.expm1(tries[0] * np.log1p(-p[[0, 5]])),
                                           rtol=1e-4)


def test_sample_distribution():
    unigrams = [4.0, 1.0, 0.0, 2.0, 9.0]
    distortion = 0.5
    with tf.Graph().as_default():
        s, _, _ = tf.nn.fixed_unigram_candidate_sampler([[0]], 1, 20000, False, 5,
                                                        unigrams=unigrams, distortion=distortion,
                                                        seed=11)
        with tf.Session() as sess:
            s_v = sess.run(s)
    w = np.array(unigrams) ** distortion
    p = w / w.sum()
    freq = np.bincount(s_v, minlength=5) / len(s_v)
    assert freq[2] == 0
    np.testing.assert_allclose(freq, p, atol=0.015)


def test_namespaces_and_shape_errors():
    assert tf.random.fixed_unigram_candidate_sampler is tf.nn.fixed_unigram_candidate_sampler
    assert tf.random.learned_unigram_candidate_sampler is tf.nn.learned_unigram_candidate_sampler
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="must be rank 2"):
            tf.nn.learned_unigram_candidate_sampler(tf.constant([0, 1], tf.int64), 1, 2, False, 4)
        s = tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 2, False, 3, unigrams=[1.0] * 3,
                                                  name="fu")
        assert s[0].name == "fu:0"
        attrs = s[0].op._attrs
        assert attrs["unigrams"] == [1.0, 1.0, 1.0] and attrs["distortion"] == 1.0
        assert attrs["vocab_file"] == "" and attrs["num_shards"] == 1
