"""Safety: safe loading only, alias bombs refused in bounded time and memory, paths relative to
the issue file."""
from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from issue_fixtures import article, dump, han, issue, photo, write
from layout.cli import main
from layout.errors import IssueFileError
from layout.model.load import MAX_ALIASES, load_issue

GOOD = dump(issue([article("a", (1, 2, 1, 20), han(30))]))


def bomb(levels: int, width: int = 10) -> str:
    """A billion-laughs document prefix: anchors a, b, … each `width` references to the one
    before; `levels` × `width` aliases in all."""
    out = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, levels + 1):
        out.append(f"lol{k}: &l{k} [" + ", ".join([f"*l{k - 1}"] * width) + "]")
    return "\n".join(out) + "\n"


def timed_load(path: Path):
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        load_issue(path)
        err = None
    except IssueFileError as e:
        err = e
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return err, elapsed, peak


def test_billion_laughs_refused_fast(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb(12) + GOOD, encoding="utf-8")     # 120 aliases, 10^13 strings expanded
    err, elapsed, peak = timed_load(path)
    assert err is not None and f"more than {MAX_ALIASES} aliases" in err.message
    assert err.where.line == 12                             # the line of the 101st alias
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize("where", ["print: *l9\n", "paper: *l9\n", "top: *l9\n"])
def test_bomb_under_the_alias_limit_is_never_expanded(tmp_path, where):
    """90 aliases (10^10 strings if expanded) pass the alias count; nothing may expand them:
    the value is either ignored (print) or refused for its type, in bounded time and memory."""
    text = bomb(9) + GOOD
    if where.startswith("paper"):
        text = text.replace("paper: 测试报\n", where)
    else:
        text += where
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    err, elapsed, peak = timed_load(path)
    assert elapsed < 1.0 and peak < 20 * 1024 * 1024
    assert err is not None           # lol0 … lol9 are unknown keys; paper must be text


def bomb_under_print(levels: int = 9) -> str:
    """The anchors inside `print:` (a key the loader takes and does not read), so that the
    aliases can be used in any field below."""
    return "print:\n" + "".join("  " + ln + "\n" for ln in bomb(levels).splitlines())


@pytest.mark.parametrize("field, message", [
    ("editors", "must be a name (text), not a list"),
    ("level", "typography level must be one of"),
    ("headline_size", "headline_size must be a size"),
    ("paragraphs", "paragraph 1 must be text, not a list"),
    ("headline", "'headline' must be text, not a list"),
])
def test_bomb_in_any_field_is_refused_without_expanding(tmp_path, field, message):
    text = bomb_under_print() + GOOD
    target, insert = {
        "editors": ("  section: 要闻\n", "  section: 要闻\n  editors:\n    责任编辑: *l9\n"),
        "level": ("    headline: 短讯\n", "    headline: 短讯\n    typography:\n      level: *l9\n"),
        "headline_size": ("    headline: 短讯\n", "    headline: 短讯\n    headline_size: *l9\n"),
        "paragraphs": ("    paragraphs:\n", "    paragraphs:\n    - *l9\n"),
        "headline": ("    headline: 短讯\n", "    headline: *l9\n"),
    }[field]
    assert target in text
    path = tmp_path / "bomb.yaml"
    path.write_text(text.replace(target, insert, 1), encoding="utf-8")
    err, elapsed, peak = timed_load(path)
    assert err is not None and "expand to more than" in err.message, err
    assert elapsed < 1.0 and peak < 20 * 1024 * 1024
    # Under the expansion limit (10^5 strings), the field's own check refuses the value
    # without turning it into text.
    path.write_text((bomb_under_print(5) + GOOD).replace(target, insert.replace("*l9", "*l5"), 1),
                    encoding="utf-8")
    err, elapsed, peak = timed_load(path)
    assert err is not None and message in err.message, err
    assert elapsed < 1.0 and peak < 20 * 1024 * 1024


