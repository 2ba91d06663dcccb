"""`tf.keras.models`: `Model`, `Sequential`, whole-model HDF5 files and configs.

Example:
    >>> model = tf.keras.models.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])
    >>> model.save("model.h5")
    >>> same = tf.keras.models.load_model("model.h5")
"""

from tensorflux.keras.engine import input_layer as input_layer_lib
from tensorflux.keras.engine import node as node_lib
from tensorflux.keras.engine.sequential import Sequential
from tensorflux.keras.engine.training import Model
from tensorflux.keras.saving import hdf5_format, model_config
from tensorflux.keras.utils import generic_utils


def _with_registered(custom_objects):
    """The custom objects registered globally (or by a `custom_object_scope`), then these.

    Loading also runs inside a `CustomObjectScope(custom_objects)`, so the names reach the
    activations, constraints and losses that layers resolve themselves, as in tf_keras.
    """
    merged = dict(generic_utils.get_custom_objects())
    merged.update(custom_objects or {})
    return merged


def load_model(filepath, custom_objects=None, compile=True):  # noqa: A002 - Keras' keyword
    """The model in an HDF5 file written by `model.save` (tensorflux or tf_keras), with its
    weights, and compiled from the file's training config when `compile` (optimizer state is
    not restored).

    Example:
        >>> model = tf.keras.models.load_model("model.h5", custom_objects={"Scale": Scale})
    """
    with generic_utils.CustomObjectScope(custom_objects or {}):
        return hdf5_format.load_model(filepath, custom_objects=_with_registered(custom_objects),
                                      compile=compile)


def save_model(model, filepath, overwrite=True, include_optimizer=True, save_format=None):
    """`model.save(filepath, ...)`."""
    model.save(filepath, overwrite=overwrite, include_optimizer=include_optimizer,
               save_format=save_format)


def model_from_config(config, custom_objects=None):
    """A new model from `{"class_name": ..., "config": model.get_config()}`."""
    with generic_utils.CustomObjectScope(custom_objects or {}):
        return model_config.model_from_config(config, _with_registered(custom_objects))


def model_from_json(json_string, custom_objects=None):
    """A new model from `model.to_json()`'s string."""
    import json

    return model_from_config(json.loads(json_string), custom_objects)


def _clone_layer(layer):
    return layer.__class__.from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model with the same architecture and new layers (fresh, not copied, weights).

    `clone_function(layer)` makes each new layer (default: `from_config(get_config())`);
    `input_tensors` gives the new model's inputs instead of new placeholders.

    Example:
        >>> twin = tf.keras.models.clone_model(model)
        >>> twin.set_weights(model.get_weights())
    """
    clone_function = clone_function or _clone_layer
    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone_function)
    if not isinstance(model, Model) or not model._is_graph_network:
        raise ValueError("Expected `model` argument to be a functional `Model` instance, but "
                         "got a subclassed model instead: %s" % (model,))
    return _clone_functional(model, input_tensors, clone_function)


def _clone_sequential(model, input_tensors, clone_function):
    layers = [clone_function(layer) for layer in model.layers
              if not isinstance(layer, input_layer_lib.InputLayer)]
    if input_tensors is None:
        return Sequential(layers, name=model.name)
    tensors = input_tensors if isinstance(input_tensors, (list, tuple)) else [input_tensors]
    if len(tensors) != 1:
        raise ValueError("To clone a `Sequential` model, we expect at most one tensor as part "
                         "of `input_tensors`.")
    x = tensors[0]
    if node_lib.history(x) is None:
        x = input_layer_lib.Input(tensor=x)
    return Sequential([node_lib.history(x)[0].layer] + layers, name=model.name)


def _clone_functional(model, input_tensors, clone_function):
    tensor_map = {}
    if input_tensors is not None:
        given = input_tensors if isinstance(input_tensors, (list, tuple)) else [input_tensors]
        if len(given) != len(model.inputs):
            raise ValueError("input_tensors should have the same number of tensors as the "
                             "model's inputs (%d), got %d." % (len(model.inputs), len(given)))
        for old, new in zip(model.inputs, given):
            if node_lib.history(new) is None:
                new = input_layer_lib.Input(tensor=new)
            tensor_map[id(old)] = new
    else:
        for old, layer in zip(model.inputs, model._input_layers):
            config = layer.get_config()
            tensor_map[id(old)] = input_layer_lib.Input(
                batch_shape=config["batch_input_shape"], dtype=config.get("dtype"),
                sparse=config.get("sparse", False), name=layer.name)
    new_layers = {}
    for node in sorted(model._nodes, key=lambda n: n.order):
        layer = node.layer
        if isinstance(layer, input_layer_lib.InputLayer):
            continue
        if id(layer) not in new_layers:
            new_layers[id(layer)] = clone_function(layer)
        inputs = [tensor_map[id(t)] for t in node.inputs]
        args = inputs if isinstance(node.input_tensors, (list, tuple)) else inputs[0]
        outputs = new_layers[id(layer)](args, *node.call_args, **node.call_kwargs)
        for old, new in zip(node.outputs, outputs if isinstance(outputs, (list, tuple))
                            else [outputs]):
            tensor_map[id(old)] = new
    new_inputs = [tensor_map[id(t)] for t in model.inputs]
    new_outputs = [tensor_map[id(t)] for t in model.outputs]
    return Model(new_inputs if len(new_inputs) > 1 else new_inputs[0],
                 new_outputs if len(new_outputs) > 1 else new_outputs[0], name=model.name)


__all__ = ["Model", "Sequential", "clone_model", "load_model", "model_from_config",
           "model_from_json", "save_model"]
