"""Builds ONE cached Python virtual environment, once, whoever asks (pythonEnvs.ts).

Usage: ``python3 env_builder.py`` with one line of JSON on stdin::

    {"dir": "<venv folder>", "layers": ["<site-packages of another venv>", ...],
     "installs": [{"label": "<what the step installs>", "args": ["<pip install argument>", ...]}]}

Run with the interpreter the environment is made from (``python3 -m venv``). Several processes may
ask for the same folder at once (parallel tasks, two emulators, two test runs): an exclusive lock on
``<dir>.lock`` lets one build it while the others wait, then find it ready. A folder is ready once
its marker file exists (written last); a folder without the marker (a build that was killed) is
removed and built again. A failed build is removed too, so that the next run tries again.

``layers`` are the site-packages folders of environments this one builds on (the base Spark
environment): a ``.pth`` file puts them on ``sys.path`` after this environment's own, so pip sees
what they hold as installed and never installs it again, and a library installed here wins.

Prints one line of JSON on stdout: ``{"status": "ready", "built": bool, "seconds": float}`` or
``{"status": "failed", "step": <index>, "command": [...], "exitCode": n, "output": "<pip's output>"}``.
Exits 0 either way (1 only for a broken request).
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time

MARKER = ".amldb-ready.json"
PTH_NAME = "amldb-layers.pth"


def site_packages(venv):
    """The site-packages folder of a venv made by this interpreter."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    return os.path.join(venv, "lib", version, "site-packages")


def build(request):
    target = request["dir"]
    started = time.monotonic()
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", target], check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    layers = [os.path.abspath(p) for p in request.get("layers") or []]
    if layers:
        with open(os.path.join(site_packages(target), PTH_NAME), "w", encoding="utf-8") as f:
            f.write("".join(p + "\n" for p in layers))
    python = os.path.join(target, "bin", "python")
    for index, step in enumerate(request.get("installs") or []):
        command = [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", *step["args"]]
        proc = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        if proc.returncode != 0:
            shutil.rmtree(target, ignore_errors=True)
            output = proc.stdout.decode("utf-8", errors="replace")
            return {"status": "failed", "step": index, "command": command, "exitCode": proc.returncode, "output": output}
    seconds = round(time.monotonic() - started, 1)
    manifest = {"installs": request.get("installs") or [], "layers": layers, "python": sys.version.split()[0], "seconds": seconds}
    tmp = os.path.join(target, MARKER + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
    os.replace(tmp, os.path.join(target, MARKER))
    return {"status": "ready", "built": True, "seconds": seconds}


def main():
    try:
        request = json.loads(sys.stdin.readline())
        target = os.path.abspath(request["dir"])
        request["dir"] = target
    except (ValueError, KeyError, TypeError) as err:
        print(json.dumps({"status": "failed", "step": -1, "command": [], "exitCode": -1, "output": f"bad request: {err}"}))
        sys.exit(1)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target + ".lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        if os.path.isfile(os.path.join(target, MARKER)):
            result = {"status": "ready", "built": False, "seconds": 0}
        else:
            result = build(request)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
