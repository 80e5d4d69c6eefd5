"""`make quality`: every checker on a fresh build, one readable report and the raw output.

    python -m tests.quality site-quality     # after `programma site --out site-quality/site`

Writes site-quality/REPORT.md, site-quality/summary.json and the tools' own output (vnu.json,
linkchecker.csv, lighthouse/*.json, pytest.xml). Exits 1 if a check that the tests enforce fails;
Lighthouse's performance is timing, so it is recorded against its goal and never fails the run.
It lives with the tests because it drives the same development tools (Node, Java, Playwright),
which the installable package does not depend on.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .checkers import (
    FORM_FACTORS,
    LIGHTHOUSE_PAGES,
    LINKCHECKER,
    NODE_TOOLS,
    VNU,
    Audit,
    LinkCheck,
    Validation,
    check_links,
    lighthouse,
    validate,
)
from .conftest import ROOT, serving

ALL_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PERFORMANCE_GOAL = 0.95  # on a phone; a goal, recorded, not a test
# The browser, keyboard, axe and hostile-programme checks: pytest builds and serves the site itself.
BROWSER_TESTS = ["tests/test_hostile.py", "tests/test_keyboard.py", "tests/test_browser.py"]
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
)


@dataclass(frozen=True)
class TestRun:
    """The browser and PDF test files, run by pytest: counts and the names of what failed."""

    passed: int
    failed: list[str]
    seconds: float


def main(out: Path) -> int:
    site = out / "site"
    if not (site / "index.html").is_file():
        sys.exit(f"{site} is not a built site: run `programma site --out {site}` first")
    with tempfile.TemporaryDirectory() as scratch, serving(site, _fresh(Path(scratch) / "served")) as served:
        validation = validate(site)
        links = check_links([served.url(""), served.url("404.html")], Path(scratch))
        pages = [(served.url(path), path, ff) for path in LIGHTHOUSE_PAGES for ff in FORM_FACTORS]
        audits = [_lighthouse(url, path, ff, out, Path(scratch)) for url, path, ff in pages]
    tests = _pytest(out / "pytest.xml")
    _write_raw(out, validation, links)
    summary = _summary(validation, links, audits, tests)
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", "utf-8")
    (out / "REPORT.md").write_text(report(summary), "utf-8")
    print(f"Report: {out / 'REPORT.md'}")
    return 0 if summary["passed"] else 1


def _fresh(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _lighthouse(url: str, path: str, form_factor: str, out: Path, scratch: Path) -> Audit:
    """One run at a time: performance is timing, and parallel runs would slow each other."""
    name = (path.strip("/").replace("/", "-") or "home") + f"-{form_factor}"
    audit = lighthouse(url, form_factor, _fresh(scratch / name), ALL_CATEGORIES)
    (_fresh(out / "lighthouse") / f"{name}.json").write_text(json.dumps(audit.raw, indent=1), "utf-8")
    return audit


def _pytest(junit: Path) -> TestRun:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}", *BROWSER_TESTS]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, check=False)
    cases = ElementTree.parse(junit).getroot().iter("testcase")
    outcomes = {f"{case.get('classname')}::{case.get('name')}": _failed(case) for case in cases}
    failed = [name for name, bad in outcomes.items() if bad]
    return TestRun(len(outcomes) - len(failed), failed, round(time.monotonic() - started))


def _failed(case: ElementTree.Element) -> bool:
    return any(case.find(tag) is not None for tag in ("failure", "error", "skipped"))


def _write_raw(out: Path, validation: Validation, links: LinkCheck) -> None:
    (out / "vnu.json").write_text(json.dumps(validation.raw, indent=1, ensure_ascii=False), "utf-8")
    (out / "linkchecker.csv").write_text(links.raw, "utf-8")


def _summary(validation: Validation, links: LinkCheck, audits: list[Audit], tests: TestRun) -> dict[str, Any]:
    enforced = not validation.errors and not links.problems and links.exit_code == 0 and not tests.failed
    enforced = enforced and all(audit.scores[name] == 1 for audit in audits for name in ALL_CATEGORIES[1:])
    return {
        "passed": enforced,
        "commit": _git("rev-parse", "--short", "HEAD")
        + (" with uncommitted changes" if _git("status", "--porcelain") else ""),
        "versions": _versions(),
        "vnu": {"pages": validation.pages, "errors": [str(e) for e in validation.errors]}
        | {"material_autocomplete_filtered": validation.material_autocomplete},
        "linkchecker": {"links": links.links, "problems": [str(p) for p in links.problems]},
        "lighthouse": [_audit_summary(audit) for audit in audits],
        "tests": {"passed": tests.passed, "failed": tests.failed, "seconds": tests.seconds, "files": BROWSER_TESTS},
    }


def _audit_summary(audit: Audit) -> dict[str, Any]:
    return {
        "url": audit.url,
        "form_factor": audit.form_factor,
        "scores": audit.scores,
        "metrics": audit.metrics,
        "failing": [str(finding) for finding in audit.failing],
    }


def _versions() -> dict[str, str]:
    def node(package: str) -> str:
        manifest = json.loads((NODE_TOOLS / package / "package.json").read_text("utf-8"))
        return str(manifest["version"])

    linkchecker = subprocess.run([str(LINKCHECKER), "--version"], capture_output=True, text=True, check=False)
    vnu = subprocess.run(["java", "-jar", str(VNU), "--version"], capture_output=True, text=True, check=False)
    return {
        "vnu": vnu.stdout.strip(),
        "linkchecker": linkchecker.stdout.split("\n", 1)[0].removeprefix("LinkChecker ").split(" ")[0],
        "lighthouse": node("lighthouse"),
    }


def _git(*arguments: str) -> str:
    result = subprocess.run(["git", "-C", str(ROOT), *arguments], capture_output=True, text=True, check=False)
    return result.stdout.strip()


def report(summary: dict[str, Any]) -> str:
    """The summary as Markdown a person reads: a verdict, a table per checker, what each guarantees."""
    lines = [
        "# Quality report",
        "",
        f"Commit {summary['commit']}, a fresh build in `site-quality/site/`. "
        + ("Every enforced check passes." if summary["passed"] else "**Some enforced checks fail.**"),
        "",
        *_checkers_table(summary),
        "",
        *_lighthouse_table(summary["lighthouse"]),
        "",
        *_problems(summary),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _checkers_table(summary: dict[str, Any]) -> list[str]:
    vnu, links, tests, versions = summary["vnu"], summary["linkchecker"], summary["tests"], summary["versions"]
    return [
        "| checker | result | what it guarantees |",
        "|---|---|---|",
        f"| Nu HTML validator {versions['vnu']} | {_count(len(vnu['errors']), 'error')} on {vnu['pages']} pages "
        f"({vnu['material_autocomplete_filtered']} of Material's `autocomplete` errors filtered) "
        "| every page is valid HTML |",
        f"| LinkChecker {versions['linkchecker']} | {len(links['problems'])} broken of {links['links']} links "
        "and anchors | every internal link, asset, PDF and #anchor in the served HTML resolves |",
        f"| pytest: hostile programme, keyboard, axe | {tests['passed']} passed, {len(tests['failed'])} failed "
        f"({tests['seconds']} s) | data can never become markup; keyboard and screen-reader basics; "
        "WCAG 2.1 AA by axe on every page |",
        f"| Lighthouse {versions['lighthouse']} | see below | accessibility, best practices and SEO at 1; "
        f"performance recorded, goal {PERFORMANCE_GOAL} on a phone |",
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _lighthouse_table(audits: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| page | device | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | SI |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for audit in audits:
        scores, metrics = audit["scores"], audit["metrics"]
        goal = " (below goal)" if audit["form_factor"] == "mobile" and scores["performance"] < PERFORMANCE_GOAL else ""
        cells = [_path(audit["url"]), audit["form_factor"], f"{scores['performance']:.2f}{goal}"]
        cells += [f"{scores[name]:.2f}" for name in ALL_CATEGORIES[1:]]
        cells += [metrics.get(name, "") for name in METRICS]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _path(url: str) -> str:
    return "/" + url.split("/programma/", 1)[-1]


def _problems(summary: dict[str, Any]) -> list[str]:
    found = [*summary["vnu"]["errors"], *summary["linkchecker"]["problems"], *summary["tests"]["failed"]]
    found += [
        f"Lighthouse {_path(a['url'])} {a['form_factor']}: {f}" for a in summary["lighthouse"] for f in a["failing"]
    ]
    if not found:
        return ["No problem found. Raw output: `vnu.json`, `linkchecker.csv`, `lighthouse/*.json`, `pytest.xml`."]
    return ["## Problems", "", *(f"- {problem}" for problem in found)]


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "site-quality"))
