#!/usr/bin/env python3
"""Runs every shell command shown in README.md, docs/*.md and examples/*/README.md against a release build,
in a temporary copy of the pages and examples, and reports the commands that fail and those whose output
differs from the output the page shows.

    python3 scripts/check-docs.py [--no-build] [--keep] [--timeout S] [--skip REGEX] [PAGE ...]

What counts as a command: an indented block (4 spaces, outside fences) or a fenced block (no language,
sh, bash, console, shell) whose first line starts with `hopfield `, `swift run`, `swift build`,
`.build/`, `../../.build/` or `bash scripts/`. Continuation lines (`\\`) and following lines of the
block belong to it, and the block runs as one bash script (so `B=… E=…` variables work).
The output a page shows is the fenced block without a language that directly follows a command block
(blank lines and nothing else between); it is compared line by line, exactly.

Rewrites, so that the commands run against the release build and nothing is installed:
`swift run [-c release] hopfield` → `hopfield`, `swift run [-c release] example-X` → the example's release
binary, `swift build …` and `bash scripts/setup.sh` → `true`; `.build/debug/` and `.build/release/` in
the copy point at the release binaries. `swift test` lines are not run (reported as skipped), nor are
synopses (`NET.json`, `LAYER=FILE.npy`, `[--flag …]`, `…`).

A fenced ```json block right after a line that names a file `X.json` in backticks is written to X.json
first (the README tour's `tour.json`). Commands run from the copy's root; a command that starts with
`../../` runs from its page's folder. The examples' pages run first (the modern Hopfield example writes the
Fashion-MNIST files that docs/cli.md's measurement command reads), all in the same copy.

Exit status: 0 when every command ran and matched, 1 otherwise.
"""
import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMAND_START = re.compile(r"^(\$ )?(hopfield |swift run|swift build|\.build/|\.\./\.\./\.build/|bash scripts/|\$B )")
SYNOPSIS = re.compile(r"\b(NET|FILE|LAYER|DIR|M|Q)\.(json|npy)\b|LAYER=|\[--|…|\.\.\.\]")
FILE_NAME = re.compile(r"`([A-Za-z0-9_.-]+\.json)`")


def pages(selected):
    if selected:
        return selected
    # The examples first: their commands make files (the Fashion-MNIST .npy files) that docs/cli.md uses.
    found = []
    for name in sorted(os.listdir(os.path.join(ROOT, "examples"))):
        readme = os.path.join("examples", name, "README.md")
        if os.path.exists(os.path.join(ROOT, readme)):
            found.append(readme)
    found.append("README.md")
    found += sorted(os.path.join("docs", f) for f in os.listdir(os.path.join(ROOT, "docs")) if f.endswith(".md"))
    return found


