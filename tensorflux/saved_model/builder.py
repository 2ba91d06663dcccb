"""`tf.saved_model.builder.SavedModelBuilder` and `tf.saved_model.simple_save`.

Writes the layout TF 1.x writes: `saved_model.pb` (a `SavedModel` proto with one tagged
MetaGraphDef per `add_meta_graph*` call), `variables/variables.index` and
`variables/variables.data-00000-of-00001` (a V2 checkpoint, written by the first call) and
`assets/` (copies of the files named by the asset tensors). Every file is written to a
temporary name and renamed; `saved_model.pb` is written last, by `save()`, so a directory
without it is never mistaken for a complete SavedModel.
"""

import os
import shutil

from tensorflux.graph import graph as graph_lib
from tensorflux.graph import graph_def as graph_def_lib
from tensorflux.graph import graph_protos
from tensorflux.graph.graph import GraphKeys
from tensorflux.saved_model import (
    constants,
    signature_constants,
    signature_def_utils,
    tag_constants,
)
from tensorflux.train import atomic_file

_ASSET_TYPE_URL = "type.googleapis.com/tensorflow.AssetFileDef"


def _validate_tensor_info(info):
    if info.WhichOneof("encoding") is None:
        raise AssertionError("Invalid `tensor_info`: %s. All TensorInfo protos used in the "
                             "SignatureDefs must have one of the 'encoding' fields (e.g., name "
                             "or coo_sparse) set." % info)
    if info.dtype == 0:
        raise AssertionError("Invalid `tensor_info`: %s. All TensorInfo protos used in the "
                             "SignatureDefs must have the dtype field set." % info)


def _validate_signature_def_map(signature_def_map):
    for sig in signature_def_map.values():
        for info in list(sig.inputs.values()) + list(sig.outputs.values()):
            _validate_tensor_info(info)
    for key in (constants.INIT_OP_SIGNATURE_KEY, constants.TRAIN_OP_SIGNATURE_KEY):
        if key in signature_def_map:
            raise KeyError('SignatureDef map key "%s" is reserved. Please use a different key.'
                           % key)


