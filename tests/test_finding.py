"""check, lint and preflight report one Finding type (layout/checks/finding.py), and the JSON
of each gives every finding the same shared keys (issue 13: one Finding for the three tools)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pikepdf
from click.testing import CliRunner

from layout.checks.finding import SEVERITIES, SHARED_KEYS, Finding
from layout.checks.lint import lint_file
from layout.checks.preflight import preflight
from layout.cli import main
from layout.pipeline import check_issue

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"
MODULE = "module: {column: 6, span: 3, line: 45, lines: 34}"


def _slipped_seed(tmp_path: Path) -> Path:
    """The seed with baojiaolou's module cut to 20 lines (it overflows) and a half-width
    comma in its headline (a lint finding)."""
    shutil.copytree(SEED.parent / "photos", tmp_path / "photos")
    text = SEED.read_text(encoding="utf-8")
    assert MODULE in text
    text = text.replace(MODULE, MODULE.replace("lines: 34", "lines: 20"))
    at = text.index("headline: ", text.index("id: baojiaolou")) + len("headline: ")
    text = text[:at] + "测试," + text[at:]
    path = tmp_path / "slipped.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _bare_pdf(tmp_path: Path) -> Path:
    """A PDF that is no PDF/X: no title, no output intent, no trim box."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    path = tmp_path / "bare.pdf"
    pdf.save(path)
    return path


def _shared(findings: list[dict], tool: str) -> None:
    assert findings, tool
    for f in findings:
        assert set(SHARED_KEYS) <= set(f), (tool, sorted(f))
        assert f["severity"] in SEVERITIES and f["kind"] and f["message"], (tool, f)


def test_check_lint_and_preflight_report_one_finding_type(tmp_path):
    issue = _slipped_seed(tmp_path)
    checked = check_issue(issue).findings()
    linted = lint_file(issue)
    preflighted = preflight(_bare_pdf(tmp_path)).findings
    for tool, found in (("check", checked), ("lint", linted), ("preflight", preflighted)):
        assert found and all(type(f) is Finding for f in found), tool
    over = next(f for f in checked if f.kind == "overflow")
    assert (over.article, over.page, over.box.lines) == ("baojiaolou", 3, 20)
    assert "id: baojiaolou" in issue.read_text(encoding="utf-8").splitlines()[over.line - 1]
    comma = next(f for f in linted if f.kind == "half-width")
    assert comma.article == "baojiaolou" and comma.extra["field"] == "headline"
    assert {f.kind for f in preflighted} >= {"boxes", "title"}


def test_json_of_each_tool_has_the_shared_keys(tmp_path):
    issue = _slipped_seed(tmp_path)
    pdf = _bare_pdf(tmp_path)
    r = CliRunner().invoke(main, ["check", str(issue), "--format", "json"])
    assert r.exit_code == 1, r.output
    pages = json.loads(r.stdout)["pages"]
    found = [f for p in pages for f in p["findings"]] + [
        f for p in pages for a in p["articles"] + p["ads"] for f in a["findings"]]
    _shared(found, "check")
    assert {(f["kind"], f["page"], f["article"]) for f in found} >= {(
        "overflow", 3, "baojiaolou")}

    r = CliRunner().invoke(main, ["lint", str(issue), "--format", "json"])
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    _shared(doc["findings"], "lint")
    comma = next(f for f in doc["findings"] if f["kind"] == "half-width")
    assert (comma["article"], comma["field"], comma["fixable"]) == ("baojiaolou", "headline", True)

    r = CliRunner().invoke(main, ["preflight", str(pdf), "--format", "json"])
    assert r.exit_code == 1, r.output
    doc = json.loads(r.stdout)
    _shared(doc["findings"], "preflight")
    assert all(f["rule"] == f["kind"] and f["page"] in (None, 1) for f in doc["findings"])
