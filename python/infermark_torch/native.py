"""zoo networks as each framework's own torch module (torchvision's classes), loaded with the
same seeded weights as the zoo's ONNX file: the zoo names its initializers as torchvision's
state_dict does, so the weights load by name, and a name that does not match fails the load
instead of running a different network."""
import torch

from .tensors import decode_tensor

# zoo name -> torchvision builder name
TORCHVISION = {
    "resnet50": "resnet50",
    "mobilenetv2": "mobilenet_v2",
    "vgg19": "vgg19",
    "densenet201": "densenet201",
    "efficientnet-b0": "efficientnet_b0",
}


def native_support():
    try:
        import torchvision  # noqa: F401
    except Exception as err:
        return False, f"torchvision does not import ({type(err).__name__}: {err}); run bash scripts/setup-python.sh"
    return True, None


def build_native(zoo, graph, buffers):
    """(module, input names, output names) for the zoo network `zoo` with the graph's initializers as weights."""
    if zoo not in TORCHVISION:
        raise ValueError(f"format native: zoo model {zoo!r} has no native torch module here; native models: {', '.join(TORCHVISION)}")
    ok, reason = native_support()
    if not ok:
        raise ValueError(reason)
    import torchvision
    outputs = graph["outputs"]
    classes = int(outputs[0]["shape"][-1])
    module = getattr(torchvision.models, TORCHVISION[zoo])(weights=None, num_classes=classes).eval()
    weights = {name: decode_tensor(spec, buffers) for name, spec in graph["initializers"].items()}
    own = module.state_dict()
    missing = [k for k in own if k not in weights and not k.endswith("num_batches_tracked")]
    if missing:
        raise ValueError(f"format native: torchvision's {TORCHVISION[zoo]} has parameters the ONNX file lacks: {', '.join(missing[:5])}")
    state = {}
    for k, v in own.items():
        if k.endswith("num_batches_tracked"):
            state[k] = v
            continue
        w = weights[k]
        if tuple(w.shape) != tuple(v.shape):
            raise ValueError(f"format native: {k} is {list(w.shape)} in the ONNX file, {list(v.shape)} in torchvision's {TORCHVISION[zoo]}")
        state[k] = w
    module.load_state_dict(state, strict=True)
    return module, [i["name"] for i in graph["inputs"]], [o["name"] for o in outputs]
