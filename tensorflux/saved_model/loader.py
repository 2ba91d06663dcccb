"""`tf.saved_model.loader`: load a TF 1.x SavedModel into a Session.

A SavedModel directory holds `saved_model.pb` (a `SavedModel` proto: one MetaGraphDef per
tag set), `variables/variables.{index,data-*}` (a V2 checkpoint) and `assets/`. Loading picks
the MetaGraphDef whose tags equal the requested ones, imports it with `import_meta_graph`
(which rebuilds collections, variables and a Saver), restores the variables, then runs the
init op (the `__saved_model_init_op` signature, else the `saved_model_main_op` or
`legacy_init_op` collection) with each asset tensor fed the asset file's path.
"""

import os

from tensorflux.graph import graph_protos
from tensorflux.saved_model import constants, signature_def_utils
from tensorflux.train import meta_graph


def _join(*parts):
    return os.path.join(*[os.fsdecode(p) for p in parts])  # TF accepts bytes paths too


def parse_saved_model(export_dir):
    """The `SavedModel` proto of `export_dir/saved_model.pb`.

    Raises:
        IOError: If there is no saved_model.pb (or it cannot be parsed).
    """
    path_pb = _join(export_dir, constants.SAVED_MODEL_FILENAME_PB)
    path_txt = _join(export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
    if os.path.exists(path_pb):
        with open(path_pb, "rb") as f:
            data = f.read()
        try:
            return graph_protos.SavedModel.FromString(data)
        except (ValueError, IndexError, UnicodeDecodeError) as e:
            raise IOError("Cannot parse file %s: %s." % (path_pb, e)) from e
    if os.path.exists(path_txt):
        raise IOError("Cannot parse file %s: tensorflux does not read text-format "
                      "SavedModels." % path_txt)
    raise IOError("SavedModel file does not exist at: %s%s{%s|%s}" % (
        os.fspath(export_dir), os.path.sep, constants.SAVED_MODEL_FILENAME_PBTXT,
        constants.SAVED_MODEL_FILENAME_PB))


def maybe_saved_model_directory(export_dir):
    """True if `export_dir` holds a saved_model.pb or .pbtxt (it may still fail to load).

    Example:
        >>> tf.saved_model.loader.maybe_saved_model_directory("/tmp/no/such/dir")
        False
    """
    return any(os.path.exists(_join(export_dir, name)) for name in (
        constants.SAVED_MODEL_FILENAME_PB, constants.SAVED_MODEL_FILENAME_PBTXT))


contains_saved_model = maybe_saved_model_directory


def get_asset_tensors(export_dir, meta_graph_def, import_scope=None):
    """`{asset tensor name: path of the file under export_dir/assets}`."""
    protos = list(meta_graph_def.asset_file_def)
    if not protos and constants.ASSETS_KEY in meta_graph_def.collection_def:
        for raw in meta_graph_def.collection_def[constants.ASSETS_KEY].any_list.value:
            any_proto = graph_protos.Any.FromString(raw)
            protos.append(graph_protos.AssetFileDef.FromString(any_proto.value))
    assets_dir = _join(export_dir, constants.ASSETS_DIRECTORY)
    tensors = {}
    for proto in protos:
        name = proto.tensor_info.name
        if import_scope:
            name = "%s/%s" % (import_scope, name)
        tensors[name] = os.path.join(assets_dir, proto.filename)
    return tensors


def _op_from_collection(graph, meta_graph_def, key):
    if key not in meta_graph_def.collection_def:
        return None
    names = meta_graph_def.collection_def[key].node_list.value
    if len(names) != 1:
        raise RuntimeError("Expected exactly one SavedModel init op. Found %d: %s."
                           % (len(names), list(names)))
    return graph.get_collection(key)[0]


def get_init_op(graph, meta_graph_def, import_scope=None):
    """The op to run after restoring: init-op signature, main_op, or legacy_init_op."""
    sig = meta_graph_def.signature_def.get(constants.INIT_OP_SIGNATURE_KEY)
    if sig is not None:
        with graph.as_default():
            return signature_def_utils.load_op_from_signature_def(
                sig, constants.INIT_OP_SIGNATURE_KEY, import_scope)
    return (_op_from_collection(graph, meta_graph_def, constants.MAIN_OP_KEY)
            or _op_from_collection(graph, meta_graph_def, constants.LEGACY_INIT_OP_KEY))


class SavedModelLoader:
    """Loads the MetaGraphDefs and variables of one SavedModel directory.

    Example:
        >>> loader = SavedModelLoader(export_dir)
        >>> meta = loader.load(sess, ["serve"])
    """

    def __init__(self, export_dir):
        self._export_dir = export_dir
        self._variables_path = _join(export_dir, constants.VARIABLES_DIRECTORY,
                                     constants.VARIABLES_FILENAME)
        self._saved_model = parse_saved_model(export_dir)

    @property
    def export_dir(self):
        return self._export_dir

    @property
    def variables_path(self):
        return self._variables_path

    @property
    def saved_model(self):
        return self._saved_model

    def get_meta_graph_def_from_tags(self, tags):
        """The MetaGraphDef whose tag set equals `tags`.

        Raises:
            RuntimeError: If no meta graph has exactly these tags.
        """
        available = []
        for meta in self._saved_model.meta_graphs:
            available.append(set(meta.meta_info_def.tags))
            if set(meta.meta_info_def.tags) == set(tags):
                return meta
        raise RuntimeError(
            "MetaGraphDef associated with tags %s could not be found in SavedModel, with "
            "available tags '%s'. To inspect available tag-sets in the SavedModel, please use "
            "the SavedModel CLI: `saved_model_cli`." % (str(tags).strip("[]"), available))

    def load_graph(self, graph, tags, import_scope=None, **saver_kwargs):
        """Imports the tagged meta graph into `graph`; returns (Saver or None, MetaGraphDef)."""
        meta = self.get_meta_graph_def_from_tags(tags)
        with graph.as_default():
            saver = meta_graph.import_meta_graph(meta, import_scope=import_scope,
                                                 **saver_kwargs)
        return saver, meta

    def restore_variables(self, sess, saver, import_scope=None):
        """Restores the variables from export_dir/variables/variables with `saver`."""
        if saver is None:
            return
        if not os.path.exists(self._variables_path + ".index"):
            raise IOError("SavedModel variables not found at: %s" % self._variables_path)
        saver.restore(sess, self._variables_path)

    def run_init_ops(self, sess, tags, import_scope=None):
        """Runs the meta graph's init op with the asset tensors fed their files' paths."""
        meta = self.get_meta_graph_def_from_tags(tags)
        init_op = get_init_op(sess.graph, meta, import_scope)
        if init_op is not None:
            feeds = get_asset_tensors(self._export_dir, meta, import_scope)
            sess.run(init_op, feed_dict=feeds)

    def load(self, sess, tags, import_scope=None, **saver_kwargs):
        """Imports, restores and initialises the tagged meta graph in `sess`."""
        saver, meta = self.load_graph(sess.graph, tags, import_scope, **saver_kwargs)
        self.restore_variables(sess, saver, import_scope)
        self.run_init_ops(sess, tags, import_scope)
        return meta


def load(sess, tags, export_dir, import_scope=None, **saver_kwargs):
    """Loads the SavedModel meta graph tagged `tags` into `sess` and returns its MetaGraphDef.

    Args:
        sess: The Session to import into (its graph receives the ops) and restore into.
        tags: The tags the meta graph was saved with, e.g. `[tag_constants.SERVING]`.
        export_dir: The SavedModel directory.
        import_scope: Name scope prepended to the loaded names (not written into the
            returned MetaGraphDef).
        **saver_kwargs: Passed on to `import_meta_graph` (e.g. `clear_devices`).

    Returns:
        The `MetaGraphDef` loaded: `signature_def`, `collection_def`, `meta_info_def.tags`.

    Raises:
        IOError: If export_dir has no SavedModel.
        RuntimeError: If no meta graph has exactly these tags.

    Example:
        >>> with tf.Session(graph=tf.Graph()) as sess:
        ...     meta = tf.saved_model.loader.load(sess, ["serve"], export_dir)
        ...     sig = meta.signature_def["serving_default"]
        ...     sess.run(sig.outputs["y"].name, {sig.inputs["x"].name: data})
    """
    return SavedModelLoader(export_dir).load(sess, tags, import_scope, **saver_kwargs)
