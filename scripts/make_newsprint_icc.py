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
   clipping), B2A0/B2A2 (Lab -> CMYK, perceptual: the gamut mapping of perceptual_targets),
   and ``gamt``.
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


# --------------------------------------------------------------------------- perceptual mapping
# What a plant's profile does, and v1 did not: a saturated source colour becomes the press's own
# saturated colour. v1 kept CIELAB hue and scaled L* linearly into the paper-black range, which
# lifted sRGB red from L* 54 to 71 and left it C0 M60 Y98 (orange), sRGB blue C69 M98 (violet).
# v2, against sRGB as the reference source gamut:
# * hue: rotated piecewise linearly so that the hues of sRGB's R, Y, G, C, B, M land on the
#   hues of the press's M+Y, Y, C+Y, C, C+M, M solids (CIELAB hue is not constant along a
#   desaturating line: keeping it is what turns red orange and blue violet), in proportion to
#   the square of the colour's saturation, so skin and soft colours keep their hue;
# * lightness: black-point compensation in Y (as Adobe's BPC), then pulled toward the
#   lightness of the press's cusp (its most saturated colour at that hue) by the square of the
#   colour's saturation in the source gamut: sRGB's primaries land on the press's solids;
# * chroma: kept up to KNEE of the press's boundary at the new lightness and hue; beyond it the
#   rest of the source gamut is compressed linearly onto the remainder, so the source boundary
#   lands on the press boundary (saturation relative to the gamut holds).
KNEE = 0.7
H_BINS, L_BINS = 180, 51                 # 2° of hue, 2 L* units
SRGB_D50 = np.array([[0.4360747, 0.3850649, 0.1430804],    # sRGB -> XYZ (D50, Bradford)
                     [0.2225045, 0.7168786, 0.0606169],
                     [0.0139322, 0.0971045, 0.7141733]])


def y_of(L):
    return np.where(L > 8.0, ((L + 16.0) / 116.0) ** 3, L / 903.3)


def l_of(Y):
    return np.where(Y > 0.008856, 116.0 * np.cbrt(np.maximum(Y, 0.0)) - 16.0, 903.3 * Y)


def bpc_lightness(L, lmin):
    """Source L* (0-100) -> relative L* in the paper-black range (BPC in Y)."""
    yb = y_of(np.asarray(lmin))
    return l_of(yb + y_of(L) * (1.0 - yb))


def unbpc_lightness(L, lmin):
    """The inverse of bpc_lightness (for the perceptual A2B table)."""
    yb = y_of(np.asarray(lmin))
    return l_of(np.clip((y_of(L) - yb) / (1.0 - yb), 0.0, 1.0))


def srgb_lab(rgb):
    v = np.asarray(rgb, dtype=float)
    lin = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
    return xyz_to_lab(lin @ SRGB_D50.T)


def lch(lab):
    return (lab[..., 0], np.hypot(lab[..., 1], lab[..., 2]),
            np.degrees(np.arctan2(lab[..., 2], lab[..., 1])) % 360.0)


class Gamut:
    """A gamut's largest chroma per (L*, hue) bin, from samples of it; bins between samples
    are interpolated along L* and widened by their hue neighbours."""

    def __init__(self, lab):
        L, C, h = lch(lab)
        li = np.clip(np.rint(L / 100.0 * (L_BINS - 1)).astype(int), 0, L_BINS - 1)
        hi = np.rint(h / 360.0 * H_BINS).astype(int) % H_BINS
        cmax = np.full((L_BINS, H_BINS), -1.0)
        np.maximum.at(cmax, (li, hi), C)
        ls = np.arange(L_BINS)
        for j in range(H_BINS):
            ok = cmax[:, j] >= 0
            cmax[:, j] = np.interp(ls, ls[ok], cmax[ok, j], left=0.0, right=0.0) if ok.any() \
                else 0.0
        for _ in range(2):
            cmax = np.maximum(cmax, 0.98 * np.maximum(np.roll(cmax, 1, 1), np.roll(cmax, -1, 1)))
        self.c = cmax
        self.lo, self.hi = L.min(), L.max()

    def chroma(self, L, h):
        x = np.clip(np.asarray(L) / 100.0 * (L_BINS - 1), 0, L_BINS - 1)
        i0 = np.floor(x).astype(int)
        i1 = np.minimum(i0 + 1, L_BINS - 1)
        f = x - i0
        j = np.rint(np.asarray(h) / 360.0 * H_BINS).astype(int) % H_BINS
        return self.c[i0, j] * (1 - f) + self.c[i1, j] * f

    def cusp(self, h):
        """(L*, chroma) of the most saturated colour at hue h."""
        j = np.rint(np.asarray(h) / 360.0 * H_BINS).astype(int) % H_BINS
        i = np.argmax(self.c[:, j], axis=0)
        return i / (L_BINS - 1) * 100.0, self.c[i, j]


