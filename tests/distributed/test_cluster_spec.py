"""ClusterSpec, ClusterDef and ServerDef against real TensorFlow's (tests/fixtures/distributed)."""

import json
import os

import pytest

import tensorflux as tf
from tensorflux.distributed.cluster import ClusterDef, ClusterSpec, JobDef, ServerDef

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "fixtures", "distributed",
                       "cluster_and_setter.json")
with open(FIXTURE) as f:
    DATA = json.load(f)
CLUSTERS = DATA["clusters"]


def _spec(name):
    return ClusterSpec(eval(CLUSTERS[name]["input"]))


@pytest.mark.parametrize("name", sorted(CLUSTERS))
def test_views_match_tf(name):
    want, spec = CLUSTERS[name], _spec(name)
    got_dict = [[k, v if isinstance(v, list) else [list(kv) for kv in sorted(v.items())]]
                for k, v in spec.as_dict().items()]
    assert got_dict == want["as_dict"]
    assert spec.jobs == want["jobs"]
    assert repr(spec) == want["repr"]
    assert bool(spec) is want["bool"]
    assert {j: spec.num_tasks(j) for j in spec.jobs} == want["num_tasks"]
    assert {j: spec.task_indices(j) for j in spec.jobs} == want["task_indices"]
    assert {j: spec.job_tasks(j) for j in spec.jobs if spec.num_tasks(j)} == want["job_tasks"]


@pytest.mark.parametrize("name", sorted(CLUSTERS))
def test_cluster_def_bytes_and_text_match_tf(name):
    want, spec = CLUSTERS[name], _spec(name)
    cd = spec.as_cluster_def()
    assert cd.SerializeToString().hex() == want["cluster_def_hex"]
    assert str(cd) == want["cluster_def_text"]
    # TF's default (hash-ordered) bytes parse to the same message.
    parsed = ClusterDef.FromString(bytes.fromhex(want["cluster_def_default_hex"]))
    assert parsed == cd
    assert (ClusterSpec(parsed).as_dict() == spec.as_dict()) is want["from_def_as_dict_equal"]
    assert (ClusterSpec(spec) == spec) is want["copy_equal"]


@pytest.mark.parametrize("name", sorted(DATA["errors"]))
def test_errors_match_tf(name):
    expr, call, cls, message = DATA["errors"][name]
    with pytest.raises((TypeError, ValueError)) as info:
        spec = ClusterSpec(eval(expr))
        if call is not None:
            eval("spec." + call, {"spec": spec})
    assert type(info.value).__name__ == cls
    assert str(info.value) == message


def test_server_defs_match_tf():
    cd = _spec("dense").as_cluster_def()
    made = {
        "plain": ServerDef(cluster=cd, job_name="ps", task_index=1, protocol="grpc"),
        "port_and_config": ServerDef(
            cluster=cd, job_name="worker", task_index=0, protocol="grpc", port=2222,
            default_session_config=tf.ConfigProto(
                allow_soft_placement=True, device_count={"CPU": 2},
                inter_op_parallelism_threads=4)),
    }
    for name, sd in made.items():
        want = DATA["server_defs"][name]
        assert sd.SerializeToString().hex() == want["hex"], name
        assert str(sd) == want["text"], name
        back = ServerDef.FromString(bytes.fromhex(want["hex"]))
        assert back.SerializeToString().hex() == want["hex"], name
        assert back.cluster.job[1].tasks[1] == "w1:2222"


def test_nested_session_options_are_refused_not_dropped():
    config = tf.ConfigProto()
    config.gpu_options.allow_growth = True
    with pytest.raises(NotImplementedError, match="gpu_options"):
        ServerDef(default_session_config=config)


def test_equality_and_cluster_def_identity():
    spec = ClusterSpec({"ps": ["a:1"]})
    assert spec == {"ps": {0: "a:1"}} and spec != {"ps": {0: "b:1"}}
    assert spec == ClusterSpec(spec) and spec != ClusterSpec({"ps": ["a:1", "b:1"]})
    cd = ClusterDef(job=[JobDef(name="w", tasks={2: "x:1"})])
    from_def = ClusterSpec(cd)
    assert from_def.as_cluster_def() is cd  # TF keeps the given message, not a copy
    assert from_def.as_dict() == {"w": {2: "x:1"}} and not ClusterSpec({})


def test_tf_train_names():
    assert tf.train.ClusterSpec is ClusterSpec and tf.train.ClusterDef is ClusterDef
    assert tf.train.JobDef is JobDef and tf.train.ServerDef is ServerDef
