"""zoo networks as each framework's own torch module (torchvision's classes, transformers'
BertModel built from its config), loaded with the same seeded weights as the zoo's ONNX file:
the zoo names its initializers as those modules' state_dicts do, so the weights load by name,
and a name or shape that does not match fails the load instead of running a different network."""
import importlib
import importlib.util
import sys
import types

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


# zoo BERT name -> attention heads (the one figure the weights' shapes do not tell)
BERT_HEADS = {"bert-base": 12, "bert-small": 4, "bert-tiny": 2}


def torchvision_models():
    """torchvision.models. PyPI's torchvision wheels are built against PyPI's CUDA torch, so next to
    the CPU torch wheel their C++ operators (nms, roi_align, ...) do not load, and the package's
    __init__ then fails while registering those operators' meta kernels. The model classes are
    plain Python and call none of those operators, so they are imported without that __init__."""
    try:
        import torchvision
        return torchvision.models
    except RuntimeError as err:
        if "torchvision::" not in str(err):
            raise
    for name in [k for k in sys.modules if k == "torchvision" or k.startswith("torchvision.")]:
        del sys.modules[name]  # the half-imported package from the failed attempt
    spec = importlib.util.find_spec("torchvision")
    package = types.ModuleType("torchvision")
    package.__path__ = list(spec.submodule_search_locations)
    package.__spec__ = spec
    package.__file__ = spec.origin
    sys.modules["torchvision"] = package
    return importlib.import_module("torchvision.models")


def build_native(zoo, graph, buffers):
    """(module, input names, output names) for the zoo network `zoo` with the graph's initializers as weights."""
    if zoo in BERT_HEADS:
        return _bert(zoo, graph, buffers)
    if zoo not in TORCHVISION:
        raise ValueError(f"format native: zoo model {zoo!r} has no native torch module here; native models: {', '.join(list(TORCHVISION) + list(BERT_HEADS))}")
    try:
        models = torchvision_models()
    except Exception as err:
        raise ValueError(f"format native: torchvision does not import ({type(err).__name__}: {err}); run bash scripts/setup-python.sh") from None
    outputs = graph["outputs"]
    classes = int(outputs[0]["shape"][-1])
    module = getattr(models, TORCHVISION[zoo])(weights=None, num_classes=classes).eval()
    weights = {name: decode_tensor(spec, buffers) for name, spec in graph["initializers"].items()}
    _load(module, weights, f"torchvision's {TORCHVISION[zoo]}")
    return module, [i["name"] for i in graph["inputs"]], [o["name"] for o in outputs]


def _load(module, weights, what):
    """Load `weights` (by state_dict name) into module, checking every name and shape."""
    own = module.state_dict()
    missing = [k for k in own if k not in weights and not k.endswith(("num_batches_tracked", "position_ids"))]
    if missing:
        raise ValueError(f"format native: {what} has parameters the ONNX file lacks: {', '.join(missing[:5])}")
    state = {}
    for k, v in own.items():
        if k.endswith(("num_batches_tracked", "position_ids")):  # counters and index buffers, not weights
            state[k] = v
            continue
        w = weights[k]
        if tuple(w.shape) != tuple(v.shape):
            raise ValueError(f"format native: {k} is {list(w.shape)} in the ONNX file, {list(v.shape)} in {what}")
        state[k] = w
    module.load_state_dict(state, strict=True)


class _BertOutputs(torch.nn.Module):
    """transformers' BertModel returning (last_hidden_state, pooler_output), the zoo's two outputs."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return out.last_hidden_state, out.pooler_output


def _bert(zoo, graph, buffers):
    try:
        # transformers imports torchvision when it is installed: make that import work first (see torchvision_models).
        torchvision_models()
        from transformers import BertConfig, BertModel
    except Exception as err:
        raise ValueError(f"format native: transformers does not import ({type(err).__name__}: {err}); run bash scripts/setup-python.sh") from None
    weights = {name: decode_tensor(spec, buffers) for name, spec in graph["initializers"].items()}
    words = weights["embeddings.word_embeddings.weight"]
    layers = sum(1 for k in weights if k.endswith(".attention.self.query.weight"))
    config = BertConfig(
        vocab_size=words.shape[0], hidden_size=words.shape[1], num_hidden_layers=layers, num_attention_heads=BERT_HEADS[zoo],
        intermediate_size=weights["encoder.layer.0.intermediate.dense.weight"].shape[1],
        max_position_embeddings=weights["embeddings.position_embeddings.weight"].shape[0],
        type_vocab_size=weights["embeddings.token_type_embeddings.weight"].shape[0],
        hidden_act="gelu", layer_norm_eps=1e-12, hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
        attn_implementation="eager",
    )
    bert = BertModel(config, add_pooling_layer=True).eval()
    # The zoo's dense layers are MatMul weights [in, out]; torch's Linear keeps [out, in]. The pooler is a Gemm, already [out, in].
    torch_layout = {k: (v.t().contiguous() if k.startswith("encoder.") and k.endswith(".weight") and v.dim() == 2 else v)
                    for k, v in weights.items()}
    _load(bert, torch_layout, "transformers' BertModel")
    return _BertOutputs(bert).eval(), [i["name"] for i in graph["inputs"]], [o["name"] for o in graph["outputs"]]
