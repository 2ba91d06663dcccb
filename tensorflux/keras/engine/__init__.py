"""The Keras engine: the layer base, nodes, input layers, networks, training and Sequential."""
