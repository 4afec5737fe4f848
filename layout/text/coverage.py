"""What a face covers of China's character standards, and `paiban fonts ISSUE_FILE`.

    GB 2312            every character Python's `gb2312` codec encodes in two bytes (7,445)
    GBK                every character Python's `gbk` codec encodes in two bytes (21,791)
    通用规范汉字表     the 8,105 characters of the 2013 list (fonts/tgh-2013.txt, from Unihan's kTGH)
    GB 18030 level 1   its ideographs: CJK Unified Ideographs U+4E00–9FA5 and Extension A
                       U+3400–4DB5 (27,484)
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TGH_FILE = Path(__file__).resolve().parents[2] / "fonts" / "tgh-2013.txt"


def double_byte(codec: str) -> frozenset[int]:
    """The characters `codec` encodes in two bytes (scripts/build_fonts.py wants them all)."""
    out = set()
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        try:
            if len(chr(cp).encode(codec)) == 2:
                out.add(cp)
        except UnicodeEncodeError:
            pass
    return frozenset(out)


@lru_cache(maxsize=None)
def standards() -> dict[str, frozenset[int]]:
    """name → its code points, in the order they are reported."""
    tgh = set()
    for line in TGH_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            tgh.add(int(line.split()[1][2:], 16))
    return {
        "GB 2312": double_byte("gb2312"),
        "GBK": double_byte("gbk"),
        "通用规范汉字表": frozenset(tgh),
        "GB 18030 level 1": frozenset(range(0x4E00, 0x9FA6)) | frozenset(range(0x3400, 0x4DB6)),
    }


def coverage(cps) -> dict[str, tuple[int, int]]:
    """name → (characters of the standard in `cps`, characters of the standard)."""
    have = set(cps)
    return {name: (len(s & have), len(s)) for name, s in standards().items()}


def faces_report(roles: dict[str, tuple[str, ...]]) -> dict:
    """For each role, the faces of its chain (file, format, glyphs, coverage) and what the
    chain covers as a whole."""
    from .fonts import face_info, load_face

    out = {}
    for role, keys in roles.items():
        faces, union = [], set()
        for key in keys:
            face = load_face(key)
            info = face_info(key)
            union |= set(face.gids)
            faces.append({
                "face": key, "file": str(face.path), "index": face.index,
                "name": face.ps_name,
                "format": info.format if info else "TrueType (glyf), bundled",
                "glyphs": len(face.gid_advances), "code_points": len(face.gids),
                # where lines stand on the grid and how 竖题 are set (docs/fonts.md)
                "em_box": {"ascent": face.ascent, "descent": 1 - face.ascent,
                           "from": face.em_source},
                "vertical_metrics": face.vertical is not None,
                "vertical_alternates": len(face.vert),
                "coverage": {k: list(v) for k, v in coverage(face.gids).items()},
            })
        out[role] = {"faces": faces,
                     "coverage": {k: list(v) for k, v in coverage(union).items()}}
    return out


def render_text(report: dict) -> str:
    names = list(standards())
    lines = []
    for role, r in report.items():
        lines.append(f"{role}:")
        for i, f in enumerate(r["faces"]):
            how = "sets" if i == 0 else "fallback"
            lines.append(f"  {how} {f['name']}  {f['file']}"
                         + (f" (index {f['index']})" if f["index"] is not None else ""))
            em = f["em_box"]
            lines.append(f"      {f['format']}, {f['glyphs']:,} glyphs, "
                         f"{f['code_points']:,} code points; em box {em['ascent']:.3f}/"
                         f"{em['descent']:.3f} em ({em['from']}), "
                         + ("vertical metrics" if f["vertical_metrics"] else "no vmtx"))
            lines.append("      " + "; ".join(_cell(n, f["coverage"][n]) for n in names))
        lines.append("  whole chain: " + "; ".join(_cell(n, r["coverage"][n]) for n in names))
    return "\n".join(lines) + "\n"


def _cell(name: str, v: list[int]) -> str:
    have, total = v
    return f"{name} {have:,}/{total:,}" + ("" if have == total else f" ({total - have:,} missing)")


def fonts_command_run(issue_file: Path, fmt: str) -> str:
    """`paiban fonts ISSUE_FILE`: the faces the issue uses, per role, with their coverage."""
    import json

    from ..house import House
    from ..model.load import load_issue

    report = faces_report(House.of(load_issue(issue_file)).chains())   # `fonts:` over the bundled
    if fmt == "json":
        return json.dumps({"format": "paiban-fonts/1", "issue": str(issue_file),
                           "roles": report}, ensure_ascii=False, indent=2) + "\n"
    return render_text(report)
