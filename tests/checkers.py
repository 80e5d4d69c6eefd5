"""The real checkers of a built site, run as their own command lines: the Nu HTML validator,
LinkChecker and Lighthouse. The tests assert on what they return; `python -m tests.quality` writes
it into a report. Each result keeps the tool's raw output, to be read when a figure surprises.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

from .conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT

NODE_TOOLS = ROOT / "node_modules"
VNU = NODE_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_TOOLS / ".bin" / "lighthouse"
LINKCHECKER = ROOT / ".venv" / "bin" / "linkchecker"
# Material's own markup: `autocomplete="off"` on its drawer and search toggles, which are checkboxes.
MATERIAL_AUTOCOMPLETE = "Attribute “autocomplete” is only allowed when the input type is"
LINKCHECKER_CONFIG = """\
[checking]
threads=4
# The local server sends `LinkChecker: local`, which lets this rate apply to it.
maxrequestspersecond=1000
[filtering]
checkextern=0
[AnchorCheck]
"""
CATEGORIES = ("accessibility", "best-practices", "seo")
# Lighthouse looks at the home page, a stakeholder page and the longest page, as a phone and a desktop.
LIGHTHOUSE_PAGES = ("", "stakeholder/bellezza/", "azioni/")
FORM_FACTORS = ("mobile", "desktop")
LIGHTHOUSE_TIMEOUT = 600  # seconds; never reached unless Chromium hangs


@dataclass(frozen=True)
class Finding:
    """One problem a checker reports: where, and what it says."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Validation:
    """The Nu validator on every page: its errors, and Material's known ones it filtered out."""

    pages: int
    errors: list[Finding]
    material_autocomplete: int
    raw: dict[str, Any] = field(repr=False)


@dataclass(frozen=True)
class LinkCheck:
    """LinkChecker from the given start pages: how many links it followed, and what failed or warned."""

    links: int
    problems: list[Finding]
    exit_code: int
    raw: str = field(repr=False)


@dataclass(frozen=True)
class Audit:
    """One Lighthouse run: the category scores (0 to 1), the audits that lost points, the metrics."""

    url: str
    form_factor: str
    scores: dict[str, float | None]
    failing: list[Finding]
    metrics: dict[str, str]
    raw: dict[str, Any] = field(repr=False)


def validate(site: Path) -> Validation:
    """`vnu --skip-non-html --errors-only` on the whole built site, as files."""
    command = ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json", str(site)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    raw: dict[str, Any] = json.loads(result.stderr)  # the validator writes its JSON report on stderr
    messages = raw["messages"]
    known = [m for m in messages if _material_autocomplete(m)]
    errors = [Finding(_where(m, site), m["message"]) for m in messages if not _material_autocomplete(m)]
    return Validation(len(list(site.rglob("*.html"))), errors, len(known), raw)


def _material_autocomplete(message: dict[str, Any]) -> bool:
    extract = message.get("extract", "")
    return message["message"].startswith(MATERIAL_AUTOCOMPLETE) and 'type="checkbox"' in extract


def _where(message: dict[str, Any], site: Path) -> str:
    path = message.get("url", "").removeprefix("file:").removeprefix(str(site))
    return f"{path}:{message.get('lastLine', '?')}"


def check_links(urls: list[str], scratch: Path) -> LinkCheck:
    """LinkChecker on the served site, with anchors: every internal link and #fragment in the raw HTML."""
    config = scratch / "linkcheckerrc"
    config.write_text(LINKCHECKER_CONFIG, "utf-8")
    command = [str(LINKCHECKER), "--no-status", "--config", str(config), "--output", "csv", "--verbose", *urls]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    rows = _csv_rows(result.stdout)
    problems = [
        Finding(f"{row['parentname'] or '(inizio)'} -> {row['urlname']}", row["warningstring"] or row["result"])
        for row in rows
        if row["valid"] != "True" or row["warningstring"]
    ]
    return LinkCheck(len(rows), problems, result.returncode, result.stdout)


def _csv_rows(output: str) -> list[dict[str, str]]:
    # LinkChecker's comments start with "# "; a row for an anchor link starts with "#" and its name.
    lines = [line for line in output.splitlines(keepends=True) if not line.startswith("# ")]
    return list(csv.DictReader(StringIO("".join(lines)), delimiter=";"))


def lighthouse(url: str, form_factor: str, scratch: Path, categories: tuple[str, ...] = CATEGORIES) -> Audit:
    """Lighthouse on `url` in Debian's Chromium, as a phone (`mobile`) or a desktop (`desktop`)."""
    report = scratch / f"lighthouse-{form_factor}.json"
    flags = " ".join(["--headless", *CHROMIUM_FLAGS, f"--user-data-dir={scratch / 'profile'}"])
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet"]
    command += [f"--chrome-flags={flags}", f"--only-categories={','.join(categories)}"]
    command += ["--preset=desktop"] if form_factor == "desktop" else []
    environment = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    subprocess.run(command, env=environment, capture_output=True, check=True, timeout=LIGHTHOUSE_TIMEOUT)
    raw: dict[str, Any] = json.loads(report.read_text("utf-8"))
    scores = {name: category["score"] for name, category in raw["categories"].items()}
    return Audit(url, form_factor, scores, _failing(raw), _metrics(raw), raw)


def _failing(raw: dict[str, Any]) -> list[Finding]:
    """Audits that cost points in a category other than performance (whose figures are its metrics)."""
    return [
        Finding(name, f"{ref['id']}: {raw['audits'][ref['id']]['title']}")
        for name, category in raw["categories"].items()
        if name != "performance"
        for ref in category["auditRefs"]
        if ref["weight"] > 0 and _lost_points(raw["audits"][ref["id"]])
    ]


def _lost_points(audit: dict[str, Any]) -> bool:
    """Scored below 1; audits that do not apply to the page have no score and cost nothing."""
    return audit["score"] is not None and audit["score"] < 1


def _metrics(raw: dict[str, Any]) -> dict[str, str]:
    if "performance" not in raw["categories"]:
        return {}
    weighted = [ref["id"] for ref in raw["categories"]["performance"]["auditRefs"] if ref["weight"] > 0]
    return {name: raw["audits"][name].get("displayValue", "") for name in weighted}
