"""A local dbutils for the Databricks emulator, shared by runner.py (tasks) and context_runner.py
(Command Execution contexts). Standard library only.

What it offers, and how it maps to local disk:

* DBFS is a local folder (``dbfsRoot``). ``dbfs:/x`` and ``/x`` in ``dbutils.fs`` are
  ``<dbfsRoot>/x``; ``file:/x`` is the local file ``/x``; ``wasbs://`` and ``abfss://`` paths are
  the local folder of that container (see :func:`blob_local_dir`).
* Mounts (``/mnt/<name>``) are recorded in a JSON mount table (``mountsFile``) shared by every
  run and context of the emulator: ``{"/mnt/x": {"mountPoint", "source", "encryptionType",
  "extraConfigKeys"}}``. Only the *names* of ``extra_configs`` are kept, never their values.
  Paths under a mount point resolve into the local folder of its source: the working copy of the
  container in the emulator's blob storage (Azurite). With the emulator's mount agent in the spec
  (``storage``), ``mount`` has the storage check the account key and fetches the container,
  ``unmount`` first writes the working copy back and ``refreshMounts`` fetches every mount; the
  emulator itself syncs the working copies before and after each task and command. Without it,
  a mount is a local folder only.
* Local file APIs see DBFS under ``/dbfs`` as on a cluster: ``open("/dbfs/x")`` (and ``io.open``,
  ``pathlib``, the common ``os`` / ``os.path`` calls) are redirected to ``<dbfsRoot>/x``. Only paths
  that start with ``/dbfs/`` are touched. Programs run by ``%sh`` or ``subprocess`` do not see this
  redirection: they get the environment variable ``AMLDB_DBFS_ROOT`` (the local DBFS root) instead.
* Secrets come from the task spec (never from disk); any secret value written to the output is
  replaced by ``[REDACTED]``, as Databricks does (see redaction.py, short values included).
* Errors mirror the real messages (``Directory already mounted: /mnt/x``, ``No input widget named
  x is defined``, ``Secret does not exist with scope: s and key: k``, ...).
"""
import builtins
import collections
import contextlib
import fcntl
import http.client
import io
import itertools
import json
import os
import posixpath
import re
import shutil
import sys
import traceback
import types

#: Schemes of Azure storage sources that can be mounted (and used directly as paths).
BLOB_SCHEMES = ("wasbs", "wasb", "abfss", "abfs")

#: Mount points every workspace has (they cannot be mounted over or unmounted).
DEFAULT_MOUNTS = (
    ("/databricks-datasets", "databricks-datasets"),
    ("/Volumes", "UnityCatalogVolumes"),
    ("/databricks/mlflow-tracking", "databricks/mlflow-tracking"),
    ("/databricks-results", "databricks-results"),
    ("/databricks/mlflow-registry", "databricks/mlflow-registry"),
    ("/", "DatabricksRoot"),
)

# The local DBFS root of this process, for blob_local_dir(source) without an explicit root.
_configured_root = None


# --------------------------------------------------------------------------------------------
# Errors, shaped like the ones Databricks raises in Python notebooks.
# --------------------------------------------------------------------------------------------


class NotebookExit(BaseException):
    """Raised by ``dbutils.notebook.exit``: stops the notebook; ``value`` is its result.

    A BaseException so that ``except Exception`` in user code does not swallow the exit.
    """

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class Py4JJavaError(Exception):
    """A JVM-side failure of a dbutils call, as py4j reports it."""


Py4JJavaError.__module__ = "py4j.protocol"


class ExecutionError(Exception):
    """A failed ``dbutils.fs`` call, as Databricks Runtime reports it."""


class IllegalArgumentException(Exception):
    """``java.lang.IllegalArgumentException`` surfaced in Python (e.g. a missing secret)."""


_object_ids = itertools.count(301)


def _java_call_error(cls, method, java_message, static=None):
    """An error worded like py4j's: ``An error occurred while calling o123.method.\\n: <java>``."""
    target = f"z:{static}.{method}" if static else f"o{next(_object_ids)}.{method}"
    return cls(f"An error occurred while calling {target}.\n: {java_message}")


def _fs_error(method, java_message):
    return _java_call_error(ExecutionError, method, java_message, static="com.databricks.backend.daemon.dbutils.FSUtils")


# --------------------------------------------------------------------------------------------
# Value types, with the fields of the real ones.
# --------------------------------------------------------------------------------------------


