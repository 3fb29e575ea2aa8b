"""Runs ONE Databricks task (a notebook or a Python file) for real, in this fresh interpreter.

Usage: ``python3 runner.py`` with the task spec as one line of JSON on stdin (secrets included, so
they never touch disk or argv); the emulator keeps stdin open while the task runs, and its closing
ends the task and every process it started (see ``follow_parent``)::

    {"kind": "notebook" | "python_file", "path": "<local file>", "format": "SOURCE" | "JUPYTER",
     "widgets": {name: value}, "argv": [...], "secrets": {scope: {key: value}},
     "dbfsRoot": "<dir>", "mountsFile": "<json file>", "resultFile": "<json file>",
     "workspaceRoot": "<dir>", "taskValues": {taskKey: {key: value}}}

Writes ``{"status": "success" | "failed", "result", "error", "errorTrace", "taskValues"}`` to
``resultFile``. stdout and stderr are the task's logs (the parent collects them). Secret values
in the logs and in every field of the result are redacted (redaction.py).

Notebooks: SOURCE (``# Databricks notebook source``, cells separated by ``# COMMAND ----------``)
or JUPYTER (.ipynb: code cells in order). Cells run in order in one shared ``__main__``.
``%md`` cells are skipped; ``%sh`` runs bash (``%sh -e`` fails the cell on a non-zero exit);
``%python``, ``%run <notebook> $param="value"`` and ``%fs <command>`` work; ``%pip`` and the other
magics are refused with a message saying why. A Python file runs as ``__main__`` with
``sys.argv = [path, *argv]``.
"""
import ast
import codecs
import io
import json
import linecache
import os
import queue
import select
import shlex
import signal
import subprocess
import sys
import threading

_HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == _HERE:
    sys.path.pop(0)  # user code must not import the emulator's files by accident
sys.path.insert(0, _HERE)
import dbutils_local as dbl  # noqa: E402
import redaction  # noqa: E402

for _own in ("redaction", "spark_local"):
    sys.modules.pop(_own, None)  # a user module of that name must not resolve to this one
sys.path.remove(_HERE)

CELL_SEPARATOR = "# COMMAND ----------"
SOURCE_HEADER = "# Databricks notebook source"
OTHER_LANGUAGE_HEADERS = {"// Databricks notebook source": "Scala", "-- Databricks notebook source": "SQL"}
LANGUAGE_MAGICS = {"%sql": "SQL", "%scala": "Scala", "%r": "R"}


# --------------------------------------------------------------------------------------------
# Notebook formats.
# --------------------------------------------------------------------------------------------


def source_cells(text):
    """The cells of a SOURCE (.py export) notebook, without the header and the empty cells."""
    lines = text.lstrip("\ufeff").splitlines()
    if lines and lines[0].strip() == SOURCE_HEADER:
        lines = lines[1:]
    cells, current = [], []
    for line in lines:
        if line.rstrip() == CELL_SEPARATOR:
            cells.append(current)
            current = []
        else:
            current.append(line)
    cells.append(current)
    return ["\n".join(c).strip("\n") for c in cells if "".join(c).strip()]


def jupyter_cells(text):
    """The code cells of a Jupyter notebook, in order (markdown and raw cells skipped)."""
    doc = json.loads(text)
    out = []
    for cell in doc.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else str(src)
        if src.strip():
            out.append(src)
    return out


def read_notebook(path, fmt=None):
    """The cells of the notebook at ``path`` (format given, or recognised from the content)."""
    with dbl._real_open(path, "r", encoding="utf-8") as f:
        text = f.read()
    fmt = (fmt or "").upper()
    if fmt == "JUPYTER":
        return jupyter_cells(text)
    first = text.lstrip("\ufeff").split("\n", 1)[0].strip()
    if first in OTHER_LANGUAGE_HEADERS:
        raise NotImplementedError(f"{OTHER_LANGUAGE_HEADERS[first]} notebooks need a Databricks cluster; the local emulator runs Python notebooks.")
    if fmt != "SOURCE" and first != SOURCE_HEADER and text.lstrip().startswith("{"):
        try:
            return jupyter_cells(text)
        except ValueError:
            pass
    return source_cells(text)


def _unmagic(line):
    if line.startswith("# MAGIC "):
        return line[len("# MAGIC "):]
    if line.startswith("# MAGIC"):
        return line[len("# MAGIC"):]
    return line


