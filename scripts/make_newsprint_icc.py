"""Build paiban's stand-in newsprint CMYK output profile from CGATS TR 002 data.

    python scripts/make_newsprint_icc.py TR002.ti3 layout/data/paiban-newsprint-tr002.icc

``TR002.ti3`` is the CGATS/SNAP TR 002-2007 characterization data set (coldset offset on
newsprint, IT8.7/3, 928 patches) as shipped by Debian's ``icc-profiles-free`` package in
``/usr/share/color/icc/TR002.ti3``.  See README.md beside this file for provenance and licence.

What it does (numpy + scipy, run once by a developer; not needed at run time):

1. fits a Yule-Nielsen modified Neugebauer model to the 928 patches: 16 Neugebauer primaries
   (XYZ), one Yule-Nielsen factor and a piecewise-linear dot-gain curve per ink;
2. writes an ICC v2.1 output profile (class ``prtr``, data colour space ``CMYK``, PCS ``Lab``)
   with lut16 tables: A2B0/A2B1/A2B2 (CMYK -> Lab, 11^4 grid), B2A1 (Lab -> CMYK, colorimetric,
   clipping), B2A0/B2A2 (Lab -> CMYK, perceptual: black-point scaling of L*), and ``gamt``.
   Separation: medium GCR (black starts near 25 % grey), total area coverage limited to 240 %,
   maximum black 95 %.

Everything is deterministic: the same input gives the same bytes.
"""
from __future__ import annotations

import hashlib
import struct
import sys

import numpy as np
from scipy.optimize import least_squares

D50 = np.array([0.9642, 1.0, 0.8249])
TAC = 2.40
KMAX = 0.95
KNOTS = np.linspace(0.0, 1.0, 11)


# --------------------------------------------------------------------------- data
def read_ti3(path):
    rows = []
    inside = False
    for raw in open(path, "rb").read().decode("latin-1").splitlines():
        line = raw.strip()
        if line == "BEGIN_DATA":
            inside = True
            continue
        if line == "END_DATA":
            break
        if inside and line:
            f = line.split()
            rows.append([float(v) for v in f[1:8]])
    a = np.array(rows)
    return a[:, :4] / 100.0, a[:, 4:7] / 100.0


# --------------------------------------------------------------------------- colour maths
def xyz_to_lab(xyz, white=D50):
    r = xyz / white
    d = 6.0 / 29.0
    f = np.where(r > d ** 3, np.cbrt(np.maximum(r, 0.0)), r / (3 * d * d) + 4.0 / 29.0)
    L = 116.0 * f[..., 1] - 16.0
    a = 500.0 * (f[..., 0] - f[..., 1])
    b = 200.0 * (f[..., 1] - f[..., 2])
    return np.stack([L, a, b], axis=-1)


def lab_to_xyz(lab, white=D50):
    fy = (lab[..., 0] + 16.0) / 116.0
    fx = fy + lab[..., 1] / 500.0
    fz = fy - lab[..., 2] / 200.0
    d = 6.0 / 29.0

    def finv(t):
        return np.where(t > d, t ** 3, 3 * d * d * (t - 4.0 / 29.0))

    return np.stack([finv(fx), finv(fy), finv(fz)], axis=-1) * white


# --------------------------------------------------------------------------- model
def tone(a, curve):
    """Effective coverage: piecewise linear through KNOTS -> (0, *curve, 1)."""
    ys = np.concatenate([[0.0], curve, [1.0]])
    return np.interp(a, KNOTS, ys)


BITS = np.array([[(i >> j) & 1 for j in range(4)] for i in range(16)], dtype=float)  # (16, 4)


def demichel(a):
    """Demichel weights, a: (N, 4) effective coverages -> (N, 16)."""
    w = np.ones((a.shape[0], 16))
    for j in range(4):
        w *= np.where(BITS[:, j][None, :] > 0, a[:, j:j + 1], 1.0 - a[:, j:j + 1])
    return w


class Model:
    def __init__(self, primaries, n, curves):
        self.P = primaries        # (16, 3) XYZ
        self.n = n
        self.curves = curves      # (4, 9)

    @staticmethod
    def unpack(p):
        curves = p[:36].reshape(4, 9)
        n = p[36]
        P = p[37:].reshape(16, 3)
        return Model(P, n, curves)

    def pack(self):
        return np.concatenate([self.curves.ravel(), [self.n], self.P.ravel()])

    def xyz(self, cmyk):
        cmyk = np.clip(cmyk, 0.0, 1.0)
        a = np.stack([tone(cmyk[:, j], self.curves[j]) for j in range(4)], axis=1)
        w = demichel(a)
        Pn = np.maximum(self.P, 1e-6) ** (1.0 / self.n)
        return (w @ Pn) ** self.n

    def lab(self, cmyk):
        return xyz_to_lab(self.xyz(cmyk))


