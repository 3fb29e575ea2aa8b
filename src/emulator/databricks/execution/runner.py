"""Runs one Databricks task (a notebook or a Python file) locally.

Reads its spec as JSON on stdin (secrets included, so they never touch disk or argv), runs the
code with a local dbutils, and writes {status, result, error, errorTrace} to spec["resultFile"].
stdout/stderr are the task's logs; the parent process collects them.
"""
import json
import os
import runpy
import subprocess
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbutils_local import NotebookExit, install  # noqa: E402

CELL_SEPARATOR = "# COMMAND ----------"


def source_cells(text):
    lines = text.splitlines()
    if lines and lines[0].strip() == "# Databricks notebook source":
        lines = lines[1:]
    cells, current = [], []
    for line in lines:
        if line.strip() == CELL_SEPARATOR:
            cells.append("\n".join(current))
            current = []
        else:
            current.append(line)
    cells.append("\n".join(current))
    return [c for c in cells if c.strip()]


def jupyter_cells(text):
    nb = json.loads(text)
    out = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        out.append("".join(src) if isinstance(src, list) else src)
    return [c for c in out if c.strip()]


def run_cell(cell, index, g):
    lines = cell.strip("\n").splitlines()
    if all(l.startswith("# MAGIC") or not l.strip() for l in lines):
        body = [l[len("# MAGIC"):].lstrip(" ") if l.startswith("# MAGIC") else "" for l in lines]
        return run_magic(body, index)
    if lines and lines[0].startswith("%"):
        return run_magic(lines, index)
    exec(compile(cell, f"<notebook cell {index}>", "exec"), g)


def run_magic(lines, index):
    first = next((l for l in lines if l.strip()), "")
    magic = first.split()[0] if first else ""
    if magic == "%md":
        return
    if magic == "%sh":
        script = "\n".join(lines[lines.index(first) + 1:] if first.strip() == "%sh" else [first[3:]] + lines[lines.index(first) + 1:])
        done = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            raise RuntimeError(f"%sh cell {index} exited with code {done.returncode}")
        return
    if magic == "%pip":
        raise RuntimeError(f"{magic} in cell {index}: installing packages is not available in the local emulator; install them into the emulator's Python beforehand or use the task's libraries.")
    raise RuntimeError(f"{magic} in cell {index}: this magic command is not available in the local emulator.")


def main():
    spec = json.loads(sys.stdin.read())
    result = {"status": "success", "result": None, "error": None, "errorTrace": None}
    g = install(spec)
    try:
        if spec["kind"] == "notebook":
            with open(spec["path"], encoding="utf-8") as f:
                text = f.read()
            cells = jupyter_cells(text) if spec.get("format") == "JUPYTER" else source_cells(text)
            for i, cell in enumerate(cells, start=1):
                run_cell(cell, i, g)
        else:
            sys.argv = [spec["path"], *spec.get("argv", [])]
            runpy.run_path(spec["path"], init_globals={k: v for k, v in g.items() if k != "__name__"}, run_name="__main__")
    except NotebookExit as done:
        result["result"] = done.value
    except SystemExit as done:
        if done.code not in (None, 0):
            result.update(status="failed", error=f"SystemExit: {done.code}", errorTrace=f"SystemExit: {done.code}")
    except BaseException as err:  # noqa: BLE001 - every failure of user code is the task's failure
        frames = [f for f in traceback.extract_tb(err.__traceback__) if not f.filename.endswith(("runner.py", "runpy.py", "<frozen runpy>"))]
        trace = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) + "".join(traceback.format_exception_only(type(err), err))
        result.update(status="failed", error="".join(traceback.format_exception_only(type(err), err)).strip(), errorTrace=trace)
        sys.stderr.write(trace)
    sys.stdout.flush()
    sys.stderr.flush()
    with open(spec["resultFile"], "w", encoding="utf-8") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
