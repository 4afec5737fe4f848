"""Bad input never crashes paiban, never loses a file: the corpus in tests/bad_input/ (each case
refused with exit code 2, a specific message and the issue file's line), and a property test
over mutated issue files (no exception escapes, no half-written PDF)."""
from __future__ import annotations

import io
import os
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from layout.cli import main

HERE = Path(__file__).parent / "bad_input"
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
MARK = "# <- error"
GOOD_PDF = b"%PDF-1.4\n% a good PDF from an earlier build\n%%EOF\n"

BASE = (HERE / "unknown-key-issue.yaml").read_text(encoding="utf-8").replace(
    "papre: 测试报   # <- error", "paper: 测试报")


# ---------------------------------------------------------------------------------------------
# Pictures the photo cases refer to

def _png(width: int, height: int, data: bytes = b"", *, bit_depth: int = 1, colour: int = 0) -> bytes:
    """A PNG whose header claims width × height (the pixel data need not be there)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(data))
            + chunk(b"IEND", b""))


def make_photos(folder: Path) -> None:
    from PIL import Image

    folder.mkdir(exist_ok=True)
    img = Image.new("RGB", (300, 200))
    for x in range(0, 300, 7):
        for y in range(0, 200, 5):
            img.putpixel((x, y), (x % 256, y % 256, (x * y) % 256))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=90)
    jpeg = buf.getvalue()
    (folder / "good.jpg").write_bytes(jpeg)
    (folder / "truncated.jpg").write_bytes(jpeg[: len(jpeg) * 2 // 3])
    (folder / "text.jpg").write_text("这不是图片，是一段文字。\n", encoding="utf-8")
    (folder / "empty.jpg").write_bytes(b"")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    png = bytearray(buf.getvalue())
    png[len(png) // 2] ^= 0xFF                      # one flipped byte inside IDAT: CRC mismatch
    (folder / "corrupt.png").write_bytes(bytes(png))
    (folder / "bomb-81mp.png").write_bytes(_png(9000, 9000))       # over paiban's limit
    (folder / "bomb-100mp.png").write_bytes(_png(10000, 10000))    # over Pillow's warning
    (folder / "bomb-400mp.png").write_bytes(_png(20000, 20000))    # over Pillow's error


# ---------------------------------------------------------------------------------------------
# Generated (byte-level) cases

def generated(kind: str) -> bytes:
    if kind == "control-character":
        return BASE.replace("headline: 短讯", "headline: 短\x07讯").encode("utf-8")
    if kind == "nul-byte":
        return BASE.replace("headline: 短讯", "headline: 短\x00讯").encode("utf-8")
    if kind == "deep-nesting":
        return (BASE + "print: " + "[" * 20000 + "]" * 20000 + "\n").encode("utf-8")
    if kind == "gbk":
        return BASE.encode("gb18030")
    if kind == "gbk-late":     # ASCII up to the paragraph on line 11
        text = BASE.replace("测试报", "Test").replace("要闻", "News").replace("短讯", "Brief")
        return text.encode("gb18030")
    if kind == "utf-16":
        return BASE.encode("utf-16")
    if kind == "utf-32":
        return BASE.encode("utf-32")
    if kind == "not-text":
        return b"\x89\xff\xfe\x00binary" + bytes(range(256))
    if kind == "oversized":
        line = b"# " + "填充".encode() * 40 + b"\n"
        return BASE.encode("utf-8") + line * (21 * 1024 * 1024 // len(line) + 1)
    raise ValueError(kind)


def case_bytes(case: dict) -> bytes:
    if "generate" in case:
        return generated(case["generate"])
    return (HERE / case.get("file", case["name"] + ".yaml")).read_bytes()


def expected_line(case: dict, data: bytes) -> int:
    if "line" in case:
        return case["line"]
    lines = data.decode("utf-8").splitlines()
    marked = [k + 1 for k, ln in enumerate(lines) if MARK in ln]
    assert len(marked) == 1, f"{case['name']}: mark the error line with '{MARK}' or give line:"
    return marked[0]


@pytest.fixture(scope="module")
def photo_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("photos") / "photos"
    make_photos(d)
    return d


def test_corpus_is_large_and_complete():
    names = [c["name"] for c in CASES]
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    files = {p.stem for p in HERE.glob("*.yaml")} - {"cases"}
    listed = {c.get("file", c["name"] + ".yaml")[:-5] for c in CASES if "generate" not in c}
    assert files == listed, f"case files not in cases.yaml: {files - listed}; missing: {listed - files}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case, tmp_path, photo_dir):
    shutil.copytree(photo_dir, tmp_path / "photos")
    issue = tmp_path / "issue.yaml"
    data = case_bytes(case)
    issue.write_bytes(data)
    out = tmp_path / "out.pdf"
    out.write_bytes(GOOD_PDF)
    before = sorted(p.name for p in tmp_path.iterdir())

    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    text = result.output

    assert result.exit_code == case.get("exit", 2), text
    assert case["message"] in text, text
    line = expected_line(case, data)
    if line:
        assert re.search(rf"issue\.yaml:{line}(:\d+)?: error: ", text), f"line {line} not shown:\n{text}"
    else:
        assert "issue.yaml: error: " in text, text
    assert "Traceback" not in text
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert out.read_bytes() == GOOD_PDF                      # the earlier PDF is untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == before   # and nothing else was written


def test_check_reports_invalid_input_as_exit_2(tmp_path):
    """`paiban check` refuses the same input the same way, in every format."""
    issue = tmp_path / "issue.yaml"
    issue.write_bytes((HERE / "unknown-key-article.yaml").read_bytes())
    for fmt in ("text", "json", "junit", "github"):
        result = CliRunner().invoke(main, ["check", str(issue), "--format", fmt])
        assert result.exit_code == 2, result.output
        assert "did you mean headline?" in result.stderr
        assert "Traceback" not in result.output


def test_unreadable_photo(tmp_path, photo_dir, monkeypatch):
    """A photo the user may not read (simulated: the tests may run as root)."""
    from PIL import Image

    from layout.model import photos

    shutil.copytree(photo_dir, tmp_path / "photos")
    issue = tmp_path / "issue.yaml"
    issue.write_text((HERE / "photo-missing.yaml").read_text(encoding="utf-8")
                     .replace("nothere.jpg", "good.jpg"), encoding="utf-8")
    real_open = Image.open

    def denied(fp, *a, **k):
        if str(fp).endswith("good.jpg"):
            raise PermissionError(13, "Permission denied", str(fp))
        return real_open(fp, *a, **k)

    photos._inspect.cache_clear()
    # a cache that has not seen this photo (a photo that passed once is remembered by content)
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(Image, "open", denied)
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "o.pdf")])
    photos._inspect.cache_clear()
    assert result.exit_code == 2, result.output
    assert "cannot read the photo" in result.output and "permission denied" in result.output
    line = expected_line({"name": "photo-missing"}, issue.read_bytes())
    assert re.search(rf"issue\.yaml:{line}:\d+: error", result.output), result.output
    assert not (tmp_path / "o.pdf").exists()


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root reads any file")
def test_unreadable_issue_file(tmp_path):
    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE, encoding="utf-8")
    issue.chmod(0)
    result = CliRunner().invoke(main, ["build", str(issue)])
    assert result.exit_code == 2 and "cannot read" in result.output


def test_missing_issue_file(tmp_path):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nothere.yaml")])
    assert result.exit_code == 2
    assert "no such issue file" in result.output and "Traceback" not in result.output


def test_output_folder_missing(tmp_path):
    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "no" / "o.pdf")])
    assert result.exit_code == 2
    assert "output folder" in result.output and "does not exist" in result.output


def test_internal_error_is_short_and_exit_3(tmp_path, monkeypatch):
    """An unexpected exception is a bug: a short message, exit 3, no traceback — unless
    PAIBAN_DEBUG=1, when the exception propagates with its traceback."""
    import layout.pipeline

    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE, encoding="utf-8")

    def boom(*a, **k):
        raise ZeroDivisionError("division by zero in the line breaker")

    # composition, which build and check both run
    monkeypatch.setattr(layout.pipeline, "compose_issue", boom)
    monkeypatch.delenv("PAIBAN_DEBUG", raising=False)
    for cmd in ("build", "check"):
        result = CliRunner().invoke(main, [cmd, str(issue), *(["-o", str(tmp_path / "o.pdf")]
                                                             if cmd == "build" else [])])
        assert result.exit_code == 3, result.output
        assert "internal error: ZeroDivisionError: division by zero" in result.output
        assert "please report it" in result.output and "PAIBAN_DEBUG=1" in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "o.pdf").exists()
    monkeypatch.setenv("PAIBAN_DEBUG", "1")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert isinstance(result.exception, ZeroDivisionError)


def test_internal_error_in_a_subprocess_has_no_traceback(tmp_path):
    """The real entry point (not CliRunner): what a user sees on the terminal."""
    import subprocess
    import sys

    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE, encoding="utf-8")
    code = ("import layout.pipeline as c, sys\n"
            "def boom(*a, **k): raise KeyError('x')\n"
            "c.compose_issue = boom\n"
            "from layout.cli import main\n"
            f"sys.argv = ['paiban', 'check', {str(issue)!r}]\n"
            "main()\n")
    env = {k: v for k, v in os.environ.items() if k != "PAIBAN_DEBUG"}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       cwd=Path(__file__).resolve().parents[1], timeout=60)
    assert p.returncode == 3, p.stderr
    assert "internal error: KeyError" in p.stderr and "Traceback" not in p.stderr
