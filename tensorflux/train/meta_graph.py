"""`tf.train.import_meta_graph`: a `.meta` file's graph, collections and Saver, rebuilt.

A MetaGraphDef holds a GraphDef, the SaverDef of the Saver that wrote it and the graph's
collections. The graph is imported with `import_graph_def`; the collections come back as
tensorflux objects (variables as `tf.Variable`s over the imported ops, ops and tensors by
name); and a tensorflux `Saver` over the imported variables is returned.

TF's Saver keeps its save/restore machinery as graph nodes (`save/SaveV2`,
`save/restore_all`, …). Those nodes (everything under a saver's name scope, and whatever
depends on a save/restore op) are not imported: the returned Saver recreates the `save/` scope
with its own, TF-identical nodes (`saver_graph.py`) and saves/restores from Python. (A plain
`import_graph_def` of such a graph keeps TF's nodes; they run through SaveV2/RestoreV2.)
"""

import os

from tensorflux.graph import graph as graph_lib
from tensorflux.graph import graph_protos, importer
from tensorflux.graph.graph import GraphKeys

_SAVER_OPS = {"SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "ShardedFilespec",
              "StringJoin", "Save", "SaveSlices", "Restore", "RestoreSlice"}
_CHECKPOINT_OPS = {"SaveV2", "RestoreV2", "MergeV2Checkpoints", "Save", "Restore"}
_VARIABLE_COLLECTIONS = {
    GraphKeys.GLOBAL_VARIABLES, GraphKeys.LOCAL_VARIABLES, GraphKeys.MODEL_VARIABLES,
    GraphKeys.TRAINABLE_VARIABLES, GraphKeys.MOVING_AVERAGE_VARIABLES,
    GraphKeys.METRIC_VARIABLES, GraphKeys.GLOBAL_STEP, GraphKeys.CONCATENATED_VARIABLES}
_SKIPPED_COLLECTIONS = {GraphKeys.SAVERS, GraphKeys.COND_CONTEXT, GraphKeys.WHILE_CONTEXT,
                        GraphKeys.QUEUE_RUNNERS}


def read_meta_graph_file(filename):
    """Reads a binary `.meta` file into a `MetaGraphDef`.

    Raises:
        IOError: If the file does not exist.
        NotImplementedError: For a text-format MetaGraphDef.
    """
    if not os.path.exists(filename):
        raise IOError("File %s does not exist." % filename)
    with open(filename, "rb") as f:
        data = f.read()
    try:
        return graph_protos.MetaGraphDef.FromString(data)
    except (ValueError, UnicodeDecodeError):
        raise NotImplementedError("%s is not a binary MetaGraphDef; tensorflux does not read "
                                  "text-format meta graphs." % filename) from None


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """Recreates the graph of a MetaGraphDef in the default graph and returns its Saver.

    Args:
        meta_graph_or_file: A `MetaGraphDef`, its bytes, or the path of a `.meta` file.
        clear_devices: Drop the device of every node.
        import_scope: Name scope to import into (names inside stay relative to it).
        **kwargs: `input_map` and `return_elements`, passed to `import_graph_def`.

    Returns:
        A `Saver` for the imported variables, or None when there are none.

    Example:
        >>> saver = tf.train.import_meta_graph("model.ckpt.meta")
        >>> saver.restore(sess, "model.ckpt")
        >>> sess.run("probs:0", {"x:0": x})
    """
    meta = _as_meta_graph(meta_graph_or_file)
    saver_def = meta.saver_def if meta.HasField("saver_def") else None
    gd = graph_protos.GraphDef.FromString(meta.graph_def.SerializeToString())
    skipped = _saver_nodes(gd, _saver_scopes(meta, saver_def))
    kept = [n for n in gd.node if n.name not in skipped]
    del gd.node[:]
    gd.node.extend(kept)
    if clear_devices:
        for node in gd.node:
            node.device = ""
    scope = import_scope or ""
    importer.import_graph_def(gd, input_map=kwargs.get("input_map"),
                              return_elements=kwargs.get("return_elements"), name=scope)
    g = graph_lib.get_default_graph()
    variables = _restore_collections(g, meta, scope, skipped)
    return _make_saver(variables, saver_def, scope)