def blocks(text):
    """Yields (kind, language, first line number, lines) for fenced and indented blocks and prose lines."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = re.match(r"^```(\w*)\s*$", line)
        if fence:
            start = i
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            yield ("fence", fence.group(1), start + 1, body)
            i += 1
            continue
        if line.startswith("    ") and line.strip():
            start = i
            body = []
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                if not lines[i].strip():
                    # a blank line ends the block unless the next line is still indented
                    if i + 1 < len(lines) and lines[i + 1].startswith("    "):
                        body.append("")
                        i += 1
                        continue
                    break
                body.append(lines[i][4:])
                i += 1
            yield ("indent", "", start + 1, body)
            continue
        yield ("prose", "", i + 1, [line])
        i += 1


def rewrite(script, bin_dir):
    script = re.sub(r"swift run (-c release )?hopfield\b", "hopfield", script)
    script = re.sub(r"swift run (-c release )?(example-[a-z0-9-]+)", lambda m: os.path.join(bin_dir, m.group(2)), script)
    script = re.sub(r"swift build[^&;\n]*", "true ", script)
    script = re.sub(r"bash scripts/setup\.sh", "true", script)
    return script


def strip_comments(script):
    return "\n".join(re.sub(r"\s+#\s.*$", "", line) for line in script.split("\n"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per block (default 900)")
    parser.add_argument("--skip", metavar="REGEX", help="do not run blocks whose text matches REGEX "
                        "(e.g. 'capacity' for the long capacity sweeps); they are reported as skipped")
    args = parser.parse_args()

    if not args.no_build:
        for product in ["hopfield", "example-krotov-hopfield-softmax"]:
            subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True)
    release = os.path.join(ROOT, ".build", "release")

    work = tempfile.mkdtemp(prefix="hopfield-check-docs-")
    copy = os.path.join(work, "repo")
    os.makedirs(copy)
    shutil.copy(os.path.join(ROOT, "README.md"), copy)
    shutil.copytree(os.path.join(ROOT, "docs"), os.path.join(copy, "docs"))
    shutil.copytree(os.path.join(ROOT, "examples"), os.path.join(copy, "examples"),
                    ignore=lambda d, names: [n for n in names if n == "result" or
                                             (d.endswith("modern_hopfield_fashion_mnist") and n.endswith(".npy"))])
    shutil.copytree(os.path.join(ROOT, "scripts"), os.path.join(copy, "scripts"))
    bin_dir = os.path.join(work, "bin")
    os.makedirs(bin_dir)
    for name in os.listdir(release):
        if name == "hopfield" or name.startswith("example-"):
            path = os.path.join(release, name)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                os.symlink(path, os.path.join(bin_dir, name))
    for flavour in ["debug", "release"]:
        os.makedirs(os.path.join(copy, ".build"), exist_ok=True)
        os.symlink(bin_dir, os.path.join(copy, ".build", flavour))
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"])

    results = []  # (page, line, verdict, detail)
    for page in pages(args.pages):
        text = open(os.path.join(ROOT, page), encoding="utf-8").read()
        page_dir = os.path.join(copy, os.path.dirname(page))
        items = list(blocks(text))
        recent_prose = []
        for k, (kind, language, line, body) in enumerate(items):
            if kind == "prose":
                if body[0].strip():
                    recent_prose = (recent_prose + body)[-3:]
                continue
            if kind == "fence" and language == "json":
                names = [m for p in recent_prose for m in FILE_NAME.findall(p)]
                if names:
                    with open(os.path.join(copy, names[-1]), "w", encoding="utf-8") as f:
                        f.write("\n".join(body) + "\n")
                continue
            first = body[0].strip() if body else ""
            if not COMMAND_START.match(first) or (kind == "fence" and language not in ("", "sh", "bash", "console", "shell")):
                continue
            script = "\n".join(body)
            where = f"{page}:{line}"
            if SYNOPSIS.search(script):
                results.append((where, "skip", "synopsis"))
                continue
            if args.skip and re.search(args.skip, script):
                results.append((where, "skip", f"matches --skip: {first}"))
                continue
            if re.search(r"\bswift test\b", script):
                results.append((where, "skip", "swift test (run the tests instead)"))
                script = "\n".join(l for l in script.split("\n") if not re.search(r"\bswift test\b", l))
            # The output the page shows: the next non-blank item, if it is a fence without a language.
            shown = None
            for kind2, language2, _, body2 in items[k + 1:]:
                if kind2 == "prose" and not body2[0].strip():
                    continue
                if kind2 == "fence" and language2 == "":
                    shown = body2
                break
            cwd = page_dir if first.startswith("../../") else copy
            command = rewrite(strip_comments(script), bin_dir)
            try:
                run = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", command], cwd=cwd, env=env,
                                     capture_output=True, text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                results.append((where, "FAIL", f"timed out after {args.timeout:.0f} s: {first}"))
                continue
            if run.returncode != 0:
                err = (run.stderr.strip().split("\n") or [""])[-1]
                results.append((where, "FAIL", f"exit {run.returncode}: {first}\n      {err}"))
                continue
            if shown is not None:
                printed = run.stdout.rstrip("\n").split("\n")
                expected = [s.rstrip() for s in shown]
                if [s.rstrip() for s in printed] != expected:
                    diff = "\n".join("      " + d for d in difflib.unified_diff(expected, printed, "page", "printed", lineterm=""))
                    results.append((where, "DIFF", f"{first}\n{diff}"))
                    continue
                results.append((where, "ok", f"{first} (output matches)"))
            else:
                results.append((where, "ok", first))

    for where, verdict, detail in results:
        print(f"{verdict:4} {where}: {detail}")
    bad = [r for r in results if r[1] in ("FAIL", "DIFF")]
    ran = [r for r in results if r[1] != "skip"]
    print(f"\n{len(ran)} commands run, {len(bad)} failed or differ, {len(results) - len(ran)} skipped"
          + (f"; work folder kept: {work}" if args.keep else ""))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
