"""Lookup tables against real TF: vocabulary tables (OOV buckets), text files, mutable tables,
errors, names, and a table used inside a `tf.data` map function."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.ops import lookup_ops, registry

DIR = os.path.join(os.path.dirname(__file__), "..", "fixtures", "lookup_sets")
KEYS = ["emerson", "lake", "palmer", "king", "crimson", "", "tarkus", "salad"]
VOCAB = ["emerson", "lake", "palmer", "salad", "tarkus"]


def _load(name):
    with open(os.path.join(DIR, name)) as f:
        return json.load(f)


@pytest.fixture(scope="module")
def tables():
    return _load("tables.json")


@pytest.fixture(scope="module")
def mutable():
    return _load("mutable.json")


@pytest.fixture
def in_fixtures(monkeypatch):
    monkeypatch.chdir(DIR)  # the fixtures name the vocabulary files relative to their folder


def _plain(v):
    if isinstance(v, tf.SparseTensorValue):  # the generator wrote TF's namedtuple as a list
        return [_plain(v.indices), _plain(v.values), _plain(v.dense_shape)]
    if isinstance(v, np.ndarray):
        return [_plain(x) for x in v.tolist()] if v.dtype == object else v.tolist()
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, bytes):
        return v.decode("utf-8")
    return v.item() if isinstance(v, np.generic) else v


def _build():
    L = tf.contrib.lookup
    t0 = L.index_table_from_tensor(mapping=tf.constant(["a", "b", "c"]), default_value=-1)
    t1 = L.index_table_from_tensor(tf.constant(["a", "b", "c"]), num_oov_buckets=1)
    t3 = L.index_table_from_tensor(VOCAB, num_oov_buckets=3)
    ti = L.index_table_from_tensor(tf.constant([10, 20, 30], tf.int64), num_oov_buckets=2,
                                   dtype=tf.int64)
    strong = L.index_table_from_tensor(VOCAB, num_oov_buckets=4,
                                       hasher_spec=L.StrongHashSpec((11, 22)))
    legacy = L.index_table_from_tensor(VOCAB, num_oov_buckets=4,
                                       hasher_spec=L.HasherSpec("legacy", None))
    f0 = L.index_table_from_file("vocab.txt", num_oov_buckets=2)
    f1 = L.index_table_from_file("vocab.txt", vocab_size=3, default_value=-7)
    rev = L.index_to_string_table_from_tensor(["x", "y", "z"])
    rev_file = L.index_to_string_table_from_file("vocab.txt", default_value="?")
    cols = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        "vocab_cols.txt", tf.string, 0, tf.int64, 1), -1)
    cols_line = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        "vocab_cols.txt", tf.string, 2, tf.int64, tf.lookup.TextFileIndex.LINE_NUMBER,
        value_index_offset=100), -1)
    cols_str = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
        "vocab_cols.txt", tf.int64, 1, tf.string, tf.lookup.TextFileIndex.WHOLE_LINE), "none")
    kv = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(
        tf.constant([1, 2, 3], tf.int64), tf.constant([1.5, 2.5, 3.5])), -1.0)
    vt = tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(
        ["a", "b"], tf.constant([0, 1], tf.int64)), num_oov_buckets=5)
    kt = tf.constant(KEYS)
    sp = tf.SparseTensor([[0, 0], [1, 2]], tf.constant(["lake", "zzz"]), [2, 3])
    fetch = {
        "t0": t0.lookup(tf.constant(["a", "c", "d"])),
        "t1": t1.lookup(tf.constant(["a", "c", "d", "e", ""])),
        "t3": t3.lookup(kt), "t3_size": t3.size(),
        "ti": ti.lookup(tf.constant([10, 30, 40, 50, -1], tf.int64)),
        "strong": strong.lookup(kt), "legacy": legacy.lookup(kt),
        "f0": f0.lookup(kt), "f0_size": f0.size(), "f1": f1.lookup(kt), "f1_size": f1.size(),
        "rev": rev.lookup(tf.constant([0, 2, 3, -1], tf.int64)),
        "rev_file": rev_file.lookup(tf.constant([0, 4, 5], tf.int64)),
        "cols": cols.lookup(tf.constant(["alpha", "gamma", "delta"])),
        "cols_line": cols_line.lookup(tf.constant(["x", "z", "w"])),
        "cols_str": cols_str.lookup(tf.constant([10, 30, 5], tf.int64)),
        "kv": kv.lookup(tf.constant([[1, 5], [3, 2]], tf.int64)),
        "vt": vt.lookup(tf.constant(["a", "b", "c", "d", "e", "f"])),
        "vt_size": vt.size(), "sparse": t3.lookup(sp),
    }
    return fetch, {"t0": t0, "t3": t3}


def test_values_match_tf(tables, in_fixtures):
    with tf.Graph().as_default(), tf.Session() as sess:
        fetch, _ = _build()
        with pytest.raises(tf.errors.FailedPreconditionError) as e:
            sess.run(fetch["t0"])
        assert tables["uninitialized"]["message"] in str(e.value)
        sess.run(tf.tables_initializer())
        got = {k: _plain(v) for k, v in sess.run(fetch).items()}
        assert got == tables["values"]
        sess.run(tf.tables_initializer())  # a second run finds the same data: fine
        assert _plain(sess.run(fetch["t3"])) == tables["values"]["t3"]


def test_names_shapes_collection(tables, in_fixtures):
    with tf.Graph().as_default() as g:
        fetch, t = _build()
        names = tables["names"]
        for key in ("t3_lookup", "t0_lookup", "kv_lookup", "vt_lookup"):
            assert fetch[key.split("_")[0]].name == names[key]
        assert fetch["t3_size"].name == names["t3_size"]
        assert t["t0"].name == names["t0_table"] and t["t3"].name == names["t3_table"]
        assert fetch["kv"].shape.as_list() == tables["shapes"]["kv"]
        assert len(g.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)) == tables["collection"]
        ops = {op.type for op in g.get_operations()}
        assert {"HashTableV2", "InitializeTableV2", "InitializeTableFromTextFileV2",
                "LookupTableFindV2", "LookupTableSizeV2"} <= ops


def _raises(record, fn):
    cls = getattr(tf.errors, record["class"], None) or __builtins__[record["class"]]
    with pytest.raises(cls) as e:
        fn()
    if "message" in record:
        assert record["message"] in str(e.value)


def test_graph_errors(tables):
    err = tables["errors"]
    with tf.Graph().as_default():
        t0 = tf.contrib.lookup.index_table_from_tensor(tf.constant(["a", "b", "c"]))
        _raises(err["key_dtype"], lambda: t0.lookup(tf.constant([1, 2])))
        _raises(err["oov_negative"], lambda: tf.contrib.lookup.index_table_from_tensor(
            ["a"], num_oov_buckets=-1))
        _raises(err["vocab_none"], lambda: tf.contrib.lookup.index_table_from_tensor(None))
        _raises(err["file_empty"], lambda: tf.contrib.lookup.index_table_from_file(""))
        _raises(err["text_key_index"], lambda: tf.lookup.TextFileInitializer(
            "vocab.txt", tf.string, -1, tf.int64, -2))
        with pytest.raises(TypeError):  # the default value must be of the value dtype
            tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(
                ["a"], tf.constant([1], tf.int64)), 1.5)
        with pytest.raises(TypeError, match="Invalid value dtype for table, expected"):
            lookup_ops.check_table_dtypes(t0, tf.string, tf.float32)


def test_run_errors(tables, in_fixtures):
    err = tables["errors"]
    with tf.Graph().as_default(), tf.Session() as sess:
        L = tf.contrib.lookup
        dup = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(
            ["a", "a"], tf.constant([0, 1], tf.int64)), -1)
        _raises(err["duplicate_key"], lambda: sess.run(dup.initializer))
        big = L.index_table_from_file("vocab.txt", vocab_size=10)
        _raises(err["vocab_size"], lambda: sess.run(big.initializer))
        empty = L.index_table_from_file("vocab_empty_line.txt")
        _raises(err["empty_line"], lambda: sess.run(empty.initializer))
        missing = L.index_table_from_file("no_such_vocab.txt")
        _raises(err["missing_file"], lambda: sess.run(missing.initializer))
        badcol = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            "vocab_cols.txt", tf.string, 0, tf.int64, 2), -1)
        _raises(err["bad_int"], lambda: sess.run(badcol.initializer))
        few = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            "vocab_cols.txt", tf.string, 0, tf.int64, 5), -1)
        _raises(err["few_columns"], lambda: sess.run(few.initializer))


def test_reinitialize_with_other_data_fails():
    with tf.Graph().as_default(), tf.Session() as sess:
        keys = tf.placeholder(tf.string, [None])
        table = tf.contrib.lookup.HashTable(tf.contrib.lookup.KeyValueTensorInitializer(
            keys, tf.constant([0, 1], tf.int64)), -1)
        sess.run(table.init, {keys: ["a", "b"]})
        sess.run(table.init, {keys: ["a", "b"]})
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="already initialized with different data"):
            sess.run(table.init, {keys: ["a", "c"]})
        assert sess.run(table.lookup(tf.constant(["b"])))[0] == 1


def test_key_dtype_checked_at_run_time():
    with tf.Graph().as_default(), tf.Session() as sess:
        table = tf.contrib.lookup.HashTable(tf.contrib.lookup.KeyValueTensorInitializer(
            ["a"], tf.constant([0], tf.int64)), -1)
        find = lookup_ops._create("LookupTableFindV2", [table.resource_handle,
                                                        tf.constant([1], tf.int64),
                                                        tf.constant(-1, tf.int64)],
                                  {"Tin": tf.int64, "Tout": tf.int64}, "find")
        sess.run(table.init)
        with pytest.raises(tf.errors.InvalidArgumentError, match="Key must be type string"):
            sess.run(find.outputs[0])


def test_two_sessions_hold_two_tables():
    with tf.Graph().as_default():
        table = tf.contrib.lookup.MutableHashTable(tf.string, tf.int64, -1)
        ins = table.insert(tf.constant(["a"]), tf.constant([1], tf.int64))
        size = table.size()
        with tf.Session() as s1, tf.Session() as s2:
            s1.run(ins)
            assert s1.run(size) == 1 and s2.run(size) == 0


def test_mutable_matches_tf(mutable):
    with tf.Graph().as_default(), tf.Session() as sess:
        m = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
        assert m.resource_handle.op.name == mutable["name"]
        ins = m.insert(tf.constant(["a", "b", "c"]), tf.constant([1, 2, 3], tf.int64))
        assert ins.name == mutable["insert_name"]
        look = m.lookup(tf.constant(["a", "x", "c"]))
        assert look.name == mutable["lookup_name"]
        sess.run(ins)
        assert sess.run(look).tolist() == mutable["lookup"]
        assert sess.run(m.size()) == mutable["size"]
        sess.run(m.insert(tf.constant(["a", "d"]), tf.constant([10, 4], tf.int64)))
        sess.run(m.remove(tf.constant(["b", "zz"])))
        k, v = sess.run(m.export())
        order = np.argsort(k)
        assert _plain(k[order]) == mutable["export"]["keys"]
        assert v[order].tolist() == mutable["export"]["values"]
        dyn = m.lookup(tf.constant(["a", "q"]),
                       dynamic_default_values=tf.constant([-5, -6], tf.int64))
        assert sess.run(dyn).tolist() == mutable["dynamic"]

        mt = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, [0.0, 0.0])
        assert mt.resource_handle.op.type == mutable["tensors_type"]
        sess.run(mt.insert(tf.constant([5, 6], tf.int64), tf.constant([[1.0, 2.0],
                                                                       [3.0, 4.0]])))
        look2 = mt.lookup(tf.constant([6, 7], tf.int64))
        assert sess.run(look2).tolist() == mutable["tensors_lookup"]
        assert look2.shape.as_list() == mutable["tensors_shape"]

        err = mutable["errors"]
        with pytest.raises(ValueError, match="Tensor conversion requested dtype string"):
            m.insert(tf.constant([1]), tf.constant([1], tf.int64))
        _raises(err["remove_dtype"], lambda: m.remove(tf.constant([1], tf.int64)))
        _raises(err["insert_shape"], lambda: sess.run(m.insert(tf.constant(["a", "b"]),
                                                               tf.constant([1], tf.int64))))


def test_dense_hash_table(mutable):
    with tf.Graph().as_default(), tf.Session() as sess:
        d = tf.contrib.lookup.MutableDenseHashTable(tf.int64, tf.int64, -1, empty_key=0,
                                                    deleted_key=-1)
        assert d.resource_handle.op.name == mutable["dense_name"]
        assert d.resource_handle.op.type == "MutableDenseHashTableV2"
        sess.run(d.insert(tf.constant([3, 4, 5], tf.int64), tf.constant([30, 40, 50], tf.int64)))
        sess.run(d.erase(tf.constant([4], tf.int64)))
        got = sess.run(d.lookup(tf.constant([3, 4, 5, 6], tf.int64)))
        assert got.tolist() == mutable["dense_lookup"]
        assert sess.run(d.size()) == mutable["dense_size"]
        err = mutable["errors"]
        _raises(err["dense_empty_key"], lambda: sess.run(d.insert(
            tf.constant([0], tf.int64), tf.constant([1], tf.int64))))
        _raises(err["dense_deleted_key"], lambda: sess.run(d.lookup(
            tf.constant([-1], tf.int64))))


def test_static_table_rejects_insert_and_exports():
    with tf.Graph().as_default(), tf.Session() as sess:
        table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(
            ["a", "b"], tf.constant([1, 2], tf.int64)), -1)
        sess.run(tf.tables_initializer())
        k, v = sess.run(table.export())
        assert dict(zip(k.tolist(), v.tolist())) == {b"a": 1, b"b": 2}
        bad = lookup_ops._create("LookupTableInsertV2", [table.resource_handle,
                                                         tf.constant(["c"]),
                                                         tf.constant([3], tf.int64)],
                                 {"Tin": tf.string, "Tout": tf.int64}, "insert")
        with pytest.raises(tf.errors.UnimplementedError):
            sess.run(bad)


def test_index_to_string_and_id_table_without_table():
    with tf.Graph().as_default(), tf.Session() as sess:
        words = tf.contrib.lookup.index_to_string(tf.constant([1, 0, 9], tf.int64),
                                                  mapping=["p", "q"])
        idx = tf.contrib.lookup.string_to_index(tf.constant(["q", "x"]), mapping=["p", "q"])
        buckets = tf.contrib.lookup.IdTableWithHashBuckets(None, num_oov_buckets=7)
        ids = buckets.lookup(tf.constant(["x", "y"]))
        sess.run(tf.tables_initializer())
        assert sess.run(words).tolist() == [b"q", b"p", b"UNK"]
        assert sess.run(idx).tolist() == [1, -1]
        want = sess.run(tf.string_to_hash_bucket_fast(["x", "y"], 7))
        np.testing.assert_array_equal(sess.run(ids), want)
        assert sess.run(buckets.size()) == 7


def test_table_in_dataset_map():
    with tf.Graph().as_default(), tf.Session() as sess:
        table = tf.contrib.lookup.index_table_from_tensor(mapping=["a", "b", "c"],
                                                          num_oov_buckets=1)
        ds = tf.data.Dataset.from_tensor_slices(["c", "a", "zz"]).map(table.lookup)
        nxt = ds.make_initializable_iterator()
        sess.run(tf.tables_initializer())
        sess.run(nxt.initializer)
        get = nxt.get_next()
        assert [sess.run(get) for _ in range(3)] == [2, 0, 3]


def test_registry_flags():
    for t in ("HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2",
              "MutableDenseHashTableV2", "InitializeTableV2", "InitializeTableFromTextFileV2",
              "LookupTableFindV2", "LookupTableInsertV2", "LookupTableRemoveV2",
              "LookupTableSizeV2", "LookupTableExportV2", "LookupTableImportV2"):
        op_def = registry.get(t)
        assert op_def.stateful and op_def.grad is registry.NOT_DIFFERENTIABLE


def test_tf_graph_def_runs(in_fixtures):
    """A GraphDef written by TF (tables, LookupTableImportV2 initializers, set and hash ops)
    imports and gives TF's values."""
    want = _load("graph_def.json")
    with open(os.path.join(DIR, "tables_graph.pb"), "rb") as f:
        gd = tf.GraphDef()
        gd.ParseFromString(f.read())
    with tf.Graph().as_default() as g, tf.Session() as sess:
        tf.import_graph_def(gd, name="")
        sess.run(g.get_operation_by_name(want["init"]))
        sess.run([g.get_operation_by_name(n) for n in want["inserts"]])
        got = sess.run(list(want["values"]))
        for name, value in zip(want["values"], got):
            assert value.tolist() == want["values"][name], name


