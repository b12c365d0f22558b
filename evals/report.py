"""Writing a measurement's report: the figures as JSON and the table as Markdown, side by side."""

from __future__ import annotations

import json
from pathlib import Path


def write_report(out_dir: Path, stem: str, report: dict, table: str) -> tuple[Path, Path]:
    """Save <stem>.json and <stem>.md under out_dir; returns both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out_dir / f"{stem}.json", out_dir / f"{stem}.md"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(table, encoding="utf-8")
    return json_path, md_path
