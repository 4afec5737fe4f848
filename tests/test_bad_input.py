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
    if kind == "huge-number":  # Python refuses to read it as an int (over 4,300 digits)
        return BASE.replace("number: 2", "number: " + "9" * 5000).encode("utf-8")
    if kind == "article-too-long":     # 20,000 paragraphs of 50 characters: 32 s, 1.3 GB
        return BASE.replace("- 天地玄黄，宇宙洪荒。", "\n          ".join(
            "- " + _text(50) for _ in range(20000))).encode("utf-8")
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


# ---------------------------------------------------------------------------------------------
# Bounded time: text of any length costs time in proportion to it

_HEAD = "发动群众依靠群众打造共治共建共享治理新格局，管城回族区委书记带队调研督导网格化基层治理工作"


def _text(n: int) -> str:
    return (_HEAD * (n // len(_HEAD) + 1))[:n]


@pytest.mark.parametrize("n, lines", [(4000, None), (10000, None), (10000, 6), (330, 6), (80, 6)])
def test_head_fitting_is_near_linear(n, lines):
    """fit_lines measured every break of the head in full (4,000 characters: 10.7 s, 10,000:
    over 120 s; 80 characters in up to 6 lines: 10 s). Counted, not timed: the characters
    handed to the measure stay within a constant times the head's length."""
    from layout.compose.deck import fit_lines, line_width, part_spec
    from layout.house import BUNDLED
    from layout.model.document import PartStyle

    measured = [0]

    def measure(text, face, size, tracking):
        measured[0] += len(text)
        return line_width(text, face, size, tracking)

    spec = part_spec("headline", PartStyle(lines=lines), 8, house=BUNDLED)
    fit = fit_lines(_text(n), spec, 8 * 117 + 27, measure=measure)
    assert measured[0] <= 2000 * n, measured[0]
    assert "".join(fit.lines).replace("\u3000", "") == _text(n)     # nothing lost
    assert len(fit.lines) <= (lines or 2)


def test_long_headline_builds_in_bounded_time(tmp_path):
    """A 10,000-character headline: built, reported as not fitting — in seconds."""
    import subprocess
    import sys

    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE.replace("headline: 短讯", "headline: " + _text(10000)), encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "layout", "build", str(issue), "-o",
                        str(tmp_path / "o.pdf")], capture_output=True, text=True, timeout=60,
                       cwd=Path(__file__).resolve().parents[1])
    assert "标题排不下" in p.stdout + p.stderr, p.stderr
    assert (tmp_path / "o.pdf").exists() and "Traceback" not in p.stderr


# ---------------------------------------------------------------------------------------------
# Files that are not issue files: checked before they are read

def _run_limited(*args: str, timeout: float = 60) -> "subprocess.CompletedProcess":
    """`python -m layout ARGS` in 1.5 GB of address space (a file read whole fails fast)."""
    import resource
    import subprocess
    import sys

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limit,
                          cwd=Path(__file__).resolve().parents[1])


def _not_an_issue_file(tmp_path, kind: str) -> tuple[Path, str]:
    if kind == "device":
        return Path("/dev/zero"), "is a device, not an issue file"
    if kind == "fifo":
        p = tmp_path / "issue.yaml"
        os.mkfifo(p)
        return p, "is a FIFO (named pipe), not an issue file"
    p = tmp_path / "issue.yaml"                  # sparse: 3 GB that take no disk
    with open(p, "wb") as f:
        f.truncate(3 << 30)
    return p, "the file is 3072 MB; an issue file is text of at most 20 MB"


@pytest.mark.skipif(not (hasattr(os, "mkfifo") and Path("/dev/zero").exists()),
                    reason="needs /dev/zero and FIFOs")
@pytest.mark.parametrize("kind", ["device", "fifo", "sparse-3gb"])
@pytest.mark.parametrize("command", ["build", "check", "lint"])
def test_not_a_regular_file_is_refused_before_reading(tmp_path, kind, command):
    """`paiban build /dev/zero` read until memory ran out, a FIFO waited for a writer, a 3 GB
    sparse file was read whole before the 20 MB check."""
    path, message = _not_an_issue_file(tmp_path, kind)
    out = tmp_path / "o.pdf"
    p = _run_limited(command, str(path), *(["-o", str(out)] if command == "build" else []))
    assert p.returncode == 2, p.stderr
    assert f"{path}: error: " in p.stderr and message in p.stderr, p.stderr
    assert "Traceback" not in p.stderr and not out.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_watch_reports_a_fifo_and_keeps_watching(tmp_path):
    from layout.watch import watch

    path, message = _not_an_issue_file(tmp_path, "fifo")
    said: list[str] = []
    watch(path, tmp_path / "o.pdf", builds=1, echo=said.append)
    assert any(message in s for s in said), said


