"""A local dbutils: the parts of Databricks' dbutils that notebooks use, backed by local folders.

DBFS lives in a local directory (dbfs_root); mounts are recorded in a JSON file shared by every
run and command context of the emulator; secrets come from the runner's spec (never from disk).
"""
import builtins
import json
import os
import shutil
import sys
import time


class NotebookExit(BaseException):
    """Raised by dbutils.notebook.exit to stop the notebook with a value."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


class FileInfo:
    def __init__(self, path, name, size, modificationTime):
        self.path, self.name, self.size, self.modificationTime = path, name, size, modificationTime

    def isDir(self):
        return self.name.endswith("/")

    def isFile(self):
        return not self.isDir()

    def __repr__(self):
        return f"FileInfo(path='{self.path}', name='{self.name}', size={self.size}, modificationTime={self.modificationTime})"


class MountInfo:
    def __init__(self, mountPoint, source, encryptionType=""):
        self.mountPoint, self.source, self.encryptionType = mountPoint, source, encryptionType

    def __repr__(self):
        return f"MountInfo(mountPoint='{self.mountPoint}', source='{self.source}', encryptionType='{self.encryptionType}')"


class SecretMetadata:
    def __init__(self, key):
        self.key = key

    def __repr__(self):
        return f"SecretMetadata(key='{self.key}')"


class SecretScope:
    def __init__(self, name):
        self.name = name

    def getName(self):
        return self.name

    def __repr__(self):
        return f"SecretScope(name='{self.name}')"


def blob_local_dir(dbfs_root, source):
    """The local folder standing in for a wasbs:// or abfss:// source."""
    rest = source.split("://", 1)[1]
    container_at_account, _, prefix = rest.partition("/")
    container, _, host = container_at_account.partition("@")
    account = host.split(".", 1)[0]
    return os.path.join(dbfs_root, ".blob", account, container, prefix)


class _Fs:
    def __init__(self, dbfs_root, mounts_file):
        self._root = dbfs_root
        self._mounts_file = mounts_file

    # -- paths
    def _mounts(self):
        try:
            with builtins.open(self._mounts_file) as f:
                return json.load(f)
        except FileNotFoundError:
            return {}

    def _save_mounts(self, mounts):
        tmp = self._mounts_file + ".tmp"
        with builtins.open(tmp, "w") as f:
            json.dump(mounts, f)
        os.replace(tmp, self._mounts_file)

    def local(self, path):
        """Local file for a DBFS path (dbfs:/x, /x, /dbfs/x) or a local one (file:/x)."""
        if path.startswith("file:"):
            return path[len("file:"):]
        if path.startswith("dbfs:"):
            path = path[len("dbfs:"):]
        elif path.startswith("/dbfs/"):
            path = path[len("/dbfs"):]
        if not path.startswith("/"):
            path = "/" + path
        for point, mount in sorted(self._mounts().items(), key=lambda kv: -len(kv[0])):
            if path == point or path.startswith(point + "/"):
                return os.path.join(blob_local_dir(self._root, mount["source"]), path[len(point):].lstrip("/"))
        return os.path.join(self._root, path.lstrip("/"))

    @staticmethod
    def _dbfs_uri(path):
        if path.startswith("dbfs:"):
            return path
        return "dbfs:" + (path if path.startswith("/") else "/" + path)

    # -- files
    def ls(self, path):
        local = self.local(path)
        if not os.path.exists(local):
            raise FileNotFoundError(f"java.io.FileNotFoundException: File {path} does not exist.")
        if os.path.isfile(local):
            st = os.stat(local)
            return [FileInfo(self._dbfs_uri(path), os.path.basename(local), st.st_size, int(st.st_mtime * 1000))]
        out = []
        for name in sorted(os.listdir(local)):
            if name.startswith("."):
                continue
            full = os.path.join(local, name)
            st = os.stat(full)
            is_dir = os.path.isdir(full)
            uri = self._dbfs_uri(path.rstrip("/") + "/" + name) + ("/" if is_dir else "")
            out.append(FileInfo(uri, name + ("/" if is_dir else ""), 0 if is_dir else st.st_size, int(st.st_mtime * 1000)))
        return out

    def put(self, file, contents, overwrite=False):
        local = self.local(file)
        if os.path.exists(local) and not overwrite:
            raise FileExistsError(f"java.lang.IllegalArgumentException: File {file} already exists; use overwrite=True.")
        os.makedirs(os.path.dirname(local), exist_ok=True)
        data = contents.encode("utf-8")
        with builtins.open(local, "wb") as f:
            f.write(data)
        print(f"Wrote {len(data)} bytes.")
        return True

    def head(self, file, maxBytes=65536):
        with builtins.open(self.local(file), "rb") as f:
            return f.read(maxBytes).decode("utf-8", errors="replace")

    def mkdirs(self, dir):
        os.makedirs(self.local(dir), exist_ok=True)
        return True

    def cp(self, from_, to, recurse=False):
        src, dst = self.local(from_), self.local(to)
        if os.path.isdir(src):
            if not recurse:
                raise IsADirectoryError(f"java.io.IOException: {from_} is a directory; use recurse=True.")
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
        return True

    def mv(self, from_, to, recurse=False):
        src, dst = self.local(from_), self.local(to)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.move(src, dst)
        return True

    def rm(self, dir, recurse=False):
        local = self.local(dir)
        if not os.path.exists(local):
            return False
        if os.path.isdir(local):
            if not recurse and os.listdir(local):
                raise OSError(f"java.io.IOException: {dir} is a non-empty directory; use recurse=True.")
            shutil.rmtree(local)
        else:
            os.remove(local)
        return True

    # -- mounts
    def mount(self, source, mount_point, encryption_type="", owner=None, extra_configs=None):
        if not (source.startswith("wasbs://") or source.startswith("abfss://") or source.startswith("wasb://")):
            raise ValueError(f"Unsupported mount source {source}: the local emulator mounts wasbs:// and abfss:// sources.")
        point = "/" + mount_point.strip("/")
        mounts = self._mounts()
        if point in mounts:
            raise RuntimeError(f"java.rmi.RemoteException: java.lang.IllegalArgumentException: requirement failed: Directory already mounted: {point}")
        os.makedirs(blob_local_dir(self._root, source), exist_ok=True)
        mounts[point] = {"source": source, "extraConfigKeys": sorted((extra_configs or {}).keys())}
        self._save_mounts(mounts)
        return True

    def unmount(self, mount_point):
        point = "/" + mount_point.strip("/")
        mounts = self._mounts()
        if point not in mounts:
            raise RuntimeError(f"java.rmi.RemoteException: java.lang.IllegalArgumentException: Directory not mounted: {point}")
        del mounts[point]
        self._save_mounts(mounts)
        print(f"{point} has been unmounted.")
        return True

    def mounts(self):
        base = [MountInfo("/databricks-datasets", "databricks-datasets"), MountInfo("/", "DatabricksRoot")]
        return [MountInfo(p, m["source"]) for p, m in sorted(self._mounts().items())] + base

    def refreshMounts(self):
        return True