def fit(cmyk, xyz):
    lab_meas = xyz_to_lab(xyz)
    P0 = np.zeros((16, 3))
    for i in range(16):
        sel = np.all(np.isclose(cmyk, BITS[i][None, :]), axis=1)
        P0[i] = xyz[sel].mean(axis=0)
    curves0 = np.tile(KNOTS[1:-1] + 0.15 * np.sin(np.pi * KNOTS[1:-1]), (4, 1))
    p0 = Model(P0, 2.0, curves0).pack()
    lo = np.concatenate([np.zeros(36), [1.0], np.full(48, 1e-4)])
    hi = np.concatenate([np.ones(36), [8.0], np.full(48, 1.2)])

    def resid(p):
        return (Model.unpack(p).lab(cmyk) - lab_meas).ravel()

    r = least_squares(resid, p0, bounds=(lo, hi), x_scale="jac", max_nfev=400)
    m = Model.unpack(r.x)
    # keep the dot-gain curves monotone
    m.curves = np.maximum.accumulate(m.curves, axis=1)
    de = np.linalg.norm(m.lab(cmyk) - lab_meas, axis=1)
    return m, de


# --------------------------------------------------------------------------- profile tables
class Relative:
    """Media-relative colorimetry (ICC v2): XYZ scaled by D50 / paper white."""

    def __init__(self, model):
        self.m = model
        self.white = model.xyz(np.zeros((1, 4)))[0]
        self.black = self.lab(self._dark())[0]

    def _dark(self):
        # darkest colour within the ink limit: K max, CMY sharing the rest equally
        rest = (TAC - KMAX) / 3.0
        return np.array([[rest, rest, rest, KMAX]])

    def lab(self, cmyk):
        return xyz_to_lab(self.m.xyz(cmyk) * (D50 / self.white))


def k_rule(lab, lmin):
    """Medium GCR: black from lightness and neutrality."""
    L = lab[:, 0]
    C = np.hypot(lab[:, 1], lab[:, 2])
    t = np.clip((100.0 - L) / (100.0 - lmin), 0.0, 1.0)            # 0 at paper, 1 at black
    k = np.clip((t - 0.25) / 0.75, 0.0, 1.0) ** 1.1 * KMAX
    neutral = np.clip(1.0 - C / 60.0, 0.0, 1.0)
    return k * (0.15 + 0.85 * neutral)


def lch_diff(lab, target, w):
    """Weighted (dL, dC, dH) between lab and target (broadcasting); dH signed, in Lab units."""
    c1 = np.hypot(lab[..., 1], lab[..., 2])
    c2 = np.hypot(target[..., 1], target[..., 2])
    h1 = np.arctan2(lab[..., 2], lab[..., 1])
    h2 = np.arctan2(target[..., 2], target[..., 1])
    dh = 2.0 * np.sqrt(c1 * c2) * np.sin((h1 - h2) / 2.0)
    return np.stack([(lab[..., 0] - target[..., 0]) * w[0], (c1 - c2) * w[1], dh * w[2]],
                    axis=-1)