def _asset_path(tensor):
    """The file path held by an asset tensor (a scalar string Const)."""
    if not hasattr(tensor, "op"):
        raise TypeError("Asset path tensor %s must be a Tensor." % (tensor,))
    if tensor.op.type != "Const":
        raise TypeError("Asset path tensor %s must be of type constant. Has type %s instead."
                        % (tensor, tensor.op.type))
    value = tensor.op.get_attr("value")
    value = getattr(value, "tolist", lambda: value)()
    if isinstance(value, list):
        if len(value) != 1:
            raise TypeError("Asset path tensor %s must be a scalar." % (tensor,))
        value = value[0]
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class SavedModelBuilder:
    """Builds a SavedModel: variables once, then one or more tagged meta graphs.

    Example:
        >>> builder = tf.saved_model.builder.SavedModelBuilder(export_dir)
        >>> builder.add_meta_graph_and_variables(
        ...     sess, [tf.saved_model.tag_constants.SERVING],
        ...     signature_def_map={"serving_default": sig})
        >>> builder.save()
    """

    def __init__(self, export_dir):
        export_dir = os.fspath(export_dir)
        if os.path.exists(export_dir):
            if os.listdir(export_dir):
                raise AssertionError(
                    "Export directory already exists, and isn't empty. Please choose a "
                    "different export directory, or delete all the contents of the specified "
                    "directory: %s" % export_dir)
        else:
            os.makedirs(export_dir)
        self._export_dir = export_dir
        self._saved_model = graph_protos.SavedModel(
            saved_model_schema_version=constants.SAVED_MODEL_SCHEMA_VERSION)
        self._has_saved_variables = False
        self._asset_files = {}  # file name in assets/ -> source path

    # --- collections -----------------------------------------------------------------------
    def _save_assets(self, assets_collection):
        """Copies the asset files into assets/ and records them in the graph's collection."""
        if not assets_collection:
            return
        g = graph_lib.get_default_graph()
        assets_dir = os.path.join(self._export_dir, constants.ASSETS_DIRECTORY)
        for tensor in assets_collection:
            source = _asset_path(tensor)
            if not source:
                raise ValueError("Asset filepath tensor %s in is invalid." % (tensor,))
            filename = self._asset_filename(source)
            info = graph_protos.TensorInfo(name=tensor.name)
            asset = graph_protos.AssetFileDef(tensor_info=info, filename=filename)
            any_proto = graph_protos.Any(type_url=_ASSET_TYPE_URL,
                                         value=asset.SerializeToString())
            g.add_to_collection(constants.ASSETS_KEY, any_proto.SerializeToString())
            if filename not in self._asset_files:
                os.makedirs(assets_dir, exist_ok=True)
                temp = atomic_file.temp_path(os.path.join(assets_dir, filename))
                shutil.copyfile(source, temp)
                atomic_file.replace_files([(temp, os.path.join(assets_dir, filename))])
                self._asset_files[filename] = source

    def _asset_filename(self, source):
        """The base name of `source`, suffixed `_1`, `_2`, … if a different file has it."""
        base = os.path.basename(source)
        name, i = base, 1
        while name in self._asset_files and self._asset_files[name] != source:
            name = "%s_%d" % (base, i)
            i += 1
        return name

    @staticmethod
    def _add_main_op(main_op):
        if main_op is None:
            return
        if not hasattr(main_op, "node_def") and not hasattr(main_op, "outputs"):
            raise TypeError("main_op needs to be an Operation: %r" % (main_op,))
        for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
            if graph_lib.get_collection(key):
                raise ValueError("Graph already contains one or more main ops under the "
                                 "collection %s." % key)
        graph_lib.add_to_collection(constants.MAIN_OP_KEY, main_op)

    @staticmethod
    def _make_saver(saver):
        from tensorflux.train.saver import Saver

        if saver is not None:
            return saver
        var_list = graph_lib.get_collection(GraphKeys.GLOBAL_VARIABLES) + \
            graph_lib.get_collection(GraphKeys.SAVEABLE_OBJECTS)
        return Saver(var_list, sharded=True, allow_empty=True)

    # --- meta graphs ------------------------------------------------------------------------
    def _meta_graph_def(self, saver, clear_devices):
        g = graph_lib.get_default_graph()
        meta = graph_protos.MetaGraphDef.FromString(
            graph_def_lib.meta_graph_def_bytes(g, saver.saver_def))
        if saver.saver_def is not None:  # (a Saver without variables has none, as TF's)
            meta.saver_def.sharded = True
        # Asset records are Any protos, which the generic collection exporter skips.
        assets = g.get_collection(constants.ASSETS_KEY)
        if assets:
            meta.collection_def[constants.ASSETS_KEY] = graph_protos.CollectionDef(
                any_list=graph_protos.CollectionDef.AnyList(value=assets))
        if clear_devices:
            for node in meta.graph_def.node:
                node.device = ""
        return meta

    def _tag_and_add(self, meta, tags, signature_def_map):
        meta.meta_info_def.tags = list(tags)
        for key, sig in (signature_def_map or {}).items():
            meta.signature_def[key].CopyFrom(sig)
        self._saved_model.meta_graphs.append(meta)

    def add_meta_graph(self, tags, signature_def_map=None, assets_collection=None,
                       legacy_init_op=None, clear_devices=False, main_op=None,
                       strip_default_attrs=False, saver=None):
        """Adds another tagged meta graph of the default graph (variables already saved).

        Raises:
            AssertionError: If `add_meta_graph_and_variables` has not been called.
        """
        if not self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has not been "
                                 "saved yet. Please invoke `add_meta_graph_and_variables()` "
                                 "first.")
        signature_def_map = signature_def_map or {}
        _validate_signature_def_map(signature_def_map)
        self._save_assets(assets_collection)
        self._add_main_op(main_op if main_op is not None else legacy_init_op)
        saver = self._make_saver(saver)
        self._tag_and_add(self._meta_graph_def(saver, clear_devices), tags, signature_def_map)

    def add_meta_graph_and_variables(self, sess, tags, signature_def_map=None,
                                     assets_collection=None, legacy_init_op=None,
                                     clear_devices=False, main_op=None,
                                     strip_default_attrs=False, saver=None):
        """Saves the session's variables and adds the first tagged meta graph.

        Args:
            sess: The Session holding the variables' values.
            tags: The tags of this meta graph, e.g. `[tag_constants.SERVING]`.
            signature_def_map: `{key: SignatureDef}`.
            assets_collection: Asset path tensors (scalar string Consts) to copy to assets/.
            legacy_init_op: Deprecated name of `main_op`.
            clear_devices: Drop node devices from the exported graph.
            main_op: An op the loader runs after restoring the variables.
            strip_default_attrs: Accepted for compatibility.
            saver: The Saver to save with; a sharded V2 Saver of all variables if None.

        Example:
            >>> builder.add_meta_graph_and_variables(sess, ["serve"], {"serving_default": s})
        """
        if self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has already been "
                                 "saved. Please invoke `add_meta_graph()` instead.")
        signature_def_map = signature_def_map or {}
        _validate_signature_def_map(signature_def_map)
        self._save_assets(assets_collection)
        self._add_main_op(main_op or legacy_init_op)
        variables_dir = os.path.join(self._export_dir, constants.VARIABLES_DIRECTORY)
        os.makedirs(variables_dir, exist_ok=True)
        saver = self._make_saver(saver)
        saver.save(sess, os.path.join(variables_dir, constants.VARIABLES_FILENAME),
                   write_meta_graph=False, write_state=False)
        self._tag_and_add(self._meta_graph_def(saver, clear_devices), tags, signature_def_map)
        self._has_saved_variables = True

    def save(self, as_text=False):
        """Writes saved_model.pb (atomically) and returns its path."""
        if as_text:
            from tensorflux.graph import text_format

            name = constants.SAVED_MODEL_FILENAME_PBTXT
            data = text_format.message_to_string(self._saved_model).encode("utf-8")
        else:
            name = constants.SAVED_MODEL_FILENAME_PB
            data = self._saved_model.SerializeToString(deterministic=True)
        path = os.path.join(self._export_dir, name)
        atomic_file.atomic_write(path, data)
        return path


Builder = SavedModelBuilder


def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None):
    """Saves a serving SavedModel with one predict signature, "serving_default".

    Args:
        session: The Session holding the variables.
        export_dir: A new (or empty) directory.
        inputs: `{name: Tensor}` of the model's inputs.
        outputs: `{name: Tensor}` of its outputs.
        legacy_init_op: An op to run at load time (e.g. `tf.tables_initializer()`).

    Example:
        >>> tf.saved_model.simple_save(sess, "export/1", {"x": x}, {"y": y})
    """
    sig = signature_def_utils.predict_signature_def(inputs, outputs)
    builder = SavedModelBuilder(export_dir)
    builder.add_meta_graph_and_variables(
        session, [tag_constants.SERVING],
        signature_def_map={signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: sig},
        assets_collection=graph_lib.get_collection(GraphKeys.ASSET_FILEPATHS),
        main_op=legacy_init_op, clear_devices=True)
    builder.save()