class _Widgets:
    def __init__(self, params):
        self._params = dict(params or {})
        self._defined = {}

    def _define(self, name, defaultValue):
        self._defined[name] = defaultValue

    def text(self, name, defaultValue="", label=None):
        self._define(name, defaultValue)

    def dropdown(self, name, defaultValue, choices, label=None):
        self._define(name, defaultValue)

    def combobox(self, name, defaultValue, choices, label=None):
        self._define(name, defaultValue)

    def multiselect(self, name, defaultValue, choices, label=None):
        self._define(name, defaultValue)

    def get(self, name):
        if name in self._params:
            return self._params[name]
        if name in self._defined:
            return self._defined[name]
        raise Exception(f"com.databricks.dbutils_v1.InputWidgetNotDefined: No input widget named {name} is defined")

    def getArgument(self, name, defaultValue=None):
        try:
            return self.get(name)
        except Exception:
            return defaultValue

    def remove(self, name):
        self._defined.pop(name, None)

    def removeAll(self):
        self._defined.clear()


class _Secrets:
    def __init__(self, secrets):
        self._secrets = secrets or {}

    def get(self, scope, key):
        try:
            return self._secrets[scope][key]
        except KeyError:
            raise Exception(f"com.databricks.common.client.DatabricksServiceHttpClientException: INVALID_PARAMETER_VALUE: Secret does not exist with scope: {scope} and key: {key}") from None

    def getBytes(self, scope, key):
        return self.get(scope, key).encode("utf-8")

    def list(self, scope):
        if scope not in self._secrets:
            raise Exception(f"com.databricks.common.client.DatabricksServiceHttpClientException: RESOURCE_DOES_NOT_EXIST: Scope {scope} does not exist!")
        return [SecretMetadata(k) for k in sorted(self._secrets[scope])]

    def listScopes(self):
        return [SecretScope(s) for s in sorted(self._secrets)]


class _Notebook:
    def exit(self, value):
        raise NotebookExit(str(value))

    def run(self, path, timeout_seconds, arguments=None):
        raise NotImplementedError("dbutils.notebook.run is not available in the local emulator; submit the notebook as its own task instead.")


class DBUtils:
    def __init__(self, dbfs_root, mounts_file, secrets, widgets=None):
        self.fs = _Fs(dbfs_root, mounts_file)
        self.widgets = _Widgets(widgets)
        self.secrets = _Secrets(secrets)
        self.notebook = _Notebook()


class _Redacting:
    """Replaces secret values by [REDACTED] in what is printed, as Databricks does."""

    def __init__(self, stream, values):
        self._stream = stream
        self._values = sorted({v for v in values if v}, key=len, reverse=True)

    def write(self, text):
        for v in self._values:
            text = text.replace(v, "[REDACTED]")
        return self._stream.write(text)

    def flush(self):
        self._stream.flush()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def install(spec):
    """Builds dbutils for a spec, redirects /dbfs paths of open() and redacts secrets; returns globals."""
    dbutils = DBUtils(spec["dbfsRoot"], spec["mountsFile"], spec.get("secrets"), spec.get("widgets"))
    real_open = builtins.open

    def dbfs_open(file, *args, **kwargs):
        if isinstance(file, str) and file.startswith("/dbfs/"):
            file = dbutils.fs.local(file)
            if any(m in (args[0] if args else kwargs.get("mode", "r")) for m in "wax"):
                os.makedirs(os.path.dirname(file), exist_ok=True)
        return real_open(file, *args, **kwargs)

    builtins.open = dbfs_open
    values = [v for scope in (spec.get("secrets") or {}).values() for v in scope.values()]
    sys.stdout = _Redacting(sys.stdout, values)
    sys.stderr = _Redacting(sys.stderr, values)
    g = {"__name__": "__main__", "dbutils": dbutils, "display": lambda x: print(x), "displayHTML": lambda h: print(h)}
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession

        g["spark"] = SparkSession.builder.getOrCreate()
        g["sc"] = g["spark"].sparkContext
    except Exception:
        pass
    return g
