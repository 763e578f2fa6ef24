"""Test helper: axe-core run on a rendered HTML page in headless Chromium.

axe-core is pinned in tests/a11y/package-lock.json and installed with
`npm ci --prefix tests/a11y`; reports never embed it. The page is copied into a temporary
folder with axe.min.js beside it and a script that runs axe and writes its violations as JSON
into a `<pre id="axe-result">`; Chromium loads the copy (`--dump-dom`) at a given window width,
and the JSON is read back from the DOM it prints.

Without Chromium or axe-core the caller skips, unless SKILLGAP_REQUIRE_A11Y=1 (set by
.ci/run), which turns the skip into a failure, so CI never passes without having checked.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ("wcag2a", "wcag2aa", "wcag21aa", "best-practice")
CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_RESULT = re.compile(r'<pre id="axe-result">(.*?)</pre>', re.S)
# Runs once the page has loaded; axe's promise ends in the result element either way.
_RUNNER = """
<script src="axe.min.js"></script>
<script>
function axeResult(value) {
  var out = document.createElement("pre");
  out.id = "axe-result";
  out.textContent = JSON.stringify(value);
  document.body.appendChild(out);
}
axe.run(document, {runOnly: {type: "tag", values: %(tags)s}, resultTypes: ["violations"]})
  .then(function (r) {
    axeResult({passes: r.passes.length, violations: r.violations.map(function (v) {
      return {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {
        return {target: n.target.join(" "), summary: n.failureSummary};
      })};
    })});
  }, function (e) { axeResult({error: String(e)}); });
</script>
"""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:8]) + (" …" if len(self.targets) > 8 else "")
        return f"{self.rule} ({self.impact}): {self.help} — {shown}"


def chromium() -> str:
    """The Chromium to run, or skip (fail under SKILLGAP_REQUIRE_A11Y=1) when there is none."""
    found = next((p for name in CHROMIUMS if (p := shutil.which(name))), None)
    if found is None:
        _unavailable("no Chromium on PATH (Debian: apt-get install chromium)")
    if not AXE.is_file():
        _unavailable(f"axe-core is not installed ({AXE}): run `npm ci --prefix tests/a11y`")
    return str(found)


def _unavailable(reason: str) -> None:
    if os.environ.get("SKILLGAP_REQUIRE_A11Y") == "1":
        pytest.fail(f"SKILLGAP_REQUIRE_A11Y=1 but {reason}")
    pytest.skip(reason)


def run_axe(page: Path, width: int, browser: str) -> tuple[int, list[Violation]]:
    """axe-core's passes count and violations for `page` in a window `width` px wide."""
    with tempfile.TemporaryDirectory(prefix="skillgap-axe-") as tmp:
        folder = Path(tmp)
        shutil.copy(AXE, folder / "axe.min.js")
        source = page.read_text("utf-8")
        runner = _RUNNER % {"tags": json.dumps(list(TAGS))}
        target = folder / page.name
        target.write_text(source.replace("</body>", runner + "</body>", 1), "utf-8")
        command = [
            browser,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--user-data-dir={folder / 'profile'}",
            f"--window-size={width},2000",
            "--virtual-time-budget=60000",
            "--dump-dom",
            target.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    found = _RESULT.search(done.stdout)
    assert found, f"axe wrote no result for {page} (exit {done.returncode}): {done.stderr[-800:]}"
    result = json.loads(html.unescape(found.group(1)))
    assert "error" not in result, f"axe failed on {page}: {result['error']}"
    violations = [
        Violation(v["id"], v["impact"], v["help"], tuple(n["target"] for n in v["nodes"]))
        for v in result["violations"]
    ]
    return int(result["passes"]), violations
