"""RESULTS.md keeps one section per benchmark: rewriting one leaves the others alone."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_load import SECTION, write_section


def test_new_file_gets_a_title_and_the_section(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    write_section(f"{SECTION}\n\nfirst\n", results)
    assert results.read_text("utf-8") == f"# Benchmark results\n\n{SECTION}\n\nfirst\n"


def test_rewriting_replaces_only_its_own_section(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# Benchmark results\n\n## Render\n\nr\n\n{SECTION}\n\nold\n\n## PDF\n\np\n", "utf-8")
    write_section(f"{SECTION}\n\nnew\n", results)
    assert results.read_text("utf-8") == f"# Benchmark results\n\n## Render\n\nr\n\n{SECTION}\n\nnew\n\n## PDF\n\np\n"


def test_a_missing_section_is_appended(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Render\n\nr\n", "utf-8")
    write_section(f"{SECTION}\n\nnew\n", results)
    assert results.read_text("utf-8") == f"# Benchmark results\n\n## Render\n\nr\n\n{SECTION}\n\nnew\n"


def test_a_longer_heading_is_another_section(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# Benchmark results\n\n{SECTION}: notes\n\nn\n", "utf-8")
    write_section(f"{SECTION}\n\nnew\n", results)
    assert results.read_text("utf-8") == f"# Benchmark results\n\n{SECTION}: notes\n\nn\n\n{SECTION}\n\nnew\n"