def invert(rel, target, weights=(1.0, 1.0, 1.0), kw=0.35, iters=40):
    """Lab (relative) -> CMYK by penalised projected Gauss-Newton, vectorised over nodes."""
    n = target.shape[0]
    lmin = rel.black[0]
    kt = k_rule(target, lmin)
    # start: grey balance guess
    w = np.array(weights)
    # start from the best node of a coarse CMYK grid within the ink limit (avoids the local
    # minima a plain Gauss-Newton start falls into for saturated, out-of-gamut targets)
    cand = cmyk_grid(9)
    cand = cand[(cand.sum(axis=1) <= TAC + 1e-9) & (cand[:, 3] <= KMAX + 1e-9)]
    cl = rel.lab(cand)
    x = np.zeros((n, 4))
    for s in range(0, n, 512):
        d = (lch_diff(cl[None], target[s:s + 512, None, :], w) ** 2).sum(axis=2)
        d += ((cand[None, :, 3] - kt[s:s + 512, None]) * 100.0 * kw) ** 2
        x[s:s + 512] = cand[np.argmin(d, axis=1)]
    tacw = 30.0
    for it in range(iters):
        def res(xx):
            r_lab = lch_diff(rel.lab(xx), target, w)
            r_k = (xx[:, 3:4] - kt[:, None]) * 100.0 * kw
            excess = np.maximum(xx.sum(axis=1) - TAC, 0.0)[:, None] * 100.0 * tacw
            return np.concatenate([r_lab, r_k, excess], axis=1)

        r0 = res(x)
        J = np.zeros((n, r0.shape[1], 4))
        h = 1e-4
        for j in range(4):
            xp = x.copy()
            xp[:, j] += h
            J[:, :, j] = (res(xp) - r0) / h
        JtJ = np.einsum("nri,nrj->nij", J, J) + np.eye(4)[None] * 1e-3
        Jtr = np.einsum("nri,nr->ni", J, r0)
        step = np.linalg.solve(JtJ, Jtr[..., None])[..., 0]
        step = np.clip(step, -0.25, 0.25)
        # backtracking per node: keep the best of a few step lengths, or stay put
        best_x, best_c = x, (r0 ** 2).sum(axis=1)
        for alpha in (1.0, 0.5, 0.25, 0.1):
            xn = np.clip(x - alpha * step, 0.0, 1.0)
            xn[:, 3] = np.minimum(xn[:, 3], KMAX)
            cn = (res(xn) ** 2).sum(axis=1)
            better = cn < best_c
            best_x = np.where(better[:, None], xn, best_x)
            best_c = np.where(better, cn, best_c)
        x = best_x
    # hard ink limit: take the excess out of C, M, Y in proportion
    s = x.sum(axis=1)
    over = s > TAC
    if over.any():
        cmy = x[over, :3]
        room = TAC - x[over, 3]
        x[over, :3] = cmy * (room / cmy.sum(axis=1))[:, None]
    return x


def lab_grid(n):
    """Node values of an n^3 lut16 grid with legacy (v2) 16-bit Lab encoding."""
    v = np.arange(n) * 65535.0 / (n - 1)
    L = v * 100.0 / 65280.0
    ab = v / 256.0 - 128.0
    g = np.stack(np.meshgrid(L, ab, ab, indexing="ij"), axis=-1).reshape(-1, 3)
    return g


def cmyk_grid(n):
    v = np.linspace(0.0, 1.0, n)
    return np.stack(np.meshgrid(v, v, v, v, indexing="ij"), axis=-1).reshape(-1, 4)


def enc_lab(lab):
    L = np.clip(lab[:, 0], 0.0, 100.0) * 652.8
    a = (np.clip(lab[:, 1], -128.0, 127.996) + 128.0) * 256.0
    b = (np.clip(lab[:, 2], -128.0, 127.996) + 128.0) * 256.0
    return np.rint(np.stack([L, a, b], axis=1)).astype(np.uint16)


def enc_unit(x):
    return np.rint(np.clip(x, 0.0, 1.0) * 65535.0).astype(np.uint16)


# --------------------------------------------------------------------------- ICC writer
def s15(v):
    return struct.pack(">i", int(round(v * 65536)))


def lut16(nin, nout, grid, clut_u16):
    head = b"mft2" + b"\0" * 4 + bytes([nin, nout, grid, 0])
    for i in range(3):
        for j in range(3):
            head += s15(1.0 if i == j else 0.0)
    head += struct.pack(">HH", 2, 2)
    ident = struct.pack(">HH", 0, 65535)
    body = ident * nin + clut_u16.astype(">u2").tobytes() + ident * nout
    return head + body


def text_desc(s):
    a = s.encode("ascii") + b"\0"
    return (b"desc" + b"\0" * 4 + struct.pack(">I", len(a)) + a
            + struct.pack(">II", 0, 0) + struct.pack(">HB", 0, 0) + b"\0" * 67)


def text_type(s):
    return b"text" + b"\0" * 4 + s.encode("ascii") + b"\0"