class FileInfo(collections.namedtuple("FileInfo", ["path", "name", "size", "modificationTime"])):
    """An entry of ``dbutils.fs.ls``; directories have a name ending with ``/``."""

    __slots__ = ()

    def isDir(self):
        return self.name.endswith("/")

    def isFile(self):
        return not self.isDir()


class MountInfo(collections.namedtuple("MountInfo", ["mountPoint", "source", "encryptionType"])):
    """An entry of ``dbutils.fs.mounts``."""

    __slots__ = ()


class SecretMetadata(collections.namedtuple("SecretMetadata", ["key"])):
    """An entry of ``dbutils.secrets.list``."""

    __slots__ = ()


class SecretScope(collections.namedtuple("SecretScope", ["name"])):
    """An entry of ``dbutils.secrets.listScopes``."""

    __slots__ = ()

    def getName(self):
        return self.name


# --------------------------------------------------------------------------------------------
# Paths and mounts.
# --------------------------------------------------------------------------------------------


def parse_blob_source(source):
    """``(scheme, account, container, prefix)`` of a wasbs://, wasb://, abfss:// or abfs:// URI."""
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://([^/@]+)@([^/]+)(/.*)?$", source or "")
    if not m or m.group(1).lower() not in BLOB_SCHEMES:
        raise ValueError(
            f"Unsupported mount source {source!r}: the local emulator mounts Azure storage sources "
            "wasbs://<container>@<account>.blob.core.windows.net/<path> and "
            "abfss://<container>@<account>.dfs.core.windows.net/<path>."
        )
    scheme, container, host, rest = m.group(1).lower(), m.group(2), m.group(3), m.group(4) or ""
    parts = [p for p in rest.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValueError(f"Invalid mount source {source!r}: '..' is not allowed in the path.")
    return scheme, host.split(".", 1)[0], container, "/".join(parts)


def blob_local_dir(source, dbfs_root=None):
    """The local folder that stands in for an Azure storage source (a mounted container).

    ``wasbs://<container>@<account>.blob.core.windows.net/<prefix>`` and
    ``abfss://<container>@<account>.dfs.core.windows.net/<prefix>`` (same account and container:
    same data) map to ``<dbfsRoot>/.blob/<account>/<container>/<prefix>``. This is the ONE place
    of that mapping (the emulator's DBFS API, dbfsMounts.ts, mirrors it).
    """
    root = dbfs_root or _configured_root
    if not root:
        raise RuntimeError("blob_local_dir: no DBFS root configured")
    _, account, container, prefix = parse_blob_source(source)
    return os.path.join(root, ".blob", account, container, *[p for p in prefix.split("/") if p])


def _fspath(path):
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        raise TypeError(f"expected a path string, got {type(path).__name__}")
    return path


def split_path(path):
    """Classifies a dbutils path: ``("dbfs", "/a/b")``, ``("file", "/a/b")`` or ``("blob", uri)``."""
    path = _fspath(path).strip()
    lower = path.lower()
    if lower.startswith("file:"):
        rest = path[5:]
        if rest.startswith("//"):
            rest = rest[2:]
        return "file", posixpath.normpath("/" + rest.lstrip("/"))
    if lower.startswith("dbfs:"):
        path = path[5:]
    else:
        m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", path)
        if m:
            if m.group(1).lower() in BLOB_SCHEMES:
                parse_blob_source(path)
                return "blob", path
            raise ValueError(f"Unsupported path {path!r}: the local emulator supports dbfs:/, file:/, wasbs:// and abfss:// paths.")
    return "dbfs", posixpath.normpath("/" + path.lstrip("/"))


class MountAgent:
    """The emulator's mount agent (``storage`` in the spec): a loopback HTTP endpoint, JSON in and out."""

    def __init__(self, link):
        m = re.match(r"^http://127\.0\.0\.1:(\d+)$", str(link.get("url", "")))
        if not m:
            raise ValueError("storage.url must be http://127.0.0.1:<port>")
        self._port = int(m.group(1))
        self._token = str(link.get("token", ""))

    def call(self, method, endpoint, body):
        """POSTs ``body``; raises ``ExecutionError`` worded like the JVM's when the agent refuses."""
        connection = http.client.HTTPConnection("127.0.0.1", self._port)
        try:
            connection.request("POST", endpoint, json.dumps(body), {"Authorization": f"Bearer {self._token}", "Content-Type": "application/json"})
            response = connection.getresponse()
            status, text = response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        if status == 200:
            return
        try:
            message = json.loads(text).get("message") or text
        except ValueError:
            message = text
        java = message if status == 400 else f"java.io.IOException: {message}"
        raise _java_call_error(ExecutionError, method, java)


class LocalDbfs:
    """DBFS on local disk: path mapping and the shared mount table."""

    def __init__(self, dbfs_root, mounts_file, storage=None):
        global _configured_root
        self.root = os.path.abspath(dbfs_root)
        self.mounts_file = os.path.abspath(mounts_file)
        #: The emulator's mount agent, or None (a mount is then a local folder only).
        self.agent = MountAgent(storage) if storage else None
        os.makedirs(self.root, exist_ok=True)
        _configured_root = self.root

    # -- the mount table
    def read_mounts(self):
        try:
            with _real_open(self.mounts_file, "r", encoding="utf-8") as f:
                table = json.load(f)
        except (FileNotFoundError, ValueError):
            return {}
        return {p: m for p, m in table.items() if isinstance(m, dict) and isinstance(m.get("source"), str)}

    def update_mounts(self, change):
        """Applies ``change(table)`` under an exclusive lock (runs and contexts share the file)."""
        os.makedirs(os.path.dirname(self.mounts_file), exist_ok=True)
        with _real_open(self.mounts_file + ".lock", "a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                table = self.read_mounts()
                result = change(table)
                tmp = f"{self.mounts_file}.{os.getpid()}.tmp"
                with _real_open(tmp, "w", encoding="utf-8") as f:
                    json.dump(table, f, indent=2, sort_keys=True)
                os.replace(tmp, self.mounts_file)
                return result
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def mount_of(self, dbfs_path, mounts=None):
        """``(mountPoint, entry)`` of the mount holding a canonical DBFS path, or ``(None, None)``."""
        mounts = self.read_mounts() if mounts is None else mounts
        for point in sorted(mounts, key=len, reverse=True):
            if dbfs_path == point or dbfs_path.startswith(point + "/"):
                return point, mounts[point]
        return None, None

    # -- paths
    def local(self, path):
        """The local file of a dbutils path (``dbfs:/x``, ``/x``, ``file:/x``, ``wasbs://...``)."""
        kind, p = split_path(path)
        if kind == "file":
            return p
        if kind == "blob":
            return blob_local_dir(p, self.root)
        point, entry = self.mount_of(p)
        if point is not None:
            return os.path.join(blob_local_dir(entry["source"], self.root), p[len(point):].lstrip("/"))
        return os.path.join(self.root, p.lstrip("/"))

    def uri(self, path):
        """The form dbutils reports a path in (``dbfs:/x``, ``file:/x``, or the storage URI)."""
        kind, p = split_path(path)
        if kind == "blob":
            return p
        return f"{kind}:{p}"

    def local_for_slash_dbfs(self, path):
        """Maps ``/dbfs/<p>`` (the cluster-local view of DBFS) to its local file."""
        return self.local("dbfs:" + (path[len("/dbfs"):] or "/"))


# --------------------------------------------------------------------------------------------
# dbutils.fs
# --------------------------------------------------------------------------------------------


class _FsUtil:
    """dbutils.fs: files on DBFS (a local folder) and mounts."""

    def __init__(self, dbfs):
        self._dbfs = dbfs

    def help(self, method=None):
        print(
            "dbutils.fs (local emulator): ls(dir), head(file, maxBytes=65536), put(file, contents, overwrite=False), "
            "cp(from_, to, recurse=False), mv(from_, to, recurse=False), rm(dir, recurse=False), mkdirs(dir), "
            "mount(source, mount_point, encryption_type='', owner=None, extra_configs=None), "
            "updateMount(...), unmount(mount_point), mounts(), refreshMounts()"
        )

    # -- files
    def ls(self, dir):
        kind, p = split_path(dir)
        local = self._dbfs.local(dir)
        base = self._dbfs.uri(dir)
        mounts = self._dbfs.read_mounts() if kind == "dbfs" else {}
        prefix = "/" if p == "/" else p + "/"
        mount_children = sorted({prefix + m[len(prefix):].split("/")[0] for m in mounts if kind == "dbfs" and m.startswith(prefix)})
        if not os.path.exists(local) and not mount_children:
            raise _fs_error("ls", f"java.io.FileNotFoundException: File {p} does not exist.")
        if os.path.isfile(local):
            st = os.stat(local)
            return [FileInfo(base, posixpath.basename(p), st.st_size, int(st.st_mtime * 1000))]
        entries = {}
        names = sorted(os.listdir(local)) if os.path.isdir(local) else []
        for name in names:
            if kind == "dbfs" and p == "/" and name == ".blob":
                continue
            full = os.path.join(local, name)
            try:
                st = os.stat(full)
            except OSError:
                continue
            if os.path.isdir(full):
                entries[name + "/"] = FileInfo(f"{base.rstrip('/')}/{name}/", name + "/", 0, 0)
            else:
                entries[name] = FileInfo(f"{base.rstrip('/')}/{name}", name, st.st_size, int(st.st_mtime * 1000))
        for child in mount_children:
            name = child[len(prefix):] + "/"
            entries[name] = FileInfo(f"dbfs:{child}/", name, 0, 0)
        return [entries[k] for k in sorted(entries)]

    def head(self, file, maxBytes=65536):
        local = self._dbfs.local(file)
        if not os.path.isfile(local):
            what = "is a directory" if os.path.isdir(local) else "does not exist"
            raise _fs_error("head", f"java.io.FileNotFoundException: File {split_path(file)[1]} {what}.")
        with _real_open(local, "rb") as f:
            data = f.read(int(maxBytes) + 1)
        if len(data) > int(maxBytes):
            print(f"[Truncated to first {int(maxBytes)} bytes]")
            data = data[: int(maxBytes)]
        return data.decode("utf-8", errors="replace")

    def put(self, file, contents, overwrite=False):
        local = self._dbfs.local(file)
        where = self._dbfs.uri(file)
        if os.path.isdir(local):
            raise _fs_error("put", f"java.io.IOException: {where} is a directory.")
        if os.path.exists(local) and not overwrite:
            raise _fs_error("put", f"org.apache.hadoop.fs.FileAlreadyExistsException: File already exists: {where}")
        data = (contents if isinstance(contents, str) else str(contents)).encode("utf-8")
        os.makedirs(os.path.dirname(local), exist_ok=True)
        with _real_open(local, "wb") as f:
            f.write(data)
        print(f"Wrote {len(data)} bytes.")
        return True

    def mkdirs(self, dir):
        local = self._dbfs.local(dir)
        if os.path.isfile(local):
            raise _fs_error("mkdirs", f"org.apache.hadoop.fs.FileAlreadyExistsException: {self._dbfs.uri(dir)} already exists as a file.")
        os.makedirs(local, exist_ok=True)
        return True

    def _transfer(self, method, from_, to, recurse, move):
        src, dst = self._dbfs.local(from_), self._dbfs.local(to)
        if not os.path.exists(src):
            raise _fs_error(method, f"java.io.FileNotFoundException: File {split_path(from_)[1]} does not exist.")
        if os.path.isdir(src):
            if not recurse:
                raise _fs_error(method, f"java.io.IOException: {self._dbfs.uri(from_)} is a directory; pass recurse=True to {method} a directory.")
            if move:
                if os.path.exists(dst):
                    shutil.copytree(src, dst, dirs_exist_ok=True)
                    shutil.rmtree(src)
                else:
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    shutil.move(src, dst)
            else:
                shutil.copytree(src, dst, dirs_exist_ok=True)
            return True
        if os.path.isdir(dst):
            dst = os.path.join(dst, os.path.basename(src))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if move:
            shutil.move(src, dst)
        else:
            shutil.copyfile(src, dst)
        return True

    def cp(self, from_, to, recurse=False):
        return self._transfer("cp", from_, to, recurse, move=False)

    def mv(self, from_, to, recurse=False):
        return self._transfer("mv", from_, to, recurse, move=True)

    def rm(self, dir, recurse=False):
        local = self._dbfs.local(dir)
        if not os.path.lexists(local):
            return False
        if os.path.isdir(local) and not os.path.islink(local):
            if os.listdir(local) and not recurse:
                raise _fs_error("rm", f"java.io.IOException: Directory {self._dbfs.uri(dir)} is not empty; pass recurse=True to remove it.")
            shutil.rmtree(local)
        else:
            os.remove(local)
        return True

    # -- mounts
    @staticmethod
    def _mount_point(mount_point):
        kind, p = split_path(mount_point)
        if kind != "dbfs" or p == "/":
            raise _java_call_error(ExecutionError, "mount", f"java.lang.IllegalArgumentException: requirement failed: Invalid mount point: {mount_point}")
        return p

    def mount(self, source, mount_point, encryption_type="", owner=None, extra_configs=None):
        point = self._mount_point(mount_point)
        parse_blob_source(source)
        defaults = {p for p, _ in DEFAULT_MOUNTS}

        def add(table):
            if point in table or point in defaults:
                java = f"java.lang.IllegalArgumentException: requirement failed: Directory already mounted: {point}"
                raise _java_call_error(ExecutionError, "mount", f"java.rmi.RemoteException: {java}; nested exception is: \n\t{java}")
            table[point] = _mount_entry(point, source, encryption_type, extra_configs)

        # The mount point is checked first, then the storage (key and container), then recorded.
        add(self._dbfs.read_mounts())
        self._attach("mount", source, extra_configs)
        self._dbfs.update_mounts(add)
        return True

    def updateMount(self, source, mount_point, encryption_type="", owner=None, extra_configs=None):
        point = self._mount_point(mount_point)
        parse_blob_source(source)
        self._attach("updateMount", source, extra_configs)

        def put(table):
            table[point] = _mount_entry(point, source, encryption_type, extra_configs)

        self._dbfs.update_mounts(put)
        return True

    def _attach(self, method, source, extra_configs):
        """Has the storage check the credentials and fetches the source into its local folder."""
        if self._dbfs.agent is not None:
            configs = {str(k): v if isinstance(v, str) else str(v) for k, v in (extra_configs or {}).items()}
            self._dbfs.agent.call(method, "/mount", {"source": source, "configs": configs})
        os.makedirs(blob_local_dir(source, self._dbfs.root), exist_ok=True)

    def unmount(self, mount_point):
        kind, point = split_path(mount_point)
        entry = self._dbfs.read_mounts().get(point) if kind == "dbfs" else None
        if entry is not None and self._dbfs.agent is not None:
            # What was written under the mount reaches the storage before the mount goes.
            self._dbfs.agent.call("unmount", "/push", {"source": entry["source"]})

        def remove(table):
            if kind != "dbfs" or point not in table:
                java = f"java.lang.IllegalArgumentException: Directory not mounted: {point}"
                raise _java_call_error(ExecutionError, "unmount", f"java.rmi.RemoteException: {java}; nested exception is: \n\t{java}")
            del table[point]

        self._dbfs.update_mounts(remove)
        print(f"{point} has been unmounted.")
        return True

    def mounts(self):
        table = self._dbfs.read_mounts()
        mine = [MountInfo(p, m["source"], m.get("encryptionType", "") or "") for p, m in sorted(table.items())]
        return mine + [MountInfo(p, s, "") for p, s in DEFAULT_MOUNTS]

    def refreshMounts(self):
        """Fetches what changed in every mounted container since this task or command began."""
        if self._dbfs.agent is not None:
            self._dbfs.agent.call("refreshMounts", "/pull", {})
        return True


def _mount_entry(point, source, encryption_type, extra_configs):
    return {
        "mountPoint": point,
        "source": source,
        "encryptionType": encryption_type or "",
        # Names only: the values are credentials and never leave the process.
        "extraConfigKeys": sorted(str(k) for k in (extra_configs or {})),
    }


# --------------------------------------------------------------------------------------------
# dbutils.widgets
# --------------------------------------------------------------------------------------------


def _widget_not_defined(name, method):
    return _java_call_error(Py4JJavaError, method, f"com.databricks.dbutils_v1.InputWidgetNotDefined: No input widget named {name} is defined")


class _WidgetsUtil:
    """dbutils.widgets. Parameters given to the run (notebook base parameters) override the
    defaults of widgets defined in the notebook, and can be read even when no widget declares them."""

    def __init__(self, params):
        self._params = {str(k): "" if v is None else str(v) for k, v in (params or {}).items()}
        self._defined = {}

    def help(self, method=None):
        print("dbutils.widgets (local emulator): text, dropdown, combobox, multiselect, get, getArgument, getAll, remove, removeAll")

    def _define(self, name, default, kind, choices=None, label=None):
        name = str(name)
        if name in self._defined:
            return  # as on Databricks, defining an existing widget keeps it
        self._defined[name] = {"default": "" if default is None else str(default), "type": kind, "choices": choices, "label": label}

    def text(self, name, defaultValue="", label=None):
        self._define(name, defaultValue, "text", label=label)

    def dropdown(self, name, defaultValue, choices, label=None):
        choices = [str(c) for c in choices]
        if str(defaultValue) not in choices:
            raise ValueError(f"Default value {defaultValue!r} of dropdown widget {name!r} must be one of its choices {choices}.")
        self._define(name, defaultValue, "dropdown", choices, label)

    def combobox(self, name, defaultValue, choices, label=None):
        self._define(name, defaultValue, "combobox", [str(c) for c in choices], label)

    def multiselect(self, name, defaultValue, choices, label=None):
        choices = [str(c) for c in choices]
        wrong = [v for v in str(defaultValue).split(",") if v and v not in choices]
        if wrong:
            raise ValueError(f"Default value {defaultValue!r} of multiselect widget {name!r} must be among its choices {choices}.")
        self._define(name, defaultValue, "multiselect", choices, label)

    def get(self, name):
        name = str(name)
        if name in self._params:
            return self._params[name]
        if name in self._defined:
            return self._defined[name]["default"]
        raise _widget_not_defined(name, "getArgument")

    def getArgument(self, name, defaultValue=None):
        try:
            return self.get(name)
        except Py4JJavaError:
            return defaultValue

    def getAll(self):
        values = {n: w["default"] for n, w in self._defined.items()}
        values.update(self._params)
        return values

    def remove(self, name):
        name = str(name)
        if name not in self._defined:
            raise _widget_not_defined(name, "remove")
        del self._defined[name]

    def removeAll(self):
        self._defined.clear()

    @contextlib.contextmanager
    def bound(self, values):
        """Temporarily sets parameters (``%run ./child $x="1"``)."""
        saved = dict(self._params)
        self._params.update({str(k): str(v) for k, v in values.items()})
        try:
            yield
        finally:
            self._params = saved


# --------------------------------------------------------------------------------------------
# dbutils.secrets
# --------------------------------------------------------------------------------------------


class _SecretsUtil:
    """dbutils.secrets over the scopes given to the run."""

    def __init__(self, secrets):
        self._secrets = {str(s): {str(k): v for k, v in (keys or {}).items()} for s, keys in (secrets or {}).items()}
        #: Told of every value handed to the code (the redactor withholds output after a short one).
        self.on_read = None

    def help(self, method=None):
        print("dbutils.secrets (local emulator): get(scope, key), getBytes(scope, key), list(scope), listScopes()")

    def get(self, scope, key):
        value = self._secrets.get(str(scope), {}).get(str(key))
        if value is None:
            raise IllegalArgumentException(f"Secret does not exist with scope: {scope} and key: {key}")
        value = value if isinstance(value, str) else str(value)
        if self.on_read is not None:
            self.on_read(value)
        return value

    def getBytes(self, scope, key):
        return self.get(scope, key).encode("utf-8")

    def list(self, scope):
        if str(scope) not in self._secrets:
            raise _java_call_error(
                Py4JJavaError, "list", f"com.databricks.common.client.DatabricksServiceHttpClientException: RESOURCE_DOES_NOT_EXIST: Scope {scope} does not exist!"
            )
        return [SecretMetadata(k) for k in sorted(self._secrets[str(scope)])]

    def listScopes(self):
        return [SecretScope(s) for s in sorted(self._secrets)]


# --------------------------------------------------------------------------------------------
# dbutils.notebook, dbutils.jobs
# --------------------------------------------------------------------------------------------


class _NotebookUtil:
    def help(self, method=None):
        print("dbutils.notebook (local emulator): exit(value); run(...) is not available")

    def exit(self, value):
        raise NotebookExit(value if isinstance(value, str) else str(value))

    def run(self, path, timeout_seconds=0, arguments=None, *args, **kwargs):
        raise NotImplementedError(
            "dbutils.notebook.run is not supported by the local emulator: run the child notebook as its own task "
            "(a multi-task job with depends_on) or include it with %run."
        )


class _TaskValuesUtil:
    """dbutils.jobs.taskValues: values set by upstream tasks of the run come in the spec."""

    def __init__(self, upstream):
        self._upstream = upstream or {}
        self.values = {}

    def set(self, key, value):
        try:
            json.dumps(value)
        except (TypeError, ValueError) as err:
            raise TypeError(f"Task value {key!r} must be JSON serializable: {err}") from None
        self.values[str(key)] = value

    def get(self, taskKey, key, default=None, debugValue=None):
        values = self._upstream.get(str(taskKey), {})
        if str(key) in values:
            return values[str(key)]
        if default is not None:
            return default
        if debugValue is not None:
            return debugValue
        raise ValueError(f"No task value with key {key!r} was set by task {taskKey!r}, and no default was given.")


class _JobsUtil:
    def __init__(self, upstream):
        self.taskValues = _TaskValuesUtil(upstream)

    def help(self, method=None):
        print("dbutils.jobs (local emulator): taskValues.set(key, value), taskValues.get(taskKey, key, default=None, debugValue=None)")


class DBUtils:
    """The local dbutils: fs, widgets, secrets, notebook, jobs."""

    def __init__(self, dbfs, secrets=None, widgets=None, task_values=None):
        self.fs = _FsUtil(dbfs)
        self.widgets = _WidgetsUtil(widgets)
        self.secrets = _SecretsUtil(secrets)
        self.notebook = _NotebookUtil()
        self.jobs = _JobsUtil(task_values)

    def help(self, method=None):
        print("dbutils (local emulator of Databricks): fs, widgets, secrets, notebook, jobs. Use dbutils.<util>.help().")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotImplementedError(f"dbutils.{name} is not available in the local emulator (it offers fs, widgets, secrets, notebook and jobs).")

    def __repr__(self):
        return "<dbutils (local emulator)>"


# --------------------------------------------------------------------------------------------
# /dbfs/ for local file APIs.
# --------------------------------------------------------------------------------------------

_real_open = builtins.open
_hooks_dbfs = None


def _is_slash_dbfs(p):
    return p == "/dbfs" or p.startswith("/dbfs/")


def _map_path(path):
    """The local path for ``/dbfs/...`` (str, bytes or PathLike); anything else unchanged."""
    if _hooks_dbfs is None or isinstance(path, int):
        return path
    try:
        raw = os.fspath(path)
    except TypeError:
        return path
    text = os.fsdecode(raw) if isinstance(raw, bytes) else raw
    if not isinstance(text, str) or not _is_slash_dbfs(text):
        return path
    root = _hooks_dbfs.root
    if text == root or text.startswith(root + "/"):
        return path  # already local (a DBFS root that itself lives under /dbfs)
    local = _hooks_dbfs.local_for_slash_dbfs(text)
    return os.fsencode(local) if isinstance(raw, bytes) else local


def _wrap(fn, positions, keywords):
    """``fn`` with ``/dbfs/`` mapped in the given positional arguments and keyword arguments."""

    def wrapper(*args, **kwargs):
        if positions:
            args = tuple(_map_path(a) if i in positions else a for i, a in enumerate(args))
        for k in keywords:
            if k in kwargs:
                kwargs[k] = _map_path(kwargs[k])
        return fn(*args, **kwargs)

    wrapper.__name__ = getattr(fn, "__name__", "wrapper")
    wrapper.__qualname__ = wrapper.__name__
    wrapper.__doc__ = getattr(fn, "__doc__", None)
    wrapper.__wrapped__ = fn
    return wrapper


def install_dbfs_file_hooks(dbfs):
    """Makes ``/dbfs/...`` paths work with ``open`` and the common ``os`` calls (once per process)."""
    global _hooks_dbfs
    first = _hooks_dbfs is None
    _hooks_dbfs = dbfs
    os.environ["AMLDB_DBFS_ROOT"] = dbfs.root
    if not first:
        return

    def dbfs_open(file, mode="r", *args, **kwargs):
        mapped = _map_path(file)
        if mapped is not file and any(c in mode for c in "wax"):
            parent = os.path.dirname(os.fsdecode(mapped))
            if parent:
                os.makedirs(parent, exist_ok=True)
        return _real_open(mapped, mode, *args, **kwargs)

    dbfs_open.__doc__ = _real_open.__doc__
    builtins.open = dbfs_open
    io.open = dbfs_open
    for name in ("stat", "lstat", "listdir", "scandir", "mkdir", "rmdir", "remove", "unlink", "open", "access", "chmod", "utime", "truncate"):
        if hasattr(os, name):
            setattr(os, name, _wrap(getattr(os, name), (0,), ("path",)))
    for name in ("rename", "replace", "link", "symlink"):
        if hasattr(os, name):
            setattr(os, name, _wrap(getattr(os, name), (0, 1), ("src", "dst")))


# --------------------------------------------------------------------------------------------
# Globals of notebooks and commands.
# --------------------------------------------------------------------------------------------


def _render(obj):
    if hasattr(obj, "toPandas") and hasattr(obj, "limit"):
        try:
            obj = obj.limit(1000).toPandas()
        except Exception:  # noqa: BLE001 - fall back to str()
            return str(obj)
    if hasattr(obj, "to_string") and callable(obj.to_string):
        try:
            return obj.to_string()
        except Exception:  # noqa: BLE001
            return str(obj)
    if isinstance(obj, (list, tuple)) and obj and all(hasattr(o, "_fields") for o in obj):
        fields = list(obj[0]._fields)
        rows = [[str(getattr(o, f, "")) for f in fields] for o in obj]
        widths = [max(len(f), *(len(r[i]) for r in rows)) for i, f in enumerate(fields)]
        line = lambda cells: " | ".join(c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()  # noqa: E731
        return "\n".join([line(fields), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows])
    return str(obj)


def display(*objs, **kwargs):
    """Prints a text rendering (tables for DataFrames and lists of records)."""
    for obj in objs:
        print(_render(obj))


def displayHTML(html):
    """Prints the HTML."""
    print(html)


class Session:
    """What one task or context needs: DBFS, dbutils, the process's redactor, and a fresh ``__main__``."""

    def __init__(self, spec, redactor):
        self.spec = spec
        self.dbfs = LocalDbfs(spec["dbfsRoot"], spec["mountsFile"], spec.get("storage"))
        self.workspace_root = os.path.abspath(spec["workspaceRoot"]) if spec.get("workspaceRoot") else None
        self.dbutils = DBUtils(self.dbfs, spec.get("secrets"), spec.get("widgets"), spec.get("taskValues"))
        self.redactor = redactor
        self.dbutils.secrets.on_read = redactor.note_read
        install_dbfs_file_hooks(self.dbfs)
        self.module = types.ModuleType("__main__")
        self.globals = self.module.__dict__
        self.globals.update(
            {
                "__builtins__": builtins,
                "dbutils": self.dbutils,
                "display": display,
                "displayHTML": displayHTML,
                "getArgument": self.dbutils.widgets.getArgument,
            }
        )
        self._spark()
        self._runtime_module()

    def _spark(self):
        """``spark`` and ``sc`` only when pyspark is installed (otherwise using them is a NameError)."""
        try:
            import pyspark  # noqa: F401
        except Exception:  # noqa: BLE001
            return
        try:
            from pyspark.sql import SparkSession

            spark = SparkSession.builder.getOrCreate()
            self.globals["spark"] = spark
            self.globals["sc"] = spark.sparkContext
        except Exception as err:  # noqa: BLE001
            print(f"(local emulator) pyspark is installed but no Spark session could start: {err}", file=sys.stderr)

    def _runtime_module(self):
        """``from databricks.sdk.runtime import dbutils`` (the way Python files get dbutils) works too."""
        runtime = types.ModuleType("databricks.sdk.runtime")
        for name in ("dbutils", "display", "displayHTML", "getArgument", "spark", "sc"):
            if name in self.globals:
                setattr(runtime, name, self.globals[name])
        sys.modules["databricks.sdk.runtime"] = runtime

    def become_main(self):
        """Makes the notebook's globals the ``__main__`` module (pickling classes defined in cells works)."""
        sys.modules["__main__"] = self.module


# --------------------------------------------------------------------------------------------
# Tracebacks without the emulator's own frames.
# --------------------------------------------------------------------------------------------

_HERE = os.path.dirname(os.path.abspath(__file__)).replace("\\", "/")


def _is_internal(frame):
    name = (frame.filename or "").replace("\\", "/")
    return name.startswith(_HERE + "/") or name.endswith(("/runpy.py", "<frozen runpy>"))


def describe_error(err):
    """``"<ExceptionType>: <message>"`` (the run's ``error``)."""
    text = str(err)
    name = type(err).__name__
    return f"{name}: {text}" if text else name


def clean_traceback(err):
    """The traceback text of ``err`` without the emulator's frames (chained exceptions kept)."""
    te = traceback.TracebackException(type(err), err, err.__traceback__)
    seen = set()
    stack = [te]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        t.stack = traceback.StackSummary.from_list([f for f in t.stack if not _is_internal(f)])
        for nxt in (t.__cause__, t.__context__):
            if nxt is not None:
                stack.append(nxt)
    return "".join(te.format())
