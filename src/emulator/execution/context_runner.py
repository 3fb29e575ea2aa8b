"""A Command Execution (1.2) context: ONE long-lived Python process keeping its globals between
commands, with the same local dbutils as task runs (dbutils_local.py).

Protocol (JSON lines, UTF-8):

* stdin, first line: the spec ``{"dbfsRoot", "mountsFile", "secrets", "workspaceRoot"?}``;
  then one request per line: ``{"id": <n>, "code": "<python>"}``. Commands run one at a time.
* file descriptor 3: the answers, one per line: ``{"ready": true}`` once started, then
  ``{"id": <n>, "resultType": "text", "data": "..."}`` or
  ``{"id": <n>, "resultType": "error", "summary": "...", "cause": "..."}``.

User code never sees the protocol: stdin is /dev/null for it (requests are read from a private
copy of the descriptor), answers go to descriptor 3 (not inherited by child processes), and what
the command prints is captured into ``data``. As in a notebook, the value of a last expression is
shown (its repr), ``%sh`` / ``%run`` / ``%fs`` work, and secret values are shown as [REDACTED].
"""
import importlib.util
import io
import json
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == _HERE:
    sys.path.pop(0)


def _load_runner():
    spec = importlib.util.spec_from_file_location("_amldb_notebook_runner", os.path.join(_HERE, "runner.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


runner = _load_runner()
dbl = runner.dbl

#: Largest output kept for one command (the rest is dropped, with a note).
MAX_OUTPUT_CHARS = 5 * 1024 * 1024


class _TextSink(io.TextIOBase):
    """A writable UTF-8 text stream that is not a terminal."""

    @property
    def encoding(self):
        return "utf-8"

    def writable(self):
        return True

    def isatty(self):
        return False


class _Capture(_TextSink):
    """The output of one command."""

    def __init__(self):
        super().__init__()
        self._parts = []
        self._size = 0
        self.truncated = False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if self._size < MAX_OUTPUT_CHARS:
            self._parts.append(s[: MAX_OUTPUT_CHARS - self._size])
            if len(s) > MAX_OUTPUT_CHARS - self._size:
                self.truncated = True
        else:
            self.truncated = True
        self._size += len(s)
        return len(s)

    def getvalue(self):
        text = "".join(self._parts)
        return text + ("\n*** WARNING: output truncated ***" if self.truncated else "")


class _Stream(_TextSink):
    """sys.stdout / sys.stderr: the running command's capture, else the process's own stream
    (so a logging handler created in one command keeps working in the next)."""

    def __init__(self, fallback, redact):
        super().__init__()
        self._fallback = fallback
        self._redact = redact
        self.target = None

    def write(self, s):
        if self.target is not None:
            return self.target.write(s)
        self._fallback.write(self._redact(s))
        return len(s)

    def flush(self):
        (self.target or self._fallback).flush()


def execute(code, number, session, notebook, streams):
    capture = _Capture()
    for s in streams:
        s.target = capture
    redact = session.redactor.text
    try:
        value = notebook.run_cell(code, f"<command-{number}>", notebook_path=None, interactive=True)
        if value is not None:
            print(repr(value))
        return {"resultType": "text", "data": redact(capture.getvalue().rstrip("\n"))}
    except dbl.NotebookExit as done:
        return {"resultType": "text", "data": redact(capture.getvalue() + done.value)}
    except BaseException as err:  # noqa: BLE001 - the command's failure is its result
        return {"resultType": "error", "summary": redact(dbl.describe_error(err)), "cause": redact(dbl.clean_traceback(err))}
    finally:
        for s in streams:
            s.target = None


def main():
    requests_fd = os.dup(0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.set_inheritable(3, False)
    answers = open(3, "w", encoding="utf-8", buffering=1, closefd=True)
    requests = open(requests_fd, "r", encoding="utf-8", closefd=True)

    def answer(doc):
        answers.write(json.dumps(doc) + "\n")
        answers.flush()

    spec = json.loads(requests.readline() or "{}")
    try:
        session = dbl.Session(spec)
    except BaseException as err:  # noqa: BLE001
        answer({"ready": False, "summary": dbl.describe_error(err)})
        return
    session.become_main()
    notebook = runner.NotebookRunner(session)
    streams = [_Stream(sys.stdout, session.redactor.text), _Stream(sys.stderr, session.redactor.text)]
    sys.stdout, sys.stderr = streams
    answer({"ready": True})
    for number, line in enumerate(requests, start=1):
        if not line.strip():
            continue
        request = json.loads(line)
        result = execute(str(request.get("code", "")), number, session, notebook, streams)
        answer({"id": request.get("id"), **result})


if __name__ == "__main__":
    main()
