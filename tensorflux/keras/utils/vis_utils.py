"""`plot_model` and `model_to_dot`: a Keras model as a graphviz diagram, through pydot.

pydot and the graphviz programs are optional; without them these raise tf_keras' ImportError.

Example:
    >>> tf.keras.utils.plot_model(model, to_file="model.png", show_shapes=True)
"""

import os


def _pydot():
    """The pydot module if it and the graphviz programs can be used, else None."""
    try:
        import pydot
    except ImportError:
        return None
    try:
        pydot.Dot.create(pydot.Dot())  # runs graphviz' `dot` once
    except Exception:  # noqa: BLE001 - pydot raises bare Exceptions, OSError without dot
        return None
    return pydot


def _shape_text(shape):
    if isinstance(shape, list):
        return ", ".join(_shape_text(s) for s in shape)
    return str(tuple(shape)) if shape is not None else "?"


def _layer_shapes(layer, which):
    from tensorflux.keras import backend

    tensors = [t for node in layer._inbound_nodes[:1]
               for t in (node.inputs if which == "input" else node.outputs)]
    shapes = [backend.int_shape(t) for t in tensors]
    return shapes[0] if len(shapes) == 1 else shapes


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True,
                 rankdir="TB", expand_nested=False, dpi=96, subgraph=False, **kwargs):
    """A `pydot.Dot` with one box per layer and an edge per layer-to-layer connection."""
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by calling "
                         "`build()` or by calling the model on a batch of data.")
    pydot = _pydot()
    if pydot is None:
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to "
                          "work.")
    from tensorflux.keras.engine import node as node_lib

    dot = pydot.Dot()
    dot.set("rankdir", rankdir)
    dot.set("concentrate", True)
    dot.set("dpi", dpi)
    dot.set_node_defaults(shape="record")
    layers = list(model.layers)
    for layer in layers:
        label = type(layer).__name__
        if show_layer_names:
            label = "%s: %s" % (layer.name, label)
        if show_dtype:
            label = "%s|%s" % (label, getattr(layer, "dtype", None))
        if show_shapes:
            label = "%s|{input:|output:}|{{%s}|{%s}}" % (
                label, _shape_text(_layer_shapes(layer, "input")),
                _shape_text(_layer_shapes(layer, "output")))
        dot.add_node(pydot.Node(str(id(layer)), label=label))
    known = {id(layer) for layer in layers}
    for layer in layers:
        for node in layer._inbound_nodes:
            for t in node.inputs:
                record = node_lib.history(t)
                if record is not None and id(record[0].layer) in known:
                    dot.add_edge(pydot.Edge(str(id(record[0].layer)), str(id(layer))))
    return dot


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=96, **kwargs):
    """Draws `model` into `to_file` (its extension picks the format; png by default).

    Raises ImportError when pydot or graphviz is missing, with tf_keras' message.
    """
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by calling "
                         "`build()` or by calling the model on a batch of data.")
    if _pydot() is None:
        raise ImportError("You must install pydot (`pip install pydot`) and install graphviz "
                          "(see instructions at https://graphviz.gitlab.io/download/) for "
                          "plot_model to work.")
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi)
    extension = os.path.splitext(str(to_file))[1][1:] or "png"
    dot.write(str(to_file), format=extension)
    return None