def srgb_gamut():
    t = np.linspace(0.0, 1.0, 65)
    u, v = (g.ravel() for g in np.meshgrid(t, t))
    faces = []
    for axis in range(3):
        for val in (0.0, 1.0):
            f = np.zeros((u.size, 3))
            f[:, axis] = val
            f[:, [i for i in range(3) if i != axis]] = np.stack([u, v], axis=1)
            faces.append(f)
    return Gamut(srgb_lab(np.concatenate(faces)))


def press_gamut(rel, n=17):
    g = cmyk_grid(n)
    g = g[(g.sum(axis=1) <= TAC + 1e-9) & (g[:, 3] <= KMAX + 1e-9)]
    return Gamut(rel.lab(g))


def hue_anchors(rel):
    """(source hues of sRGB R, Y, G, C, B, M; the press's M+Y, Y, C+Y, C, C+M, M), sorted."""
    src = lch(srgb_lab(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1],
                                 [1, 0, 1]], float)))[2]
    dst = lch(rel.lab(np.array([[0, 1, 1, 0], [0, 0, 1, 0], [1, 0, 1, 0], [1, 0, 0, 0],
                                [1, 1, 0, 0], [0, 1, 0, 0]], float)))[2]
    order = np.argsort(src)
    return src[order], dst[order]


def map_hue(h, anchors):
    """Piecewise-linear circular map taking the source anchors onto the press's."""
    src, dst = anchors
    xs = np.concatenate([src - 360.0, src, src + 360.0])
    d = np.unwrap(np.radians(dst))
    d = np.degrees(d)
    d = d + 360.0 * np.floor((src[0] - d[0] + 180.0) / 360.0)     # near the source hues
    ys = np.concatenate([d - 360.0, d, d + 360.0])
    return np.interp(h, xs, ys) % 360.0


def perceptual_targets(lab, rel, src, dst, anchors):
    """Source Lab (PCS) -> relative Lab within the press gamut to aim for (see above)."""
    lmin = rel.black[0]
    L, C, h = lch(lab)
    s_l, s_c = src.cusp(h)
    sat = np.clip(C / np.maximum(s_c, 1e-6), 0.0, 1.0)
    # the rotation in full for saturated colours only: skin and other soft colours keep hue
    turn = (map_hue(h, anchors) - h + 180.0) % 360.0 - 180.0
    h2 = (h + sat ** 2 * turn) % 360.0
    d_l, _ = dst.cusp(h2)
    lb = bpc_lightness(L, lmin)
    L2 = np.clip(lb + sat ** 2 * (d_l - lb), lmin, 100.0)
    cs = np.maximum(src.chroma(L, h), C)          # beyond sRGB: its own chroma is the edge
    cd = dst.chroma(L2, h2)
    k = KNEE * cd
    squeezed = k + (C - k) * (cd - k) / np.maximum(cs - k, 1e-6)
    C2 = np.where(C <= k, C, np.minimum(squeezed, cd))
    C2 = np.where(cs <= k, np.minimum(C, cd), C2)
    hr = np.radians(h2)
    return np.stack([L2, C2 * np.cos(hr), C2 * np.sin(hr)], axis=1)


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
    hdr[4:8] = b"\0\0\0\0"                 # preferred CMM: none (zero, as ICC.1 says)
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
    # A2B0/A2B2: perceptual, the inverse of the lightness mapping (black point to L* 0)
    pl = a2b1_lab.copy()
    pl[:, 0] = unbpc_lightness(pl[:, 0], lmin)
    a2b0 = lut16(4, 3, 11, enc_lab(pl))

    ng = 25
    lg = lab_grid(ng)
    # B2A1: colorimetric, clipping
    x1 = invert(rel, lg, weights=(1.0, 1.0, 1.5))
    b2a1 = lut16(3, 4, ng, enc_unit(x1))
    # B2A0: perceptual: BPC lightness, hue kept, chroma soft-clipped onto the gamut boundary
    t = perceptual_targets(lg, rel, srgb_gamut(), press_gamut(rel), hue_anchors(rel))
    x0 = invert(rel, t, weights=(1.0, 1.0, 2.0))
    b2a0 = lut16(3, 4, ng, enc_unit(x0))

    # gamt: 0 in gamut, 65535 out of gamut (colorimetric round trip dE > 3)
    gg = 17
    lgg = lab_grid(gg)
    xg = invert(rel, lgg)
    dg = np.linalg.norm(rel.lab(xg) - lgg, axis=1)
    gamt = lut16(3, 1, gg, np.where(dg > 3.0, 65535, 0).astype(np.uint16))

    d = hashlib.sha256(open(ti3_path, "rb").read()).hexdigest()[:16]
    tags = [
        ("desc", text_desc("paiban newsprint (CGATS TR 002 data) v2")),
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