def test_graph_def_round_trip():
    with tf.Graph().as_default() as g:
        table = tf.contrib.lookup.index_table_from_tensor(mapping=["a", "b"],
                                                          num_oov_buckets=1)
        ids = table.lookup(tf.constant(["b", "z"]))
        m = tf.contrib.lookup.MutableHashTable(tf.int64, tf.float32, [0.0, 0.0])
        ins = m.insert(tf.constant([3], tf.int64), tf.constant([[1.0, 2.0]]))
        look = m.lookup(tf.constant([3, 4], tf.int64))
        data = g.as_graph_def().SerializeToString()
    with tf.Graph().as_default() as g2, tf.Session() as sess:
        gd = tf.GraphDef()
        gd.ParseFromString(data)
        tf.import_graph_def(gd, name="")
        assert g2.get_tensor_by_name(look.name).shape.as_list() == [2, 2]
        sess.run(g2.get_collection(tf.GraphKeys.TABLE_INITIALIZERS)
                 or [op for op in g2.get_operations() if op.type == "InitializeTableV2"])
        sess.run(ins.name)
        a, b = sess.run([ids.name, look.name])
        assert a.tolist() == [1, 2] and b.tolist() == [[1.0, 2.0], [0.0, 0.0]]


# The steps tools/fixtures/gen_lookup_sets.py ran on TF's DenseHashTable.
DENSE_STEPS = [("insert", [3, 11, 19, 4]), ("remove", [11, 7]), ("insert", [27, 11]),
               ("insert", [100, 101, 102]), ("remove", [3, 100]), ("insert", [-9, 2 ** 40])]
