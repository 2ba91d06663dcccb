"""slim.model_analyzer: sizes and TF-Slim's printed tables of variables and op outputs."""

import tensorflux as tf

model_analyzer = tf.contrib.slim.model_analyzer


def _graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        w = tf.Variable(tf.constant(1.0, shape=[3, 4]), name="w")
        b = tf.Variable(tf.constant([1, 2], dtype=tf.int64), name="b")
        s = tf.Variable(3.0, name="s", dtype=tf.float64)
        tf.matmul(x, w, name="y")
        tf.placeholder(tf.float32, name="u")
    return g, [w, b, s]


def test_analyze_vars_prints_tf_slims_table(capsys):
    _, variables = _graph()
    assert model_analyzer.analyze_vars(variables, print_info=True) == (15, 72)
    # What TF-Slim prints for the same (reference) variables.
    assert capsys.readouterr().out.splitlines() == [
        "---------",
        "Variables: name (type shape) [size]",
        "---------",
        "w:0 (float32_ref 3x4) [12, bytes: 48]",
        "b:0 (int64_ref 2) [2, bytes: 16]",
        "s:0 (float64_ref ) [1, bytes: 8]",
        "Total size of variables: 15",
        "Total bytes of variables: 72",
    ]


def test_analyze_vars_silent_by_default(capsys):
    _, variables = _graph()
    assert model_analyzer.analyze_vars(variables) == (15, 72)
    assert model_analyzer.analyze_vars([]) == (0, 0)
    assert capsys.readouterr().out == ""


def test_analyze_vars_of_a_slim_model():
    slim = tf.contrib.slim
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [2, 8, 8, 3])
        net = slim.conv2d(images, 4, [3, 3], scope="conv1")
        slim.fully_connected(slim.flatten(net), 5, scope="fc")
        total_size, total_bytes = model_analyzer.analyze_vars(slim.get_model_variables())
    assert total_size == 3 * 3 * 3 * 4 + 4 + 256 * 5 + 5
    assert total_bytes == 4 * total_size


def test_analyze_ops_prints_each_op(capsys):
    g, _ = _graph()
    # Unknown dimensions count as 0 elements; an unknown rank prints no shape.
    total = model_analyzer.analyze_ops(g, print_info=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["---------", "Operations: name -> (type shapes) [size]", "---------"]
    assert len(lines) == 3 + len(g.get_operations())
    assert lines[3] == "x \t-> (float32 ?x3) [0]"
    assert "Const \t-> (float32 3x4) [12]" in lines
    assert "w/read \t-> (float32 3x4) [12]" in lines
    assert "s/read \t-> (float64 ) [1]" in lines
    assert "y \t-> (float32 ?x4) [0]" in lines
    assert lines[-1] == "u \t->  [0]"
    assert total == 60


def test_analyze_ops_no_print_and_multi_output(capsys):
    with tf.Graph().as_default() as g:
        a, b = tf.split(tf.zeros([4, 6], name="z"), 2, axis=1, name="split")
    total = model_analyzer.analyze_ops(g)
    assert capsys.readouterr().out == ""
    split = g.get_operation_by_name("split")
    expected = sum(t.get_shape().num_elements() or 0 for op in g.get_operations()
                   for t in op.outputs)
    assert total == expected
    model_analyzer.analyze_ops(g, print_info=True)
    out = capsys.readouterr().out
    assert "split \t-> (float32 4x3), (float32 4x3) [24]" in out
    assert split.type == "Split"
    assert a.get_shape().as_list() == b.get_shape().as_list() == [4, 3]


def test_tensor_description():
    with tf.Graph().as_default():
        assert model_analyzer.tensor_description(
            tf.placeholder(tf.int32, [None, 8, 2])) == "(int32 ?x8x2)"
        assert model_analyzer.tensor_description(tf.constant(1.5)) == "(float32 )"
