"""GraphDef, NodeDef, AttrValue, MetaGraphDef and friends as protobuf message classes.

Field numbers are TensorFlow's (tensorflow/core/framework/graph.proto, node_def.proto,
attr_value.proto, versions.proto, protobuf/meta_graph.proto, saver.proto, variable.proto,
protobuf/saved_model.proto).
The classes behave like protobuf's generated ones for what TF1 code does with a graph:
`ParseFromString`, `FromString`, `SerializeToString`, attribute access, `node.add()`,
`node.attr["T"].type`, `HasField`, `WhichOneof`. Map fields (`NodeDef.attr`,
`MetaGraphDef.collection_def`, `SignatureDef.inputs`) are dicts whose missing keys read as
empty messages.

Example:
    >>> gd = GraphDef()
    >>> n = gd.node.add(name="c", op="Const")
    >>> n.attr["dtype"].type = 1
    >>> GraphDef.FromString(gd.SerializeToString()).node[0].attr["dtype"].type
    1
"""

from tensorflux.graph import protowire as pw
from tensorflux.summary.proto import Field, Message, TensorProto, TensorShapeProto


class _MessageMap(dict):
    """A protobuf map whose values are messages: reading a missing key adds an empty one."""

    def __init__(self, value_cls, items=()):
        super().__init__(items)
        self._value_cls = value_cls

    def __missing__(self, key):
        value = self._value_cls()
        self[key] = value
        return value

    def get_or_create(self, key):
        return self[key]


class MapField:
    """A `map<string, Message or bytes>` field: entries are (key=1, value=2) sub-messages."""

    def __init__(self, name, number, value_kind):
        self.name, self.number, self.value_kind = name, number, value_kind

    def new(self, items=()):
        if self.value_kind == "bytes":
            return dict(items)
        return _MessageMap(self.value_kind, items)

    def encode(self, mapping):
        out = []
        for key in sorted(mapping):
            value = mapping[key]
            body = value if isinstance(value, bytes) else value.SerializeToString()
            entry = pw.encode_bytes_field(1, key) + pw.encode_bytes_field(2, body)
            out.append(pw.encode_bytes_field(self.number, entry))
        return b"".join(out)

    def decode_entry(self, raw):
        key, body = "", b""
        for number, _, value in pw.iter_fields(raw):
            if number == 1:
                key = value.decode("utf-8")
            elif number == 2:
                body = value
        if self.value_kind == "bytes":
            return key, body
        return key, self.value_kind.FromString(body)


class MapMessage(Message):
    """A Message with map fields, listed in `MAPS`."""

    MAPS = ()

    def __init__(self, **kwargs):
        maps = {m.name: m for m in self.MAPS}
        for m in self.MAPS:
            object.__setattr__(self, m.name, m.new())
        for name in [k for k in kwargs if k in maps]:
            getattr(self, name).update(kwargs.pop(name))
        super().__init__(**kwargs)

    def __setattr__(self, name, value):
        for m in self.MAPS:
            if m.name == name:
                object.__setattr__(self, name, m.new(dict(value)))
                return
        super().__setattr__(name, value)

    def ClearField(self, name):  # noqa: N802 - protobuf's name
        for m in self.MAPS:
            if m.name == name:
                object.__setattr__(self, name, m.new())
                return
        super().ClearField(name)

    def ParseFromString(self, data):  # noqa: N802 - protobuf's name
        for m in self.MAPS:
            self.ClearField(m.name)
        super().ParseFromString(data)

    def SerializeToString(self, deterministic=None):  # noqa: N802 - protobuf's name
        # Fields and maps in field-number order, as protobuf writes them.
        parts = [(f.number, self._encode_field(f)) for f in self.FIELDS]
        parts += [(m.number, m.encode(getattr(self, m.name))) for m in self.MAPS]
        return b"".join(body for _, body in sorted(parts, key=lambda p: p[0]))

    def MergeFromString(self, data):  # noqa: N802 - protobuf's name
        super().MergeFromString(data)
        maps = {m.number: m for m in self.MAPS}
        for number, _, raw in pw.iter_fields(data):
            if number in maps:
                key, value = maps[number].decode_entry(raw)
                getattr(self, maps[number].name)[key] = value
        return len(data)

    def __repr__(self):
        base = super().__repr__()[:-1]
        extra = ["%s=%r" % (m.name, dict(getattr(self, m.name))) for m in self.MAPS
                 if getattr(self, m.name)]
        sep = ", " if extra and not base.endswith("(") else ""
        return base + sep + ", ".join(extra) + ")"


# --- attr_value.proto ---------------------------------------------------------------------------
class NameAttrList(MapMessage):
    FIELDS = (Field("name", 1, "string"),)