def test_printer_file_that_is_a_device(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("needs /dev/zero")
    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE + "print: /dev/zero\n", encoding="utf-8")
    p = _run_limited("build", str(issue), "-o", str(tmp_path / "o.pdf"))
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr


# ---------------------------------------------------------------------------------------------
# Input Python cannot encode or represent

@pytest.mark.parametrize("generate, what", [("huge-number", "a number of 5000 digits"),
                                             ("lone-surrogate", "U+D800")])
def test_check_json_reports_the_error_as_json(tmp_path, generate, what):
    """A 5,000-digit page number was an internal error, and `check --format json` then wrote
    no JSON at all."""
    import json

    issue = tmp_path / "issue.yaml"
    issue.write_bytes(generated("huge-number") if generate == "huge-number"
                      else (HERE / "lone-surrogate.yaml").read_bytes())
    result = CliRunner().invoke(main, ["check", str(issue), "--format", "json"])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert report["status"] == "invalid" and what in report["error"]["message"]
    assert report["error"]["line"] in (4, 9) and report["error"]["column"] > 1


@pytest.mark.parametrize("generate", ["huge-number", "lone-surrogate"])
def test_watch_survives_input_python_cannot_represent(tmp_path, generate):
    """A lone surrogate in a headline raised UnicodeEncodeError out of `paiban watch`."""
    from layout.watch import watch

    issue = tmp_path / "issue.yaml"
    issue.write_bytes(generated("huge-number") if generate == "huge-number"
                      else (HERE / "lone-surrogate.yaml").read_bytes())
    said: list[str] = []
    watch(issue, tmp_path / "o.pdf", builds=1, echo=said.append)
    assert any("issue.yaml:" in s and ": error: " in s for s in said), said
    assert not (tmp_path / "o.pdf").exists()


def test_surrogate_pair_escapes_are_the_character(tmp_path):
    """"\\ud83d\\ude00" (a pair, as JSON writes it) is the one character it encodes."""
    from layout.model.load import load_issue

    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE.replace("headline: 短讯", 'headline: "短讯\\ud83d\\ude00"'), encoding="utf-8")
    assert load_issue(issue).pages[0].articles[0].deck.headline == "短讯\U0001F600"


def test_numbers_typed_as_text_keep_their_digits(tmp_path):
    """3.10, 1_000, .inf, 0012 and 12:30 typed where text is meant printed as 3.1, 1000, inf,
    12 and 750: text fields keep the scalar as written (docs/issue-format.md)."""
    import pdfplumber

    from layout.model.load import load_issue

    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE.replace("section: 要闻", "section: 1_000")
                     .replace("headline: 短讯", "headline: 3.10\n        byline: 12:30")
                     .replace("date: 2023-03-17", "date: 2023-03-17\nnumber: 0012")
                     .replace("- 天地玄黄，宇宙洪荒。", "- .inf\n          - 2.50"), encoding="utf-8")
    got = load_issue(issue)
    art = got.pages[0].articles[0]
    assert (art.deck.headline, art.byline, got.pages[0].section, got.number) == \
        ("3.10", "12:30", "1_000", "0012")
    assert art.paragraphs == (".inf", "2.50")
    out = tmp_path / "o.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    for written in ("3.10", ".inf", "2.50", "12:30"):
        assert written in text, (written, text)


@pytest.mark.parametrize("day", ["0999-03-17", "0001-01-01"])
def test_dates_before_year_1000_build(tmp_path, day):
    """The PDF's own preflight refused "D:9990317…": strftime's %Y does not pad the year."""
    import pikepdf

    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE.replace("2023-03-17", day), encoding="utf-8")
    out = tmp_path / "o.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:" + day.replace("-", ""))


def test_lint_names_a_lookalike_character(tmp_path):
    issue = tmp_path / "issue.yaml"
    issue.write_bytes((HERE / "fullwidth-colon.yaml").read_bytes())
    result = CliRunner().invoke(main, ["lint", str(issue)])
    assert result.exit_code == 2
    assert "issue.yaml:2:5: error: YAML syntax: the key 'date' is followed by '：'" in result.output
