"""Model configs as tf_keras writes them: layers to dicts and back, Sequential and functional.

A layer becomes `{"module", "class_name", "config", "registered_name"}` (plus `build_config`
for layers whose tf_keras class has its own `build`); the "legacy" form that HDF5 files hold
keeps only `class_name` and `config`. A functional model adds, per layer, its `name` and
`inbound_nodes`: for each call, one `[layer name, node index, tensor index, call kwargs]` per
input tensor, node indices counting only the calls that belong to the model.

Example:
    >>> config = model_config.model_to_config(model)      # {"class_name": "Sequential", ...}
    >>> clone = model_config.model_from_config(config)    # same layers, fresh weights
"""

from tensorflux.keras.engine import input_layer as input_layer_lib
from tensorflux.keras.engine import node as node_lib


def class_name_of(layer):
    """tf_keras' class name: a plain functional `Model` is called `Functional`."""
    from tensorflux.keras.engine import training

    if type(layer) is training.Model:
        return "Functional"
    return type(layer).__name__


def layer_config(layer, legacy=False):
    """The layer's own config (a model's holds its layers, in the same form)."""
    from tensorflux.keras.engine import network, sequential

    if isinstance(layer, sequential.Sequential):
        return sequential_config(layer, legacy)
    if isinstance(layer, network.Network):
        if not layer._is_graph_network:
            raise NotImplementedError("A subclassed Model has no config; save its weights "
                                      "with save_weights instead of model.save.")
        return functional_config(layer, legacy)
    return layer.get_config()


def serialize_layer(layer, legacy=False):
    """`{"class_name": ..., "config": ...}` (and module, registered_name, build_config)."""
    entry = {"class_name": class_name_of(layer), "config": layer_config(layer, legacy)}
    if legacy:
        return entry
    builtin = type(layer).__module__.startswith("tensorflux.keras.")
    entry["module"] = "keras.layers" if builtin else type(layer).__module__
    entry["registered_name"] = None if builtin else type(layer).__name__
    shape = getattr(layer, "_build_input_shape", None)
    if layer._records_build_shape and layer.built and shape is not None:
        entry["build_config"] = {"input_shape": shape}
    return entry


def deserialize_layer(entry, custom_objects=None):
    """A new layer (or model) from a `serialize_layer` dict."""
    from tensorflux.keras import layers
    from tensorflux.keras.engine import sequential, training

    name = entry["class_name"]
    builtin = {"Functional": training.Model, "Model": training.Model,
               "Sequential": sequential.Sequential}
    cls = (custom_objects or {}).get(name) or builtin.get(name) or getattr(layers, name, None)
    if not isinstance(cls, type):
        raise ValueError("Unknown layer: %s. Please ensure this object is passed to the "
                         "`custom_objects` argument." % name)
    if cls in (training.Model, sequential.Sequential):
        return cls.from_config(entry["config"], custom_objects=custom_objects)
    return cls.from_config(entry["config"])


def model_to_config(model, legacy=False):
    """`{"class_name": ..., "config": ...}` of a Sequential or functional model."""
    return {"class_name": class_name_of(model), "config": layer_config(model, legacy)}


def model_from_config(config, custom_objects=None):
    """The model for a `model_to_config` dict."""
    return deserialize_layer(config, custom_objects)


# --- Sequential ------------------------------------------------------------------------------
def sequential_config(model, legacy=False):
    """`{"name", "layers"}`, the input layer first when the model has one."""
    return {"name": model.name, "layers": [serialize_layer(layer, legacy)
                                           for layer in model._stack]}


def sequential_from_config(cls, config, custom_objects=None):
    model = cls(name=config.get("name"))
    for entry in config["layers"]:
        model.add(deserialize_layer(entry, custom_objects))
    return model


# --- functional --------------------------------------------------------------------------------
def _network_nodes(model):
    """For each layer (by id), its calls that belong to `model`, in call order."""
    kept = {id(node) for node in model._nodes}
    per_layer = {}
    for layer in model.layers:
        if isinstance(layer, input_layer_lib.InputLayer):
            per_layer[id(layer)] = list(layer._inbound_nodes[:1])
        else:
            per_layer[id(layer)] = [n for n in layer._inbound_nodes if id(n) in kept]
    return per_layer


def _tensor_key(tensor, per_layer):
    node, index = node_lib.history(tensor)
    return [node.layer.name, per_layer[id(node.layer)].index(node), index]


def functional_config(model, legacy=False):
    """tf_keras' functional config: layers with their inbound nodes, input and output keys."""
    per_layer = _network_nodes(model)
    entries = []
    for layer in model.layers:
        entry = serialize_layer(layer, legacy)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            [_tensor_key(t, per_layer) + [dict(node.call_kwargs)] for t in node.inputs]
            for node in per_layer[id(layer)] if node.inputs]
        entries.append(entry)
    return {"name": model.name, "trainable": model.trainable, "layers": entries,
            "input_layers": [_tensor_key(t, per_layer) for t in model.inputs],
            "output_layers": [_tensor_key(t, per_layer) for t in model.outputs]}


def functional_from_config(cls, config, custom_objects=None):
    """Rebuilds the layers, replays their calls in an order that has every input ready."""
    layers, pending, made = {}, [], {}
    for entry in config["layers"]:
        layer = deserialize_layer(entry, custom_objects)
        layers[entry["name"]] = layer
        if isinstance(layer, input_layer_lib.InputLayer):
            made[(layer.name, 0)] = layer._inbound_nodes[0].outputs
        pending.extend((entry["name"], data) for data in entry["inbound_nodes"])
    calls = {name: 0 for name in layers}
    while pending:
        waiting = []
        for name, data in pending:
            ready = all((key[0], key[1]) in made for key in data)
            if not ready or any(n == name for n, _ in waiting):  # keep each layer's call order
                waiting.append((name, data))
                continue
            inputs = [made[(key[0], key[1])][key[2]] for key in data]
            kwargs = data[0][3] if len(data[0]) > 3 else {}
            out = layers[name](inputs if len(inputs) > 1 else inputs[0], **kwargs)
            made[(name, calls[name])] = out if isinstance(out, (list, tuple)) else [out]
            calls[name] += 1
        if len(waiting) == len(pending):
            raise ValueError("Cannot rebuild the model from its config: the calls of layers %s "
                             "have inputs that are never computed." % sorted({n for n, _ in
                                                                             waiting}))
        pending = waiting
    inputs = [made[(k[0], k[1])][k[2]] for k in config["input_layers"]]
    outputs = [made[(k[0], k[1])][k[2]] for k in config["output_layers"]]
    model = cls(inputs=inputs if len(inputs) > 1 else inputs[0],
                outputs=outputs if len(outputs) > 1 else outputs[0], name=config.get("name"))
    model.trainable = config.get("trainable", True)
    return model