class AttrValue(Message):
    class ListValue(Message):
        FIELDS = (Field("s", 2, "bytes", repeated=True), Field("i", 3, "int64", repeated=True),
                  Field("f", 4, "float", repeated=True), Field("b", 5, "bool", repeated=True),
                  Field("type", 6, "enum", repeated=True),
                  Field("shape", 7, TensorShapeProto, repeated=True),
                  Field("tensor", 8, TensorProto, repeated=True),
                  Field("func", 9, NameAttrList, repeated=True))

    FIELDS = (Field("list", 1, ListValue, oneof="value"), Field("s", 2, "bytes", oneof="value"),
              Field("i", 3, "int64", oneof="value"), Field("f", 4, "float", oneof="value"),
              Field("b", 5, "bool", oneof="value"), Field("type", 6, "enum", oneof="value"),
              Field("shape", 7, TensorShapeProto, oneof="value"),
              Field("tensor", 8, TensorProto, oneof="value"),
              Field("placeholder", 9, "string", oneof="value"),
              Field("func", 10, NameAttrList, oneof="value"))


NameAttrList.MAPS = (MapField("attr", 2, AttrValue),)


# --- node_def.proto, versions.proto, graph.proto, function.proto -------------------------------
class NodeDef(MapMessage):
    FIELDS = (Field("name", 1, "string"), Field("op", 2, "string"),
              Field("input", 3, "string", repeated=True), Field("device", 4, "string"),
              Field("experimental_debug_info", 6, "bytes"),
              Field("experimental_type", 7, "bytes"))
    MAPS = (MapField("attr", 5, AttrValue),)


class VersionDef(Message):
    FIELDS = (Field("producer", 1, "int32"), Field("min_consumer", 2, "int32"),
              Field("bad_consumers", 3, "int32", repeated=True))


class OpDefProto(Message):
    """`OpDef` (op_def.proto): a function's signature. Only the fields functions use."""

    class ArgDef(Message):
        FIELDS = (Field("name", 1, "string"), Field("type", 3, "enum"),
                  Field("type_attr", 4, "string"), Field("number_attr", 5, "string"),
                  Field("type_list_attr", 6, "string"), Field("is_ref", 16, "bool"))

    FIELDS = (Field("name", 1, "string"), Field("input_arg", 2, ArgDef, repeated=True),
              Field("output_arg", 3, ArgDef, repeated=True),
              Field("is_stateful", 17, "bool"),
              Field("control_output", 20, "string", repeated=True))


class FunctionDef(MapMessage):
    """`FunctionDef` (function.proto): signature, body nodes and the `ret` output mapping."""

    FIELDS = (Field("signature", 1, OpDefProto), Field("node_def", 3, NodeDef, repeated=True))
    MAPS = (MapField("ret", 4, "bytes"), MapField("attr", 5, AttrValue),
            MapField("control_ret", 6, "bytes"))


class FunctionDefLibrary(Message):
    """Functions are kept as serialized `FunctionDef`s; `function_defs()` decodes them."""

    FIELDS = (Field("function", 1, "bytes", repeated=True),
              Field("gradient", 2, "bytes", repeated=True))

    def function_names(self):
        """The names of the library's functions (FunctionDef.signature.name)."""
        names = []
        for fdef in self.function:
            for number, _, sig in pw.iter_fields(fdef):
                if number == 1:
                    names += [v.decode() for n, _, v in pw.iter_fields(sig) if n == 1]
        return names

    def function_defs(self):
        """{name: FunctionDef} of the library's functions."""
        defs = [FunctionDef.FromString(f) for f in self.function]
        return {f.signature.name: f for f in defs}


class GraphDef(Message):
    """`tf.GraphDef`: the `node` list, `versions` and the function `library`."""

    FIELDS = (Field("node", 1, NodeDef, repeated=True),
              Field("library", 2, FunctionDefLibrary), Field("version", 3, "int32"),
              Field("versions", 4, VersionDef))


# --- meta_graph.proto, saver.proto, variable.proto ---------------------------------------------
class SaverDef(Message):
    LEGACY, V1, V2 = 0, 1, 2
    FIELDS = (Field("filename_tensor_name", 1, "string"), Field("save_tensor_name", 2, "string"),
              Field("restore_op_name", 3, "string"), Field("max_to_keep", 4, "int32"),
              Field("sharded", 5, "bool"), Field("keep_checkpoint_every_n_hours", 6, "float"),
              Field("version", 7, "enum"))


class VariableDef(Message):
    FIELDS = (Field("variable_name", 1, "string"), Field("initializer_name", 2, "string"),
              Field("snapshot_name", 3, "string"), Field("save_slice_info_def", 4, "bytes"),
              Field("is_resource", 5, "bool"), Field("initial_value_name", 6, "string"),
              Field("trainable", 7, "bool"), Field("synchronization", 8, "enum"),
              Field("aggregation", 9, "enum"))