def magic_body(cell):
    """The text of a magic cell (``# MAGIC %sh ...`` or a cell starting with ``%``), else None."""
    lines = [l for l in cell.splitlines() if not l.startswith("# DBTITLE")]
    nonblank = [l for l in lines if l.strip()]
    if not nonblank:
        return None
    if all(l.startswith("# MAGIC") for l in nonblank):
        body = "\n".join(_unmagic(l) for l in lines).strip("\n")
        return body if body.lstrip().startswith("%") else None
    if nonblank[0].startswith("%"):
        return "\n".join(lines).strip("\n")
    return None


# --------------------------------------------------------------------------------------------
# Running cells.
# --------------------------------------------------------------------------------------------


class NotebookRunner:
    """Runs notebooks, cells and commands in one session's ``__main__`` globals."""

    def __init__(self, session):
        self.session = session
        self.g = session.globals
        self.dbutils = session.dbutils
        self._depth = 0

    def run_notebook(self, path, fmt=None, label="notebook"):
        cells = read_notebook(path, fmt)
        for index, cell in enumerate(cells, start=1):
            self.run_cell(cell, f"<{label} cell {index}>", notebook_path=path)

    def run_cell(self, cell, filename, notebook_path=None, interactive=False):
        """Runs one cell; with ``interactive``, returns the value of a last expression (REPL)."""
        body = magic_body(cell)
        if body is not None:
            return self.run_magic(body, filename, notebook_path, interactive)
        return self.run_python(cell, filename, interactive)

    def run_python(self, code, filename, interactive=False):
        linecache.cache[filename] = (len(code), None, [l + "\n" for l in code.splitlines()], filename)
        try:
            tree = ast.parse(code, filename, "exec")
        except SyntaxError:
            if any(l.lstrip().startswith("!") for l in code.splitlines()):
                raise NotImplementedError("Shell escapes (!command) are not supported: use a %sh cell or subprocess.") from None
            raise
        last = None
        if interactive and tree.body and isinstance(tree.body[-1], ast.Expr):
            last = tree.body.pop()
        exec(compile(tree, filename, "exec", dont_inherit=True), self.g)
        if last is not None:
            return eval(compile(ast.Expression(last.value), filename, "eval", dont_inherit=True), self.g)
        return None

    def run_magic(self, body, filename, notebook_path, interactive):
        lines = body.splitlines()
        start = next(i for i, l in enumerate(lines) if l.strip())
        head = lines[start].strip()
        magic, _, arg = head.partition(" ")
        arg = arg.strip()
        rest = "\n".join(lines[start + 1:])
        name = magic.lower()
        if name in ("%md", "%md-sandbox"):
            return None
        if name == "%python":
            return self.run_python((arg + "\n" + rest) if arg else rest, filename, interactive)
        if name == "%sh":
            fail = False
            if arg == "-e" or arg.startswith("-e "):
                fail, arg = True, arg[2:].strip()
            run_sh((arg + "\n" + rest) if arg else rest, fail)
            return None
        if name == "%run":
            self.run_included(arg, notebook_path)
            return None
        if name == "%fs":
            self.run_fs(arg)
            return None
        if name in ("%pip", "%conda"):
            raise NotImplementedError(
                f"{magic} is not supported by the local emulator: install the packages into the Python interpreter "
                f"the emulator runs ({sys.executable}, set with AMLDB_PYTHON) before the run, "
                f"e.g. `{sys.executable} -m pip install ...`."
            )
        if name in LANGUAGE_MAGICS:
            raise NotImplementedError(f"{magic} cells need a Databricks cluster ({LANGUAGE_MAGICS[name]}); the local emulator runs Python and %sh cells.")
        raise NotImplementedError(f"The magic command {magic} is not supported by the local emulator (it runs %md, %python, %sh, %run and %fs; %pip is refused).")

    def run_included(self, arg, notebook_path):
        """``%run ./other $x="1"``: runs another notebook in the same globals, with those widgets."""
        tokens = shlex.split(arg)
        if not tokens:
            raise ValueError("%run needs a notebook path, e.g. %run ./setup")
        target, params = tokens[0], {}
        for token in tokens[1:]:
            key, sep, value = token.partition("=")
            if not sep:
                raise ValueError(f"%run arguments look like $name=\"value\"; got {token!r}")
            params[key.lstrip("$")] = value
        local = self.resolve_notebook(target, notebook_path)
        if self._depth >= 20:
            raise RecursionError("%run is nested too deeply (more than 20 levels)")
        self._depth += 1
        try:
            with self.dbutils.widgets.bound(params):
                self.run_notebook(local, None, label=os.path.basename(local))
        finally:
            self._depth -= 1

    def resolve_notebook(self, target, notebook_path):
        root = self.session.workspace_root
        if target.startswith("/"):
            ws = target[len("/Workspace"):] if target == "/Workspace" or target.startswith("/Workspace/") else target
            base = os.path.join(root, ws.lstrip("/")) if root else ws
        else:
            here = os.path.dirname(notebook_path) if notebook_path else (root or os.getcwd())
            base = os.path.normpath(os.path.join(here, target))
        for candidate in (base, base + ".py", base + ".ipynb"):
            if os.path.isfile(candidate):
                return candidate
        raise FileNotFoundError(f"Notebook not found: {target}")

    def run_fs(self, arg):
        """``%fs ls /mnt``: a dbutils.fs call in shell syntax (``-r`` for recurse)."""
        tokens = shlex.split(arg)
        if not tokens:
            self.dbutils.fs.help()
            return
        command, args = tokens[0], tokens[1:]
        fn = getattr(self.dbutils.fs, command, None) if not command.startswith("_") else None
        if fn is None:
            raise ValueError(f"Unknown %fs command {command!r}")
        kwargs = {}
        if any(a in ("-r", "--recurse") for a in args):
            kwargs["recurse"] = True
        out = fn(*[a for a in args if a not in ("-r", "--recurse")], **kwargs)
        if isinstance(out, list):
            dbl.display(out)
        elif out is not None and not isinstance(out, bool):
            print(out)