def test_no_python_objects(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(GOOD.replace("paper: 测试报",
                                 f'paper: !!python/object/apply:os.system ["touch {marker}"]'),
                    encoding="utf-8")
    with pytest.raises(IssueFileError, match="could not determine a constructor"):
        load_issue(path)
    assert not marker.exists()


def test_photo_paths_are_relative_to_the_issue_file(tmp_path, monkeypatch):
    issue_dir = tmp_path / "issues" / "2023"
    photo(tmp_path / "issues" / "photos", "p.jpg", (900, 600))
    photo(issue_dir / "photos", "q.jpg", (900, 600))
    arts = [article("a", (1, 2, 1, 40), han(100),
                    photos=[{"file": "../photos/p.jpg"}, {"file": "photos/q.jpg",
                                                          "place": {"column": 1, "span": 2,
                                                                    "line": 20, "lines": 10}}])]
    path = write(issue_dir, issue(arts))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    iss = load_issue(Path("../issues/2023/issue.yaml"))
    files = [ph.file for ph in iss.pages[0].articles[0].photos]
    assert files == [(tmp_path / "issues" / "photos" / "p.jpg").resolve(),
                     (issue_dir / "photos" / "q.jpg").resolve()]
    r = CliRunner().invoke(main, ["build", "../issues/2023/issue.yaml", "-o", "out.pdf",
                                  "--allow-overflow"])
    assert r.exit_code == 0, r.output
    assert (elsewhere / "out.pdf").read_bytes().startswith(b"%PDF")


def test_photo_next_to_the_working_folder_is_not_used(tmp_path, monkeypatch):
    """A path is never read relative to the working folder."""
    issue_dir = tmp_path / "issue"
    issue_dir.mkdir()
    path = write(issue_dir, issue([article("a", (1, 2, 1, 40), han(100),
                                           photos=[{"file": "photos/p.jpg"}])]))
    photo(tmp_path / "photos", "p.jpg", (900, 600))     # beside the working folder only
    monkeypatch.chdir(tmp_path)
    with pytest.raises(IssueFileError, match="photo file not found"):
        load_issue(path.relative_to(tmp_path))


@pytest.mark.parametrize("where", ["print:\n  standard: *l9\n", "print:\n  min_ppi: *l9\n",
                                   "print:\n  condition: {identifier: *l9}\n"])
def test_bomb_handed_to_print_settings_is_refused_at_load(tmp_path, where):
    """`print:` values are read by the PDF/X finisher, which quotes them in its messages: a
    value that expands to 10^10 strings never reaches it."""
    text = bomb_under_print().replace("print:", "x-anchors:") + GOOD + where
    path = tmp_path / "bomb.yaml"
    path.write_text(text, encoding="utf-8")
    err, elapsed, peak = timed_load(path)
    assert err is not None and "expand to more than 20 MB" in err.message, err
    assert elapsed < 1.0 and peak < 20 * 1024 * 1024


def test_long_text_repeated_by_aliases_is_refused(tmp_path):
    """99 aliases of a paragraph of 250 000 characters: 25 million once written out."""
    big = han(250_000)
    data = issue([article("a", (1, 2, 1, 20), "PLACEHOLDER")])
    text = dump(data).replace("- PLACEHOLDER", "- &big " + big + "\n" + "    - *big\n" * 99)
    path = tmp_path / "long.yaml"
    path.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(IssueFileError, match="expand to more than 20 MB"):
        load_issue(path)
    assert time.perf_counter() - t0 < 1.0


def test_a_few_aliases_are_fine(tmp_path):
    """Aliases as an editor would use them (one module shape for several articles) load."""
    text = dump(issue([article("a", (1, 2, 1, 20), han(30)),
                       article("b", (3, 2, 1, 20), han(30))]))
    text = text.replace("  - id: a\n    module:\n", "  - id: a\n    module: &m\n", 1)
    path = tmp_path / "ok.yaml"
    path.write_text(text, encoding="utf-8")
    iss = load_issue(path)
    assert [a.id for a in iss.pages[0].articles] == ["a", "b"]