class CollectionDef(Message):
    class NodeList(Message):
        FIELDS = (Field("value", 1, "string", repeated=True),)

    class BytesList(Message):
        FIELDS = (Field("value", 1, "bytes", repeated=True),)

    class Int64List(Message):
        FIELDS = (Field("value", 1, "int64", repeated=True),)

    class FloatList(Message):
        FIELDS = (Field("value", 1, "float", repeated=True),)

    class AnyList(Message):
        FIELDS = (Field("value", 1, "bytes", repeated=True),)

    FIELDS = (Field("node_list", 1, NodeList, oneof="kind"),
              Field("bytes_list", 2, BytesList, oneof="kind"),
              Field("int64_list", 3, Int64List, oneof="kind"),
              Field("float_list", 4, FloatList, oneof="kind"),
              Field("any_list", 5, AnyList, oneof="kind"))


class TensorInfo(Message):
    """`TensorInfo`: a signature's tensor, by name (or its COO sparse parts), dtype and shape."""

    class CooSparse(Message):
        FIELDS = (Field("values_tensor_name", 1, "string"),
                  Field("indices_tensor_name", 2, "string"),
                  Field("dense_shape_tensor_name", 3, "string"))

    FIELDS = (Field("name", 1, "string", oneof="encoding"),
              Field("coo_sparse", 4, CooSparse, oneof="encoding"),
              Field("composite_tensor", 5, "bytes", oneof="encoding"),
              Field("dtype", 2, "enum"), Field("tensor_shape", 3, TensorShapeProto))


class SignatureDef(MapMessage):
    """`SignatureDef`: named input and output TensorInfos and a method name."""

    FIELDS = (Field("method_name", 3, "string"),)
    MAPS = (MapField("inputs", 1, TensorInfo), MapField("outputs", 2, TensorInfo),
            MapField("defaults", 4, TensorProto))


class AssetFileDef(Message):
    """`AssetFileDef`: the tensor that holds an asset's path and the file's name in assets/."""

    FIELDS = (Field("tensor_info", 1, TensorInfo), Field("filename", 2, "string"))


class Any(Message):
    """`google.protobuf.Any`: a type URL and the serialized message."""

    FIELDS = (Field("type_url", 1, "string"), Field("value", 2, "bytes"))


class MetaGraphDef(MapMessage):
    """`tf.MetaGraphDef`: a GraphDef with its SaverDef, collections, signatures and meta info."""

    class MetaInfoDef(Message):
        FIELDS = (Field("meta_graph_version", 1, "string"),
                  Field("stripped_op_list", 2, "bytes"), Field("any_info", 3, "bytes"),
                  Field("tags", 4, "string", repeated=True),
                  Field("tensorflow_version", 5, "string"),
                  Field("tensorflow_git_version", 6, "string"),
                  Field("stripped_default_attrs", 7, "bool"))

    FIELDS = (Field("meta_info_def", 1, MetaInfoDef), Field("graph_def", 2, GraphDef),
              Field("saver_def", 3, SaverDef),
              Field("asset_file_def", 6, AssetFileDef, repeated=True),
              Field("object_graph_def", 7, "bytes"))
    MAPS = (MapField("collection_def", 4, CollectionDef),
            MapField("signature_def", 5, SignatureDef))


class SavedModel(Message):
    """`SavedModel` (saved_model.proto): the schema version and one MetaGraphDef per tag set."""

    FIELDS = (Field("saved_model_schema_version", 1, "int64"),
              Field("meta_graphs", 2, MetaGraphDef, repeated=True))


def split_input(name):
    """A NodeDef input as (node name, output index): `"^a"` -> ("a", -1) for a control input,
    `"a:1"` -> ("a", 1), `"a"` -> ("a", 0)."""
    if name.startswith("^"):
        return name[1:], -1
    if ":" in name:
        op_name, idx = name.rsplit(":", 1)
        if idx.isdigit():
            return op_name, int(idx)
    return name, 0


def as_graph_def_message(graph_def):
    """`graph_def` as a `GraphDef` message (from a message, bytes, or any object that has
    `SerializeToString`, like the view `Graph.as_graph_def()` returns)."""
    if isinstance(graph_def, GraphDef):
        return graph_def
    if isinstance(graph_def, (bytes, bytearray)):
        return GraphDef.FromString(bytes(graph_def))
    if hasattr(graph_def, "SerializeToString"):
        return GraphDef.FromString(graph_def.SerializeToString())
    raise TypeError("graph_def must be a GraphDef proto, not %s." % type(graph_def).__name__)
