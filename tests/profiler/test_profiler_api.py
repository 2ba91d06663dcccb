"""tf.profiler's Python API: statistics registry, op logs, the Profiler class, advise."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.profiler import stats

NONE = tf.profiler.ProfileOptionBuilder(
    tf.profiler.ProfileOptionBuilder.float_operation()).with_empty_output().build()


def _mlp():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        w = tf.Variable(np.ones([3, 2], np.float32), name="w")
        y = tf.matmul(x, w, name="y")
        z = tf.multiply(y, 2.0, name="z")
    return g, x, z


def test_get_stats_for_node_def_uses_registered_rules():
    g = tf.Graph()
    with g.as_default():
        a = tf.ones([4, 5])
        m = tf.matmul(a, tf.ones([5, 6]), name="mm")
        r = tf.nn.relu(m, name="r")
    assert tf.profiler.get_stats_for_node_def(g, m.op.node_def, "flops").value == 2 * 4 * 5 * 6
    empty = tf.profiler.get_stats_for_node_def(g, r.op.node_def, "flops")
    assert empty.statistic_type == "flops" and empty.value is None


def test_register_statistics_adds_a_custom_rule(capsys):
    g = tf.Graph()
    with g.as_default():
        tf.nn.relu(tf.ones([2, 3]), name="r")
    key = "Relu,flops"
    try:
        @tf.RegisterStatistics("Relu", "flops")
        def _relu_flops(graph, node):
            shape = tf.graph_util.tensor_shape_from_node_def_name(graph, node.input[0])
            return tf.profiler.OpStats("flops", shape.num_elements())

        with pytest.raises(KeyError):
            tf.RegisterStatistics("Relu", "flops")(_relu_flops)
        assert tf.profiler.profile(g, options=NONE).total_float_ops == 6
    finally:
        stats._registry.pop(key, None)
    assert capsys.readouterr().out == ""


def test_register_statistics_checks_names():
    with pytest.raises(TypeError, match="comma"):
        tf.RegisterStatistics("A,B", "flops")
    with pytest.raises(TypeError, match="string"):
        tf.RegisterStatistics("A", 3)


def test_op_stats_add():
    s = tf.profiler.OpStats("flops")
    s += tf.profiler.OpStats("flops", 3)
    s += tf.profiler.OpStats("flops", 4)
    assert s.value == 7
    with pytest.raises(ValueError, match="Can't add an OpStat of type flops"):
        s += tf.profiler.OpStats("weight_parameters", 1)


def test_unknown_shapes_are_skipped_and_reported(capsys):
    g, _, _ = _mlp()
    assert tf.profiler.profile(g, options=NONE).total_float_ops == 0
    assert "2 ops no flops stats due to incomplete shapes.\n" in capsys.readouterr().err


def test_default_options_count_trainable_parameters(capsys):
    g, _, _ = _mlp()
    with g.as_default():
        p = tf.profiler.profile()
    assert p.total_parameters == 6
    assert [c.name for c in p.children] == ["w"]
    assert "w (3x2, 6/6 params)" in capsys.readouterr().out


def test_unknown_cmd_raises():
    g, _, _ = _mlp()
    with pytest.raises(tf.errors.InvalidArgumentError, match="unknown cmd: foo"):
        tf.profiler.profile(g, cmd="foo", options=NONE)


def test_op_log_types_select_what_is_accounted(capsys):
    g, _, _ = _mlp()
    log = tf.profiler.OpLogProto(log_entries=[tf.profiler.OpLogEntry(name="y", types=["mine"])])
    opts = (tf.profiler.ProfileOptionBuilder().with_accounted_types(["mine"])
            .select(["op_types"]).build())
    p = tf.profiler.profile(g, op_log=log, options=opts)
    assert [c.name for c in p.children] == ["y"]
    assert "y (MatMul|mine)" in capsys.readouterr().out


def test_write_op_log(tmp_path):
    g, _, _ = _mlp()
    with g.as_default():
        tf.matmul(tf.ones([2, 3]), tf.ones([3, 4]), name="fixed")
    tf.profiler.write_op_log(g, str(tmp_path))
    data = (tmp_path / "tfprof_log").read_bytes()
    assert b"fixed" in data and b"_trainable_variables" in data


def test_profiler_class_with_steps(capsys):
    g, x, y = _mlp()
    profiler = tf.profiler.Profiler(g)
    with tf.Session(graph=g) as sess:
        sess.run(tf.variables_initializer(g.get_collection("variables")))
        for step in range(2):
            meta = tf.RunMetadata()
            sess.run(y, {x: np.ones([4, 3], np.float32)},
                     options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                     run_metadata=meta)
            profiler.add_step(step, meta)
    flops = profiler.profile_operations(NONE)
    # As in TF: the run's shapes complete z's (an output), not y's input x (a fed placeholder
    # has no recorded output), so MatMul stays uncounted.
    assert flops.children[0].name == "Mul"
    assert flops.total_float_ops == 4 * 2
    params = profiler.profile_name_scope(
        tf.profiler.ProfileOptionBuilder.trainable_variables_parameter())
    assert params.total_parameters == 6
    timing = profiler.profile_name_scope(
        tf.profiler.ProfileOptionBuilder(tf.profiler.ProfileOptionBuilder.time_and_memory())
        .with_min_memory(0).with_min_execution_time(0).with_step(1).build())
    assert timing.total_exec_micros >= 1
    out = capsys.readouterr().out
    assert ("node name | requested bytes | total execution time | accelerator execution time"
            " | cpu execution time\n") in out
    missing = profiler.profile_name_scope(
        tf.profiler.ProfileOptionBuilder(NONE).with_step(7).build())
    assert missing.name == ""
    assert "Options -step=7 not found.\nAvailable steps: 0 1 \n" in capsys.readouterr().err


def test_advise_reports_expensive_op_types():
    g, x, y = _mlp()
    with tf.Session(graph=g) as sess:
        sess.run(tf.variables_initializer(g.get_collection("variables")))
        meta = tf.RunMetadata()
        sess.run(y, {x: np.ones([4, 3], np.float32)},
                 options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                 run_metadata=meta)
    advice = tf.profiler.advise(g, run_meta=meta)
    reports = advice.checkers["ExpensiveOperationChecker"].reports
    assert reports and reports[0].startswith("top 1 operation type: ")


def test_file_output_and_bad_output(tmp_path, capsys):
    g, _, _ = _mlp()
    path = tmp_path / "out.txt"
    opts = (tf.profiler.ProfileOptionBuilder(
        tf.profiler.ProfileOptionBuilder.trainable_variables_parameter())
        .with_file_output(str(path)).build())
    tf.profiler.profile(g, options=opts)
    assert capsys.readouterr().out == ""
    assert "_TFProfRoot (--/6 params)\n  w (3x2, 6/6 params)\n" in path.read_text()
    bad = dict(opts, output="nowhere")
    assert tf.profiler.profile(g, options=bad).name == ""
    assert "Unknown output type: nowhere" in capsys.readouterr().err


def test_compat_v1_has_profiler():
    import tensorflux.compat.v1 as v1

    assert v1.profiler.profile is tf.profiler.profile
    assert v1.RegisterStatistics is tf.RegisterStatistics


def test_contrib_tfprof_print_model_analysis(capsys):
    from tensorflux.contrib.tfprof import model_analyzer

    g, _, _ = _mlp()
    p = tf.contrib.tfprof.model_analyzer.print_model_analysis(
        g, tfprof_options=model_analyzer.TRAINABLE_VARS_PARAMS_STAT_OPTIONS)
    assert p.total_parameters == 6
    assert "-select                     params\n" in capsys.readouterr().out
    assert tf.contrib.tfprof.tfprof_logger.TRAINABLE_VARIABLES == "_trainable_variables"
    assert model_analyzer.FLOAT_OPS_OPTIONS["order_by"] == "float_ops"


def test_op_log_entries_add_like_protobuf():
    log = tf.profiler.OpLogProto()
    entry = log.log_entries.add(name="y", types=["mine"])
    assert entry.types == ["mine"] and log.log_entries == [entry]
    copy = log.copy()
    assert copy == log and copy.log_entries[0] is not entry
    copy.log_entries.add(name="z")
    assert len(log.log_entries) == 1


def test_empty_run_metadata_silences_the_missing_shape_note(capsys):
    # As TF: any RunMetadata object counts as given, even with no step stats.
    g, _, _ = _mlp()
    p = tf.profiler.profile(g, run_meta=tf.RunMetadata(), cmd="op", options=NONE)
    assert p.total_float_ops == 0
    assert capsys.readouterr().err == ""


def test_code_view_is_refused_before_printing(capsys):
    g, _, _ = _mlp()
    with pytest.raises(NotImplementedError, match="'code' view"):
        tf.profiler.profile(g, cmd="code",
                            options=tf.profiler.ProfileOptionBuilder.float_operation())
    assert capsys.readouterr().out == ""


def test_pprof_output_is_only_for_the_code_view(capsys):
    g, _, _ = _mlp()
    opts = tf.profiler.ProfileOptionBuilder().with_pprof_output("p.pb.gz").build()
    p = tf.profiler.profile(g, cmd="graph", options=opts)
    assert p.name == "_TFProfRoot" and not p.children
    assert capsys.readouterr().err.endswith("Only 'code' view supports pprof output now.\n")
