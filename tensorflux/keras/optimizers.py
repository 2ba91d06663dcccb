"""`tf.keras.optimizers`: Keras' optimizer names and defaults over the `tf.train` optimizers.

Each Keras optimizer keeps its learning rate in a variable (`optimizer.lr`, made in the graph
on first use), so `K.set_value(model.optimizer.lr, 0.01)` and `LearningRateScheduler` work,
and builds the matching `tf.train` optimizer in `get_updates`. Keras' defaults: SGD lr=0.01,
Adam lr=0.001 (epsilon 1e-7), RMSprop lr=0.001 (rho 0.9), Adagrad lr=0.001, Adadelta lr=0.001
(rho 0.95), Adamax and Nadam lr=0.001 (epsilon 1e-7). Adamax and Nadam, which `tf.train` lacks,
are `tf.train`-style optimizers defined here with tf_keras' update rules.

Example:
    >>> model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
    >>> model.compile(optimizer="adam", loss="mse")   # the same
"""

from tensorflux.graph import graph as graph_lib
from tensorflux.keras import backend
from tensorflux.ops import control_flow_ops, math_ops, state_ops
from tensorflux.ops.constant_op import convert_to_tensor
from tensorflux.train import (
    AdadeltaOptimizer,
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    RMSPropOptimizer,
)
from tensorflux.train.optimizer import Optimizer as _TrainOptimizer


class Optimizer:
    """Base class: hyper-parameters plus `get_updates(loss, params)` -> list of update ops."""

    _default_name = "Optimizer"

    def __init__(self, learning_rate=0.001, name=None, lr=None, **kwargs):
        unknown = set(kwargs) - {"decay", "clipnorm", "clipvalue"}
        if unknown:
            raise TypeError("Unexpected keyword argument(s) passed to optimizer: %s"
                            % sorted(unknown))
        self._initial_lr = float(lr if lr is not None else learning_rate)
        self.decay = float(kwargs.get("decay", 0.0))
        self._name = name or self._default_name
        self._lr_variable = None
        self.iterations = None

    @property
    def lr(self):
        """The learning rate variable (created in the current graph on first access)."""
        if self._lr_variable is None:
            with graph_lib.init_scope(), graph_lib.name_scope(self._name):
                self._lr_variable = backend.variable(self._initial_lr, name="learning_rate")
        return self._lr_variable

    learning_rate = lr

    def _tf_optimizer(self, lr):
        raise NotImplementedError

    def get_updates(self, loss, params):
        """The ops that apply one step of the optimizer to `params` for `loss`."""
        optimizer = self._tf_optimizer(self.lr)
        self._optimizer = optimizer
        train_op = optimizer.minimize(loss, var_list=list(params))
        new = [v for v in optimizer.variables() if v not in params]
        for v in new:
            backend.track_variable(v)
        return [train_op]

    def _current_lr(self):
        """The learning rate now: the variable's (float32) value once it exists."""
        if self._lr_variable is None:
            return self._initial_lr
        return float(backend.get_value(self._lr_variable))

    def get_config(self):
        """tf_keras' optimizer config (name, learning rate, decay, then the class' own)."""
        config = {"name": self._name, "learning_rate": self._current_lr(), "decay": self.decay}
        config.update({key: getattr(self, key) for key in self._config_keys})
        return config

    _config_keys = ()


class SGD(Optimizer):
    """Gradient descent with optional (Nesterov) momentum.

    Example:
        >>> opt = tf.keras.optimizers.SGD(lr=0.01, momentum=0.9)
    """

    _default_name = "SGD"
    _config_keys = ("momentum", "nesterov")

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.momentum = float(momentum)
        self.nesterov = nesterov

    def _tf_optimizer(self, lr):
        if self.momentum:
            return MomentumOptimizer(lr, self.momentum, use_nesterov=self.nesterov,
                                     name=self._name)
        return GradientDescentOptimizer(lr, name=self._name)


class Adam(Optimizer):
    """Adam (Kingma & Ba) with Keras' defaults.

    Example:
        >>> opt = tf.keras.optimizers.Adam(learning_rate=1e-3)
    """

    _default_name = "Adam"
    _config_keys = ("beta_1", "beta_2", "epsilon", "amsgrad")
    amsgrad = False

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, name="Adam", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        if amsgrad:
            raise NotImplementedError("Adam(amsgrad=True) is not implemented.")
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def _tf_optimizer(self, lr):
        return AdamOptimizer(lr, self.beta_1, self.beta_2, self.epsilon, name=self._name)


