#!/usr/bin/env python3
"""Exact multiply-add count of the conv-4 embedding (4 x [conv 3x3 pad 1, batch norm, ReLU, max-pool 2]) per image and
per episode, forward and backward. Only the convolutions are counted (batch norm, ReLU, pooling and the distance head
add well under 1%). A multiply-add is 2 FLOP. Usage: conv4_flops.py [--size 28] [--filters 64] [--images 600]"""
import argparse

p = argparse.ArgumentParser()
p.add_argument("--size", type=int, default=28)
p.add_argument("--filters", type=int, default=64)
p.add_argument("--channels", type=int, default=1)
p.add_argument("--blocks", type=int, default=4)
p.add_argument("--images", type=int, nargs="*", default=[600, 360])
a = p.parse_args()

side, cin, fwd, dx = a.size, a.channels, 0, 0
for b in range(a.blocks):
    macs = side * side * a.filters * cin * 9      # 'same' 3x3 convolution: every output sums cin*9 products
    fwd += macs
    if b > 0:
        dx += macs                                  # the input gradient of block 1 is never needed (the images)
    print(f"block {b + 1}: {cin}x{side}x{side} -> {a.filters}x{side}x{side}, {macs:,} multiply-adds")
    cin, side = a.filters, side // 2
dw = fwd                                            # the weight gradient has the forward's multiply-adds
total = fwd + dw + dx
print(f"per image: forward {fwd:,}, weight gradient {dw:,}, input gradient {dx:,}: {total:,} multiply-adds = {2 * total / 1e6:.3f} MFLOP")
for n in a.images:
    print(f"{n} images: {2 * total * n / 1e9:.3f} GFLOP (forward alone {2 * fwd * n / 1e9:.3f})")