def xyz_type(xyz):
    return b"XYZ " + b"\0" * 4 + b"".join(s15(v) for v in xyz)


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def write_icc(tags):
    """tags: list of (signature, bytes); equal byte strings are stored once."""
    count = len(tags)
    offset = 128 + 4 + 12 * count
    table = struct.pack(">I", count)
    blobs = []
    seen = {}
    for sig, data in tags:
        if data in seen:
            off, size = seen[data]
        else:
            off, size = offset, len(data)
            seen[data] = (off, size)
            blobs.append(pad4(data))
            offset += len(pad4(data))
        table += sig.encode("ascii") + struct.pack(">II", off, size)
    body = table + b"".join(blobs)
    size = 128 + len(body)
    hdr = bytearray(128)
    struct.pack_into(">I", hdr, 0, size)
    hdr[4:8] = b"none"                     # preferred CMM: none
    hdr[8:12] = bytes([2, 0x10, 0, 0])     # version 2.1.0
    hdr[12:16] = b"prtr"
    hdr[16:20] = b"CMYK"
    hdr[20:24] = b"Lab "
    struct.pack_into(">6H", hdr, 24, 2007, 1, 1, 0, 0, 0)  # date of the data set, fixed
    hdr[36:40] = b"acsp"
    hdr[40:44] = b"\0\0\0\0"
    struct.pack_into(">I", hdr, 44, 0)     # flags
    struct.pack_into(">I", hdr, 64, 0)     # rendering intent: perceptual
    hdr[68:80] = s15(0.9642) + s15(1.0) + s15(0.8249)
    hdr[80:84] = b"\0\0\0\0"               # creator
    prof = bytes(hdr) + body
    return prof


def build(ti3_path):
    cmyk, xyz = read_ti3(ti3_path)
    model, de = fit(cmyk, xyz)
    print(f"fit: mean dE76 {de.mean():.2f}, p95 {np.percentile(de, 95):.2f}, "
          f"max {de.max():.2f}, n={model.n:.2f}", file=sys.stderr)
    rel = Relative(model)
    lmin = rel.black[0]
    print(f"paper XYZ {rel.white}, black (240% TAC) L*={lmin:.1f} rel", file=sys.stderr)

    # A2B1: CMYK -> media-relative Lab
    cg = cmyk_grid(11)
    a2b1_lab = rel.lab(cg)
    a2b1 = lut16(4, 3, 11, enc_lab(a2b1_lab))
    # A2B0/A2B2: perceptual, black point scaled to L* 0
    pl = a2b1_lab.copy()
    pl[:, 0] = (pl[:, 0] - lmin) / (100.0 - lmin) * 100.0
    a2b0 = lut16(4, 3, 11, enc_lab(pl))

    ng = 25
    lg = lab_grid(ng)
    # B2A1: colorimetric, clipping
    x1 = invert(rel, lg, weights=(1.0, 1.0, 1.5))
    b2a1 = lut16(3, 4, ng, enc_unit(x1))
    # B2A0: perceptual: scale L* into [lmin, 100], slight chroma compression, L weighted
    t = lg.copy()
    t[:, 0] = lmin + lg[:, 0] * (100.0 - lmin) / 100.0
    t[:, 1:] *= 0.9
    x0 = invert(rel, t, weights=(0.8, 0.6, 2.5))
    b2a0 = lut16(3, 4, ng, enc_unit(x0))

    # gamt: 0 in gamut, 65535 out of gamut (colorimetric round trip dE > 3)
    gg = 17
    lgg = lab_grid(gg)
    xg = invert(rel, lgg)
    dg = np.linalg.norm(rel.lab(xg) - lgg, axis=1)
    gamt = lut16(3, 1, gg, np.where(dg > 3.0, 65535, 0).astype(np.uint16))

    d = hashlib.sha256(open(ti3_path, "rb").read()).hexdigest()[:16]
    tags = [
        ("desc", text_desc("paiban newsprint (CGATS TR 002 data) v1")),
        ("cprt", text_type("Profile: paiban authors, Apache-2.0. Characterization data: "
                           "ANSI CGATS/SNAP TR 002-2007 (c) 2007 NPES.")),
        ("wtpt", xyz_type(rel.white)),
        ("A2B0", a2b0), ("A2B1", a2b1), ("A2B2", a2b0),
        ("B2A0", b2a0), ("B2A1", b2a1), ("B2A2", b2a0),
        ("gamt", gamt),
        ("targ", text_type(f"CGATS TR 002 (TR002.ti3 sha256 {d}...)")),
    ]
    prof = write_icc(tags)
    # profile ID (MD5 over the profile with flags, intent and ID zeroed) is a v4 feature: left 0
    return prof


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data = build(sys.argv[1])
    with open(sys.argv[2], "wb") as f:
        f.write(data)
    print(f"{sys.argv[2]}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}",
          file=sys.stderr)