def run_sh(script, fail_on_error=False):
    """Runs a %sh cell with bash; its output goes to ``sys.stdout`` (redacted, captured)."""
    sys.stdout.flush()
    sys.stderr.flush()
    proc = subprocess.Popen(["bash", "-c", script], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    try:
        while True:
            chunk = proc.stdout.read1(65536)
            if not chunk:
                break
            sys.stdout.write(decoder.decode(chunk))
            sys.stdout.flush()
        sys.stdout.write(decoder.decode(b"", final=True))
    finally:
        proc.stdout.close()
        code = proc.wait()
    if fail_on_error and code != 0:
        raise subprocess.CalledProcessError(code, "%sh")


# --------------------------------------------------------------------------------------------
# Output: everything written to fd 1 and 2 (Python, C code, child processes) passes through a
# pipe whose reader replaces secret values before the bytes reach the parent.
# --------------------------------------------------------------------------------------------


class RedactingOutput:
    """Points fds 1 and 2 (and ``sys.stdout`` / ``sys.stderr``) at a pipe; a thread redacts what
    comes out of it as a stream (a secret split across writes, however far apart, is still
    found) and passes it on to the original fd 1."""

    def __init__(self, redactor):
        sys.stdout.flush()
        sys.stderr.flush()
        self.parent = os.dup(1)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 1)
        os.dup2(write_end, 2)
        os.close(write_end)
        self.read_end = read_end
        self._wake_read, self._wake_write = os.pipe()
        self._synced = threading.Event()
        self.stream = redaction.RedactingStream(redactor)
        redactor.before_withholding = self.sync
        for fd, name in ((1, "stdout"), (2, "stderr")):
            raw = io.FileIO(fd, "w", closefd=False)
            setattr(sys, name, io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", line_buffering=True, write_through=True))
        self.thread = threading.Thread(target=self._pump, name="amldb-output", daemon=True)
        self.thread.start()

    def _pump(self):
        while True:
            ready, _, _ = select.select([self._wake_read, self.read_end], [], [])
            if self._wake_read in ready:
                request = os.read(self._wake_read, 1)
                self._drain()
                if request == b"s":
                    self._synced.set()
                    continue
                break
            chunk = os.read(self.read_end, 65536)
            if not chunk:
                break
            self._emit(self.stream.feed(chunk))
        self._emit(self.stream.finish())

    def _drain(self):
        """Takes what is in the pipe now; a background process still writing is not waited for."""
        os.set_blocking(self.read_end, False)
        try:
            for _ in range(64):
                chunk = os.read(self.read_end, 65536)
                if not chunk:
                    return
                self._emit(self.stream.feed(chunk))
        except BlockingIOError:
            pass
        finally:
            os.set_blocking(self.read_end, True)

    def _emit(self, data):
        while data:
            try:
                written = os.write(self.parent, data)
            except OSError:
                return
            data = data[written:]

    @staticmethod
    def _flush_streams():
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass

    def sync(self):
        """Returns once what was written so far went to the parent (or after 5 s)."""
        self._flush_streams()
        self._synced.clear()
        os.write(self._wake_write, b"s")
        self._synced.wait(timeout=5.0)

    def close(self):
        """Flushes everything this process wrote, redacted, to the parent."""
        self._flush_streams()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
        os.write(self._wake_write, b"x")
        self.thread.join(timeout=10.0)


# --------------------------------------------------------------------------------------------
# The emulator's end of stdin is this process's lifeline.
# --------------------------------------------------------------------------------------------


def follow_parent():
    """Reads the lines the emulator sends on stdin, in a thread, into the returned queue; user code
    sees /dev/null as stdin. When the emulator's end of the pipe closes (it stopped, or was killed
    and the kernel closed it), this process and every process it started in its group end."""
    fd = os.dup(0)  # not inherited by child processes
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    lines = queue.Queue()

    def read():
        pending = b""
        try:
            while True:
                chunk = os.read(fd, 65536)
                if not chunk:
                    break
                *complete, pending = (pending + chunk).split(b"\n")
                for line in complete:
                    lines.put(line.decode("utf-8"))
        except OSError:
            pass
        end_process_group()

    threading.Thread(target=read, name="amldb-lifeline", daemon=True).start()
    return lines


def end_process_group():
    """Kills this process's group when it leads one (the executor starts it so), else itself."""
    if os.getpgrp() == os.getpid():
        os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


# --------------------------------------------------------------------------------------------
# The task.
# --------------------------------------------------------------------------------------------


def _under(path, root):
    return bool(root) and (path == root or path.startswith(root.rstrip(os.sep) + os.sep))


def run_task(spec, session):
    """Runs the task; returns the result document."""
    result = {"status": "success", "result": None, "error": None, "errorTrace": None}
    redact = session.redactor.text
    kind = spec.get("kind")
    path = os.path.abspath(spec["path"])
    try:
        if not os.path.isfile(path):
            raise FileNotFoundError(f"{'Notebook' if kind == 'notebook' else 'Python file'} not found: {spec['path']}")
        if kind == "notebook":
            here = os.path.dirname(path)
            if _under(path, session.workspace_root):
                os.chdir(here)  # as on recent runtimes: the notebook's folder
            sys.path.insert(0, here)  # imports of modules next to the notebook
            sys.argv = [path]
            session.become_main()
            NotebookRunner(session).run_notebook(path, spec.get("format"))
        elif kind == "python_file":
            import runpy

            if _under(path, session.workspace_root):
                os.chdir(os.path.dirname(path))
            sys.path.insert(0, os.path.dirname(path))
            sys.argv = [path, *[str(a) for a in spec.get("argv") or []]]
            extra = {k: v for k, v in session.globals.items() if k not in ("__name__", "__builtins__", "__doc__", "__loader__", "__spec__", "__package__")}
            runpy.run_path(path, init_globals=extra, run_name="__main__")
        else:
            raise ValueError(f"Unknown task kind {kind!r}: expected 'notebook' or 'python_file'.")
    except dbl.NotebookExit as done:
        result["result"] = redact(done.value)
    except SystemExit as done:
        if done.code not in (None, 0):
            result.update(status="failed", error=redact(f"SystemExit: {done.code}"), errorTrace=redact(dbl.clean_traceback(done)))
    except BaseException as err:  # noqa: BLE001 - every failure of user code is the task's failure
        trace = dbl.clean_traceback(err)
        result.update(status="failed", error=redact(dbl.describe_error(err)), errorTrace=redact(trace))
        sys.stderr.write(trace)  # redacted on its way out, like any output
    values = session.redactor.json(session.dbutils.jobs.taskValues.values)
    if values and isinstance(values, dict):
        result["taskValues"] = values
    return result


def _write_result(result_file, result):
    fd = os.open(result_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with dbl._real_open(fd, "w", encoding="utf-8") as f:
        json.dump(result, f)


def stop(output):
    """The emulator stops the run (timeout, cancel): what the task wrote goes out, then it ends."""
    output.close()
    os._exit(143)


def main():
    spec = json.loads(follow_parent().get())
    result_file = os.path.abspath(spec["resultFile"])
    redactor = redaction.Redactor.for_spec(spec)
    output = RedactingOutput(redactor)
    signal.signal(signal.SIGTERM, lambda *_: stop(output))
    try:
        session = dbl.Session(spec, redactor)
    except BaseException as err:  # noqa: BLE001
        error = redactor.text(f"The local emulator could not prepare the run: {dbl.describe_error(err)}")
        result = {"status": "failed", "result": None, "error": error, "errorTrace": None}
    else:
        result = run_task(spec, session)
    _write_result(result_file, result)
    output.close()
    # Leave without waiting for threads the task may have left running (the task is over).
    os._exit(0)


if __name__ == "__main__":
    main()
