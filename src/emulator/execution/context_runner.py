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
What reaches file descriptors 1 and 2 directly (``os.system``, child processes, ``os.write``) is
the driver log: it passes through the same redaction. When the emulator's end of stdin closes,
the context and everything it started end.
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
TRUNCATED_NOTE = "\n*** WARNING: output truncated ***"


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
    """The output of one command: its first ``keep`` characters (a little more than
    MAX_OUTPUT_CHARS, so that a secret crossing the cut is seen whole)."""

    def __init__(self, keep):
        super().__init__()
        self._parts = []
        self._size = 0
        self._keep = keep
        self.truncated = False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        room = self._keep - self._size
        if room > 0:
            self._parts.append(s[:room])
            self._size += min(len(s), room)
        if len(s) > room:
            self.truncated = True
        return len(s)

    def shown(self, redactor, suffix="", rstrip=False):
        """The command's output then ``suffix``, redacted; output beyond MAX_OUTPUT_CHARS is dropped."""
        raw = "".join(self._parts)
        if not self.truncated and len(raw) <= MAX_OUTPUT_CHARS:
            text = raw + suffix
            return redactor.text(text.rstrip("\n") if rstrip else text)
        kept = redactor.cut_text(raw) if self.truncated else redactor.text(raw)
        return kept if redactor.withheld else kept[:MAX_OUTPUT_CHARS] + TRUNCATED_NOTE + redactor.text(suffix)


class _Stream(_TextSink):
    """sys.stdout / sys.stderr: the running command's capture, else the process's own stream
    (so a logging handler created in one command keeps working in the next)."""

    def __init__(self, fallback):
        super().__init__()
        self._fallback = fallback
        self.target = None

    def write(self, s):
        if self.target is not None:
            return self.target.write(s)
        return self._fallback.write(s)

    def flush(self):
        (self.target or self._fallback).flush()


def execute(code, number, session, notebook, streams):
    redactor = session.redactor
    capture = _Capture(MAX_OUTPUT_CHARS + redactor.longest)
    for s in streams:
        s.target = capture
    try:
        value = notebook.run_cell(code, f"<command-{number}>", notebook_path=None, interactive=True)
        if value is not None:
            print(repr(value))
        return {"resultType": "text", "data": capture.shown(redactor, rstrip=True)}
    except dbl.NotebookExit as done:
        return {"resultType": "text", "data": capture.shown(redactor, suffix=done.value)}
    except BaseException as err:  # noqa: BLE001 - the command's failure is its result
        return {"resultType": "error", "summary": redactor.text(dbl.describe_error(err)), "cause": redactor.text(dbl.clean_traceback(err))}
    finally:
        for s in streams:
            s.target = None


def main():
    requests = runner.follow_parent()
    os.set_inheritable(3, False)
    answers = open(3, "w", encoding="utf-8", buffering=1, closefd=True)

    def answer(doc):
        answers.write(json.dumps(doc) + "\n")
        answers.flush()

    spec = json.loads(requests.get())
    redactor = runner.redaction.Redactor.for_spec(spec)
    runner.RedactingOutput(redactor)  # fds 1 and 2 (the driver log) pass through redaction too
    try:
        session = dbl.Session(spec, redactor)
    except BaseException as err:  # noqa: BLE001
        answer({"ready": False, "summary": redactor.text(dbl.describe_error(err))})
        return
    session.become_main()
    notebook = runner.NotebookRunner(session)
    streams = [_Stream(sys.stdout), _Stream(sys.stderr)]
    sys.stdout, sys.stderr = streams
    answer({"ready": True})
    number = 0
    while True:
        line = requests.get()
        number += 1
        if not line.strip():
            continue
        request = json.loads(line)
        result = execute(str(request.get("code", "")), number, session, notebook, streams)
        answer({"id": request.get("id"), **result})


if __name__ == "__main__":
    main()