def _as_meta_graph(meta_graph_or_file):
    if isinstance(meta_graph_or_file, graph_protos.MetaGraphDef):
        return meta_graph_or_file
    if isinstance(meta_graph_or_file, (bytes, bytearray)):
        return graph_protos.MetaGraphDef.FromString(bytes(meta_graph_or_file))
    if hasattr(meta_graph_or_file, "SerializeToString"):
        return graph_protos.MetaGraphDef.FromString(meta_graph_or_file.SerializeToString())
    return read_meta_graph_file(os.fspath(meta_graph_or_file))


def _saver_scopes(meta, saver_def):
    """The name scopes ("save/") of the SaverDefs in the meta graph."""
    defs = [saver_def] if saver_def is not None else []
    savers = meta.collection_def.get(GraphKeys.SAVERS)
    if savers is not None:
        defs += [graph_protos.SaverDef.FromString(b) for b in savers.bytes_list.value]
    scopes = set()
    for sd in defs:
        if "/" in sd.restore_op_name:
            scopes.add(sd.restore_op_name.rsplit("/", 1)[0] + "/")
    # Savers that are in no SaverDef (a SavedModel's earlier "save" next to "save_1").
    for node in meta.graph_def.node:
        if node.op in _CHECKPOINT_OPS and "/" in node.name:
            scopes.add(node.name.rsplit("/", 1)[0] + "/")
    return scopes


def _saver_nodes(gd, scopes):
    """Names of the nodes under a saver scope and of everything fed by a save/restore op."""
    skipped = {n.name for n in gd.node
               if n.op in _SAVER_OPS or any(n.name.startswith(s) for s in scopes)}
    changed = True
    while changed:
        changed = False
        for n in gd.node:
            if n.name not in skipped and any(
                    importer._split_input(i)[0] in skipped for i in n.input):
                skipped.add(n.name)
                changed = True
    return skipped


def _scoped(name, scope):
    return "%s/%s" % (scope, name) if scope else name


def _restore_collections(g, meta, scope, skipped):
    """Adds the meta graph's collections to `g`; returns {checkpoint name: Variable}."""
    from tensorflux.variables import Variable

    variables = {}
    for key in sorted(meta.collection_def):
        cd = meta.collection_def[key]
        kind = cd.WhichOneof("kind")
        if key in _SKIPPED_COLLECTIONS or kind in (None, "any_list"):
            continue
        if kind == "node_list":
            for name in cd.node_list.value:
                if importer._split_input(name)[0] not in skipped:
                    g.add_to_collection(key, g.as_graph_element(_scoped(name, scope)))
        elif kind == "bytes_list" and key in _VARIABLE_COLLECTIONS:
            for data in cd.bytes_list.value:
                vd = graph_protos.VariableDef.FromString(data)
                var = variables.get(vd.variable_name)
                if var is None:
                    var = Variable(variable_def=vd, import_scope=scope or None)
                    variables[vd.variable_name] = var
                g.add_to_collection(key, var)
        else:
            for value in getattr(cd, kind).value:
                g.add_to_collection(key, value)
    return variables


def _make_saver(variables, saver_def, scope):
    from tensorflux.train.saver import Saver

    if not variables:
        return None
    g = graph_lib.get_default_graph()
    var_list = {name.split(":")[0]: v for name, v in variables.items()
                if v in g.get_collection(GraphKeys.GLOBAL_VARIABLES)} or {
        name.split(":")[0]: v for name, v in variables.items()}
    kwargs = {}
    name = "save"
    if saver_def is not None:
        kwargs["max_to_keep"] = saver_def.max_to_keep
        kwargs["keep_checkpoint_every_n_hours"] = saver_def.keep_checkpoint_every_n_hours or \
            10000.0
        if "/" in saver_def.restore_op_name:
            name = saver_def.restore_op_name.rsplit("/", 1)[0]
    return Saver(var_list=var_list, name=_scoped(name, scope), **kwargs)
