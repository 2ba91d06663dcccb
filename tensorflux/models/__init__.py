"""Model zoo: TF-Slim networks and pretrained weights."""

from tensorflux.models.inception_resnet_v2 import (
    inception_resnet_v2,
    inception_resnet_v2_arg_scope,
    inception_resnet_v2_base,
)
from tensorflux.models.inception_utils import inception_arg_scope
from tensorflux.models.inception_v1 import inception_v1, inception_v1_arg_scope, inception_v1_base
from tensorflux.models.inception_v2 import inception_v2, inception_v2_arg_scope, inception_v2_base
from tensorflux.models.inception_v3 import inception_v3, inception_v3_arg_scope, inception_v3_base
from tensorflux.models.inception_v4 import inception_v4, inception_v4_arg_scope, inception_v4_base
