"""ResNet-50 (v1.5) and BERT-small written as torch modules, timed in eager mode on one
thread: the reference the torch importer is compared with (bench/importers.ts).
Reads a network name per line on stdin ("resnet50" or "bert-small"), runs it once at
batch 1 and prints the call's milliseconds: the caller alternates these calls with the
importer's, so load on the machine falls on both alike.

Usage: python direct_torch.py
"""
import math
import sys
import time

import torch
from torch import nn


class Bottleneck(nn.Module):
    def __init__(self, cin, mid, out, stride):
        super().__init__()
        # BatchNorm is folded into the convolutions by the importer: plain biased convs here too.
        self.a = nn.Conv2d(cin, mid, 1)
        self.b = nn.Conv2d(mid, mid, 3, stride, 1)
        self.c = nn.Conv2d(mid, out, 1)
        self.down = nn.Conv2d(cin, out, 1, stride) if stride != 1 or cin != out else None

    def forward(self, x):
        y = self.c(torch.relu(self.b(torch.relu(self.a(x)))))
        return torch.relu(y + (x if self.down is None else self.down(x)))


class ResNet50(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 64, 7, 2, 3)
        self.pool = nn.MaxPool2d(3, 2, 1)
        blocks, cin = [], 64
        for mid, out, count, stride in [(64, 256, 3, 1), (128, 512, 4, 2), (256, 1024, 6, 2), (512, 2048, 3, 2)]:
            for i in range(count):
                blocks.append(Bottleneck(cin, mid, out, stride if i == 0 else 1))
                cin = out
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(2048, 1000)

    def forward(self, x):
        y = self.blocks(self.pool(torch.relu(self.stem(x))))
        return self.fc(y.mean(dim=(2, 3)))


class Layer(nn.Module):
    def __init__(self, h, heads, inter):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.n1, self.n2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
        self.up, self.down = nn.Linear(h, inter), nn.Linear(inter, h)

    def forward(self, x, blocked):
        b, s, h = x.shape
        split = lambda t: t.reshape(b, s, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + blocked, dim=-1)
        attended = self.n1(self.o((probs @ v).transpose(1, 2).reshape(b, s, h)) + x)
        up = self.up(attended)
        return self.n2(self.down(up * 0.5 * (torch.erf(up * math.sqrt(0.5)) + 1)) + attended)


class BertSmall(nn.Module):
    def __init__(self, vocab=30522, h=256, layers=4, heads=4, inter=1024, seq=128):
        super().__init__()
        self.words, self.types, self.pos = nn.Embedding(vocab, h), nn.Embedding(2, h), nn.Embedding(512, h)
        self.register_buffer("positions", torch.arange(seq))
        self.norm = nn.LayerNorm(h, eps=1e-12)
        self.layers = nn.ModuleList(Layer(h, heads, inter) for _ in range(layers))
        self.pool = nn.Linear(h, h)

    def forward(self, ids, mask, types):
        x = self.norm(self.words(ids) + self.types(types) + self.pos(self.positions))
        blocked = ((1 - mask.to(torch.float32)) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, blocked)
        return x, torch.tanh(self.pool(x[:, 0]))


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    with torch.inference_mode():
        resnet = ResNet50().eval()
        x = torch.randn(1, 3, 224, 224)
        bert = BertSmall().eval()
        ids = torch.randint(0, 1000, (1, 128))
        ones, zeros = torch.ones(1, 128, dtype=torch.int64), torch.zeros(1, 128, dtype=torch.int64)
        calls = {"resnet50": lambda: resnet(x), "bert-small": lambda: bert(ids, ones, zeros)}
        for fn in calls.values():
            fn()  # first call outside any timing, as the importer's warm-up
        print("ready", flush=True)
        for line in sys.stdin:
            fn = calls[line.strip()]
            t0 = time.perf_counter()
            fn()
            print(f"{(time.perf_counter() - t0) * 1000:.4f}", flush=True)


if __name__ == "__main__":
    main()
