"""TfIdfVectorizer over integer tokens (string pools are not representable on the wire)."""
import torch

from .registry import Unsupported, op


def ngram_table(pool, counts, indexes):
    """{(token, ...): output index} from ONNX's pool layout: n-grams grouped by length, groups starting at counts[n-1]."""
    table, k = {}, 0
    for n in range(1, len(counts) + 1):
        start = counts[n - 1]
        end = counts[n] if n < len(counts) else len(pool)
        for at in range(start, end, n):
            table[tuple(pool[at:at + n])] = indexes[k]
            k += 1
    return table


def tfidf(x, table, width, min_n, max_n, max_skip, mode, weights):
    rows = x.reshape(1, -1) if x.dim() == 1 else x
    out = torch.zeros(rows.shape[0], width, dtype=torch.float32)
    for r, tokens in enumerate(rows.tolist()):
        for n in range(min_n, max_n + 1):
            # A unigram has no gaps, so it is counted once rather than once per skip distance.
            for skip in range(0, (max_skip if n > 1 else 0) + 1):
                step = skip + 1
                for start in range(0, len(tokens) - (n - 1) * step):
                    key = tuple(tokens[start + j * step] for j in range(n))
                    if key in table:
                        out[r, table[key]] += 1
    if mode == "IDF":
        out = (out > 0).to(out.dtype) * weights
    elif mode == "TFIDF":
        out = out * weights
    return out.reshape(-1) if x.dim() == 1 else out


@op("TfIdfVectorizer")
def tfidf_op(b, node):
    a = node.attrs
    if "pool_strings" in a:
        raise Unsupported("string pools")
    indexes = [int(v) for v in a["ngram_indexes"]]
    width = max(indexes) + 1
    table = ngram_table([int(v) for v in a["pool_int64s"]], [int(v) for v in a["ngram_counts"]], indexes)
    weights = torch.tensor([float(v) for v in a["weights"]], dtype=torch.float32) if "weights" in a else torch.ones(width)
    full = torch.ones(width)
    if "weights" in a:
        # weights are given per pool n-gram; the output index of n-gram k is indexes[k].
        full[torch.tensor(indexes)] = weights
    return b.call(tfidf, b.input(node, 0), table, width, int(a["min_gram_length"]), int(a["max_gram_length"]),
                  int(a["max_skip_count"]), a.get("mode", "TF"), full)
