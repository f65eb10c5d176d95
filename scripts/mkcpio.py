#!/usr/bin/env python3
"""Packs a directory into a Linux initramfs (cpio "newc" format).

    mkcpio.py ROOT OUT.cpio

Every file is owned by root with time 0, so the archive is the same on every
build, and a /dev/console character device (5, 1) is added, which a user
without root could not create on disk: the kernel opens it for /init before
anything mounts devtmpfs.
"""
import os
import stat
import sys


def header(ino, mode, nlink, size, rdev, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev >> 8, rdev & 0xff,
              len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return b"\0" * (-n % 4)


def entry(out, ino, mode, data, name, nlink=1, rdev=0):
    h = header(ino, mode, nlink, len(data), rdev, name) + name.encode() + b"\0"
    out.write(h + pad4(len(h)) + data + pad4(len(data)))


def main():
    root, dest = sys.argv[1], sys.argv[2]
    names = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for n in sorted(dirs + files):
            names.append(os.path.relpath(os.path.join(d, n), root))
    with open(dest, "wb") as out:
        ino = 1
        for name in sorted(names):
            path = os.path.join(root, name)
            st = os.lstat(path)
            perm = stat.S_IMODE(st.st_mode)
            if stat.S_ISDIR(st.st_mode):
                entry(out, ino, stat.S_IFDIR | perm, b"", name, nlink=2)
            elif stat.S_ISLNK(st.st_mode):
                entry(out, ino, stat.S_IFLNK | 0o777, os.readlink(path).encode(), name)
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    entry(out, ino, stat.S_IFREG | perm, f.read(), name)
            else:
                sys.exit("mkcpio: %s: not a file, directory or link" % path)
            ino += 1
        if "dev" in names and "dev/console" not in names:
            entry(out, ino, stat.S_IFCHR | 0o600, b"", "dev/console", rdev=(5 << 8) | 1)
        entry(out, 0, 0, b"", "TRAILER!!!")


if __name__ == "__main__":
    main()