class RMSprop(Optimizer):
    """RMSProp with Keras' defaults (rho 0.9, epsilon 1e-7)."""

    _default_name = "RMSprop"
    _config_keys = ("rho", "momentum", "epsilon", "centered")

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, name="RMSprop", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered

    def _tf_optimizer(self, lr):
        return RMSPropOptimizer(lr, decay=self.rho, momentum=self.momentum,
                                epsilon=self.epsilon, centered=self.centered, name=self._name)


class Adagrad(Optimizer):
    """Adagrad with Keras' defaults (initial accumulator 0.1)."""

    _default_name = "Adagrad"
    _config_keys = ("initial_accumulator_value", "epsilon")

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 name="Adagrad", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def _tf_optimizer(self, lr):
        return AdagradOptimizer(lr, self.initial_accumulator_value, name=self._name)


class Adadelta(Optimizer):
    """Adadelta (Zeiler) with Keras' defaults (learning rate 0.001, rho 0.95, epsilon 1e-7).

    Example:
        >>> opt = tf.keras.optimizers.Adadelta(learning_rate=1.0, rho=0.95)
    """

    _default_name = "Adadelta"
    _config_keys = ("rho", "epsilon")

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, name="Adadelta", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.rho, self.epsilon = rho, epsilon

    def _tf_optimizer(self, lr):
        return AdadeltaOptimizer(lr, rho=self.rho, epsilon=self.epsilon, name=self._name)


class _AdamaxOptimizer(_TrainOptimizer):
    """Adamax as a `tf.train` optimizer: slots "m" and "v", a `beta1_power` accumulator.

    `m = b1 m + (1 - b1) g;  v = max(b2 v, |g|);  var -= lr / (1 - b1^t) * m / (v + eps)`.
    """

    def __init__(self, learning_rate, beta_1, beta_2, epsilon, name):
        super().__init__(False, name)
        self._lr, self._beta_1, self._beta_2, self._epsilon = (learning_rate, beta_1, beta_2,
                                                               epsilon)

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(self._beta_1, "beta1_power", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._lr, name="learning_rate")

    def _beta1_power(self):
        with graph_lib.init_scope():
            g = graph_lib.get_default_graph()
        return self._get_non_slot_variable("beta1_power", graph=g)

    def _apply_dense(self, grad, var):
        b1, b2 = self._beta_1, self._beta_2
        lr = self._cast(self._lr_t, var)
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = state_ops.assign(m, b1 * m + (1.0 - b1) * grad)
        v_t = state_ops.assign(v, math_ops.maximum(b2 * v, math_ops.abs(grad)))
        step = lr / (1.0 - self._cast(self._beta1_power(), var))
        return state_ops.assign_sub(var, step * m_t / (v_t + self._epsilon)).op

    def _finish(self, update_ops, name_scope):
        g = graph_lib.get_default_graph()
        with g.control_dependencies(update_ops):
            power = self._beta1_power()
            update = power.assign(power * self._beta_1)
        return control_flow_ops.group(*update_ops + [update], name=name_scope)


