"""Minimal PNG reading and writing with numpy and zlib (no imaging library needed).

Reads 8- and 16-bit, non-interlaced gray, gray+alpha, RGB, RGBA and palette images; writes 8-bit
gray, gray+alpha or RGB(A); `decode_png`/`encode_png` work on bytes. Enough for the examples'
photos, feature-map pictures, `tf.image.encode_png` and image summaries.
"""

import struct
import zlib

import numpy as np

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _chunks(data):
    pos = 8
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("truncated PNG chunk header")
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length:
            raise ValueError("truncated PNG chunk %r" % kind)
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            raise ValueError("PNG chunk %r has a bad CRC" % kind)
        yield kind, body
        pos += 12 + length


def _unfilter(raw, height, stride, bpp):
    """Undoes PNG's per-row filters (None, Sub, Up, Average, Paeth).

    Up is one vectorised add; Sub, Average and Paeth depend on the pixel to the left, so they
    run as a plain loop over the row's bytes (faster than per-pixel numpy calls).
    """
    out = np.zeros((height, stride), np.uint8)
    prev = np.zeros(stride, np.uint8)
    rows = raw.reshape(height, stride + 1)
    for y in range(height):
        ftype = rows[y, 0]
        if ftype == 0:
            line = rows[y, 1:]
        elif ftype == 2:
            line = rows[y, 1:] + prev
        elif ftype in (1, 3, 4):
            cur = rows[y, 1:].tolist()
            up = prev.tolist()
            for i in range(stride):
                a = cur[i - bpp] if i >= bpp else 0
                if ftype == 1:
                    pred = a
                elif ftype == 3:
                    pred = (a + up[i]) >> 1
                else:
                    b = up[i]
                    c = up[i - bpp] if i >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[i] = (cur[i] + pred) & 255
            line = np.array(cur, np.uint8)
        else:
            raise ValueError("bad PNG filter type %d" % ftype)
        out[y] = line
        prev = out[y]
    return out


def read_png(path):
    """Reads a PNG into a uint8 (or uint16) array: [H, W] for gray, [H, W, C] otherwise."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(_SIGNATURE):
        raise ValueError("%s is not a PNG file" % path)
    img = decode_png(data)
    return img[..., 0] if img.shape[-1] == 1 else img


def decode_png(data):
    """Decodes PNG bytes into a [H, W, C] uint8 (or uint16) array (C = 1, 2, 3 or 4)."""
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a PNG image (bad signature)")
    idat, palette, header = [], None, None
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = np.frombuffer(body, np.uint8).reshape(-1, 3)
        elif kind == b"IDAT":
            idat.append(body)
    if header is None:
        raise ValueError("PNG image has no IHDR chunk")
    width, height, depth, ctype, _, _, interlace = header
    if interlace or depth not in (8, 16) or ctype not in _CHANNELS:
        raise ValueError("unsupported PNG (%d-bit, color type %d, interlace %d)"
                         % (depth, ctype, interlace))
    ch = _CHANNELS[ctype]
    bpp = ch * depth // 8
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), np.uint8)
    img = _unfilter(raw, height, width * bpp, bpp)
    if depth == 16:
        img = img.view(">u2").astype(np.uint16)
    img = img.reshape(height, width, ch)
    if ctype == 3:
        img = palette[img[..., 0]]
    return img


def write_png(path, image):
    """Writes a uint8 [H, W] / [H, W, 1|3|4] array as a PNG (float input is clipped to 0..255)."""
    with open(path, "wb") as f:
        f.write(encode_png(image))


def encode_png(image, compression=6):
    """PNG bytes of a uint8 [H, W] / [H, W, 1|2|3|4] image (float input clipped to 0..255)."""
    img = np.asarray(image)
    if img.dtype != np.uint8:
        img = np.clip(np.rint(img), 0, 255).astype(np.uint8)
    if img.ndim == 2:
        img = img[..., None]
    h, w, c = img.shape
    ctype = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    raw = np.concatenate([np.zeros((h, 1), np.uint8), img.reshape(h, w * c)], axis=1)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))
    png = _SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, ctype, 0, 0, 0))
    level = 6 if compression is None or compression < 0 else min(int(compression), 9)
    png += chunk(b"IDAT", zlib.compress(raw.tobytes(), level)) + chunk(b"IEND", b"")
    return png
