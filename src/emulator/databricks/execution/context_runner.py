"""A Command Execution context: one Python process keeping its globals between commands.

Protocol: the spec as the first line of stdin, then one JSON line per command {"code": ...}.
Answers go to file descriptor 3 as JSON lines, so what user code prints cannot corrupt them.
"""
import ast
import io
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbutils_local import NotebookExit, install  # noqa: E402


def execute(code, g):
    out = io.StringIO()
    real_stdout, real_stderr = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = _Tee(out, real_stdout)
    try:
        tree = ast.parse(code, "<command>", "exec")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, "<command>", "exec"), g)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<command>", "eval"), g)
            if value is not None:
                print(repr(value))
        return {"resultType": "text", "data": out.getvalue().rstrip("\n")}
    except NotebookExit as done:
        return {"resultType": "text", "data": (out.getvalue() + done.value).rstrip("\n")}
    except BaseException as err:  # noqa: BLE001 - user code's failure is the command's result
        summary = "".join(traceback.format_exception_only(type(err), err)).strip()
        return {"resultType": "error", "summary": summary, "cause": traceback.format_exc(), "data": out.getvalue()}
    finally:
        sys.stdout, sys.stderr = real_stdout, real_stderr


class _Tee:
    """Captures a command's output; the redacting stream installed by dbutils hides secrets."""

    def __init__(self, buffer, redacting):
        self._buffer, self._redacting = buffer, redacting

    def write(self, text):
        for v in getattr(self._redacting, "_values", []):
            text = text.replace(v, "[REDACTED]")
        return self._buffer.write(text)

    def flush(self):
        pass


def main():
    answers = os.fdopen(3, "w", buffering=1)
    spec = json.loads(sys.stdin.readline())
    g = install(spec)
    answers.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        answers.write(json.dumps(execute(request["code"], g)) + "\n")


if __name__ == "__main__":
    main()