DENSE_STR_STEPS = [("insert", ["a", "b", "c"]), ("remove", ["b"]),
                   ("insert", ["bb", "b", "dd", "eee"])]


def test_dense_bucket_layout_matches_tf(mutable):
    """TF's bucket layout (the export), slot for slot, through inserts, removes and growth."""
    want = mutable["dense_steps"]
    with tf.Graph().as_default(), tf.Session() as sess:
        d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.float32, [-1.0, -1.0], 0, -1,
                                                  initial_num_buckets=8)
        exp = d.export()
        for (kind, keys), step in zip(DENSE_STEPS, want["int"]):
            k = tf.constant(keys, tf.int64)
            if kind == "insert":
                sess.run(d.insert(k, tf.constant([[float(x), float(x) / 2] for x in keys])))
            else:
                sess.run(d.remove(k))
            got = sess.run(exp)
            assert [got[0].tolist(), got[1].tolist(), int(sess.run(d.size()))] == step
        look = d.lookup(tf.constant([27, 3, 11, 2 ** 40], tf.int64))
        assert sess.run(look).tolist() == want["int_find"]
        s = tf.lookup.experimental.DenseHashTable(tf.string, tf.int64, -1, "", "<del>",
                                                  initial_num_buckets=4)
        exp = s.export()
        for (kind, keys), step in zip(DENSE_STR_STEPS, want["str"]):
            if kind == "insert":
                sess.run(s.insert(tf.constant(keys), tf.constant([len(x) for x in keys],
                                                                 tf.int64)))
            else:
                sess.run(s.remove(tf.constant(keys)))
            k, v = sess.run(exp)
            assert [_plain(k), v.tolist(), int(sess.run(s.size()))] == step
        bad = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, 0, -1,
                                                    initial_num_buckets=6)
        _raises(want["errors"]["buckets"], lambda: sess.run(bad.size()))
