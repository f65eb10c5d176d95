#!/usr/bin/env python3
"""Writes the images the configuration unit tests embed with /incbin/ into DIR."""
import os
import struct
import sys


def image(image_size):
    """An arm64 Image header alone: text_offset 0, the given image_size, the magic."""
    return struct.pack("<IIQQQQQQI I", 0x14000010, 0, 0, image_size, 0xa, 0, 0, 0,
                       0x644d5241, 0)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {
        "image-big.bin": image((66 << 20) - (64 << 10)),  # fills 66 MiB up to the DTB
        "raw.bin": bytes(range(256)) * 16,
        "initrd.bin": b"\x07" * 4096,
        "image.bin": image(64 << 10),  # last: make's target
    }
    for name, data in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


main()