class _NadamOptimizer(_TrainOptimizer):
    """Nadam (Dozat) as a `tf.train` optimizer, with tf_keras' momentum schedule
    `mu_t = b1 (1 - 0.5 * 0.96^(0.004 t))`: slots "m" and "v", accumulators `m_cache` (the
    product of the mu's) and `iterations`."""

    def __init__(self, learning_rate, beta_1, beta_2, epsilon, name):
        super().__init__(False, name)
        self._lr, self._beta_1, self._beta_2, self._epsilon = (learning_rate, beta_1, beta_2,
                                                               epsilon)

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(1.0, "m_cache", first_var)
        self._create_non_slot_variable(0.0, "iterations", first_var)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        self._lr_t = convert_to_tensor(self._lr, name="learning_rate")

    def _accumulators(self):
        with graph_lib.init_scope():
            g = graph_lib.get_default_graph()
        return (self._get_non_slot_variable("m_cache", graph=g),
                self._get_non_slot_variable("iterations", graph=g))

    def _schedule(self, t):
        return self._beta_1 * (1.0 - 0.5 * math_ops.pow(0.96, 0.004 * t))

    def _apply_dense(self, grad, var):
        b1, b2 = self._beta_1, self._beta_2
        m_cache, iterations = [self._cast(a, var) for a in self._accumulators()]
        t = iterations + 1.0
        mu_t, mu_next = self._schedule(t), self._schedule(t + 1.0)
        m_schedule_new = m_cache * mu_t
        m_schedule_next = m_schedule_new * mu_next
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        g_prime = grad / (1.0 - m_schedule_new)
        m_t = state_ops.assign(m, b1 * m + (1.0 - b1) * grad)
        m_t_prime = m_t / (1.0 - m_schedule_next)
        v_t = state_ops.assign(v, b2 * v + (1.0 - b2) * math_ops.square(grad))
        v_t_prime = v_t / (1.0 - math_ops.pow(b2, t))
        m_t_bar = (1.0 - mu_t) * g_prime + mu_next * m_t_prime
        lr = self._cast(self._lr_t, var)
        return state_ops.assign_sub(
            var, lr * m_t_bar / (math_ops.sqrt(v_t_prime) + self._epsilon)).op

    def _finish(self, update_ops, name_scope):
        g = graph_lib.get_default_graph()
        with g.control_dependencies(update_ops):
            m_cache, iterations = self._accumulators()
            new_cache = m_cache.assign(m_cache * self._schedule(iterations + 1.0))
            count = iterations.assign_add(1.0)
        return control_flow_ops.group(*update_ops + [new_cache, count], name=name_scope)


class Adamax(Optimizer):
    """Adamax, Adam's infinity-norm variant (Kingma & Ba, section 7).

    Example:
        >>> opt = tf.keras.optimizers.Adamax(learning_rate=0.002)
    """

    _default_name = "Adamax"
    _config_keys = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="Adamax", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def _tf_optimizer(self, lr):
        return _AdamaxOptimizer(lr, self.beta_1, self.beta_2, self.epsilon, self._name)


class Nadam(Optimizer):
    """Adam with Nesterov momentum (Dozat), tf_keras' momentum schedule.

    Example:
        >>> opt = tf.keras.optimizers.Nadam(learning_rate=0.002)
    """

    _default_name = "Nadam"
    _config_keys = ("beta_1", "beta_2", "epsilon")

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 name="Nadam", **kwargs):
        super().__init__(learning_rate, name=name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

    def _tf_optimizer(self, lr):
        return _NadamOptimizer(lr, self.beta_1, self.beta_2, self.epsilon, self._name)


class TFOptimizer(Optimizer):
    """Wraps a `tf.train.Optimizer` so Keras can use it (`compile(tf.train.AdamOptimizer())`)."""

    def __init__(self, optimizer):
        super().__init__(0.0, name=optimizer.get_name())
        self.optimizer = optimizer

    def get_updates(self, loss, params):
        train_op = self.optimizer.minimize(loss, var_list=list(params))
        for v in self.optimizer.variables():
            backend.track_variable(v)
        return [train_op]


_BY_NAME = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "adagrad": Adagrad,
            "adadelta": Adadelta, "adamax": Adamax, "nadam": Nadam}


def get(identifier):
    """An optimizer for a name (`"adam"`), a Keras optimizer or a `tf.train.Optimizer`.

    Example:
        >>> tf.keras.optimizers.get("sgd").get_config()["learning_rate"]
        0.01
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    if hasattr(identifier, "minimize") and hasattr(identifier, "apply_gradients"):
        return TFOptimizer(identifier)
    raise ValueError("Could not interpret optimizer identifier: " + str(identifier))


def serialize(optimizer):
    """`{"class_name": "Adam", "config": {...}}`, as tf_keras' `training_config` holds it."""
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config, custom_objects=None):
    """The optimizer for a `serialize` dict.

    Example:
        >>> tf.keras.optimizers.deserialize({"class_name": "SGD", "config": {}})
    """
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name.lower())
    if cls is None:
        raise ValueError("Unknown optimizer: " + name)
    return cls(**config.get("config", {}))


__all__ = ["Adadelta", "Adagrad", "Adam", "Adamax", "Nadam", "Optimizer", "RMSprop", "SGD",
           "TFOptimizer", "deserialize", "get", "serialize"]
