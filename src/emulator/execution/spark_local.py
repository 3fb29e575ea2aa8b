"""Spark for notebooks, Python files and command contexts of the Databricks emulator: pyspark in
local mode, one JVM per Python process, started on first use.

* ``spark`` and ``sc`` are lazy stand-ins (:class:`LazySpark`): the first attribute used starts
  the session (``SparkSession.builder.getOrCreate()``), so code that never touches Spark pays
  nothing. Code that builds its own session (``SparkSession.builder.getOrCreate()`` in a Python
  file) gets the same configuration, as it comes from ``spark-defaults.conf`` in a configuration
  folder of this process (``SPARK_CONF_DIR``).
* Tables (``saveAsTable``, ``spark.read.table``, ``spark.sql``) live in a warehouse under the
  emulator's data folder (``<sparkDir>/warehouse``), with a Derby metastore beside it
  (``<sparkDir>/metastore_db``), so a table written by one run is read by the next.
* Paths given to Spark's readers and writers mean what they mean on Databricks: ``dbfs:/x`` and a
  path with no scheme (``/x``, ``/mnt/<mount>/x``) are DBFS, mounts included; ``/dbfs/x`` is
  accepted as DBFS too; ``wasbs://`` and ``abfss://`` are the local folder of that container. They
  become local files (see :func:`resolve_path`) in ``DataFrameReader``/``DataFrameWriter`` (and
  their ``path`` option), the streaming reader and writer, ``Catalog.createTable``,
  ``SparkContext.textFile``/``wholeTextFiles``/``binaryFiles`` and ``RDD.saveAsTextFile``.
  ``file:`` paths stay local. Paths inside SQL text are not rewritten. Hadoop's ``.crc`` files are
  removed from what these writers wrote (DBFS has none).
* The Derby metastore serves one JVM at a time: a process starting Spark while another process of
  the emulator has it running waits (saying so) until that one ends (:func:`take_metastore`).
* What the JVM prints (Spark's own log) goes to a driver log file, as on a cluster, not into the
  notebook's output; when the JVM fails to start, the end of that log is printed.
* Without pyspark or without Java 17+, the first use of ``spark`` raises
  :class:`SparkUnavailableError` saying what to install.
"""
import fcntl
import importlib.abc
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

#: What the emulator's base environment installs (pythonEnvs.ts passes it on).
BASE_PACKAGES = os.environ.get("AMLDB_SPARK_PACKAGES", "pyspark")
MIN_JAVA = 17

_state = {"dbfs": None, "session": None, "conf_dir": None, "driver_log": None, "spark_dir": None, "lock": None}
#: Lines of the driver log shown when the JVM does not start.
DRIVER_LOG_TAIL_LINES = 30


class SparkUnavailableError(RuntimeError):
    """Spark cannot start here: pyspark or Java is missing."""


# --------------------------------------------------------------------------------------------
# Configuration of every session this process starts.
# --------------------------------------------------------------------------------------------


def configure(dbfs, spark_dir, work_dir=None):
    """Writes the Spark configuration of this process and hooks path mapping into pyspark's
    readers and writers when they are imported. Starts nothing."""
    _state["dbfs"] = dbfs
    spark_dir = os.path.abspath(spark_dir)
    work_dir = work_dir or os.environ.get("AMLDB_EXECUTION_DIR") or tempfile.mkdtemp(prefix="amldb-spark-")
    conf_dir = os.path.join(work_dir, "spark-conf")
    os.makedirs(conf_dir, exist_ok=True)
    os.makedirs(os.path.join(spark_dir, "warehouse"), exist_ok=True)
    # The JVM's temporary files (Spark's spark-*/artifacts-* folders, the native lz4 and snappy
    # libraries it unpacks) go in the work folder, which is removed with the process, rather than
    # in the system's, where a JVM killed before its shutdown hooks ran leaves them.
    jvm_tmp = os.path.join(work_dir, "jvm-tmp")
    os.makedirs(jvm_tmp, exist_ok=True)
    settings = {
        "spark.master": "local[*]",
        "spark.app.name": "Databricks Shell",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.warehouse.dir": os.path.join(spark_dir, "warehouse"),
        "spark.sql.catalogImplementation": "hive",
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={os.path.join(spark_dir, 'metastore_db')};create=true",
        # C1 only and the serial collector: the JVM starts in about half the time on a small machine,
        # which is what a notebook of the emulator spends most in; long computations run slower.
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_dir} -Dderby.stream.error.file={os.path.join(spark_dir, 'derby.log')} "
        f"-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.io.tmpdir={jvm_tmp}",
        "spark.local.dir": os.path.join(work_dir, "spark-local"),
    }
    with open(os.path.join(conf_dir, "spark-defaults.conf"), "w", encoding="utf-8") as f:
        f.write("".join(f"{k} {v}\n" for k, v in settings.items()))
    with open(os.path.join(conf_dir, "log4j2.properties"), "w", encoding="utf-8") as f:
        f.write(
            "rootLogger.level = warn\nrootLogger.appenderRef.stderr.ref = console\n"
            "appender.console.type = Console\nappender.console.name = console\nappender.console.target = SYSTEM_ERR\n"
            "appender.console.layout.type = PatternLayout\nappender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex\n"
        )
    os.environ["SPARK_CONF_DIR"] = conf_dir
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    _state["conf_dir"] = conf_dir
    _state["driver_log"] = os.path.join(work_dir, "spark-driver.log")
    _state["spark_dir"] = spark_dir
    if not any(isinstance(f, _PatchOnImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _PatchOnImport())
    for name in list(_PATCHES):
        if name in sys.modules:
            _PATCHES[name](sys.modules[name])


# --------------------------------------------------------------------------------------------
# The session, on first use.
# --------------------------------------------------------------------------------------------


def _java():
    """``(path, major version)`` of the Java Spark would start, or raises SparkUnavailableError."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = os.path.join(home, "bin", "java")
        if not os.access(java, os.X_OK):
            raise SparkUnavailableError(_missing_java(f"JAVA_HOME is {home}, which has no bin/java"))
    else:
        java = shutil.which("java")
        if not java:
            raise SparkUnavailableError(_missing_java("no `java` on PATH and JAVA_HOME is not set"))
    try:
        out = subprocess.run([java, "-version"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60).stdout
    except (OSError, subprocess.SubprocessError) as err:
        raise SparkUnavailableError(_missing_java(f"{java} did not run ({err})")) from None
    m = re.search(rb'version "(\d+)(?:\.(\d+))?', out)
    if not m:
        raise SparkUnavailableError(_missing_java(f"{java} -version did not tell its version"))
    major = int(m.group(1)) if m.group(1) != b"1" else int(m.group(2) or 0)
    if major < MIN_JAVA:
        raise SparkUnavailableError(_missing_java(f"{java} is Java {major}"))
    return java, major


def _missing_java(why):
    return (
        f"Spark needs Java {MIN_JAVA} or later, and {why}. Install a Java runtime "
        f"(e.g. `apt-get install openjdk-17-jre-headless`) or set JAVA_HOME to one."
    )


def check_requirements():
    """Raises SparkUnavailableError, saying what to install, when pyspark or Java is missing."""
    if importlib.util.find_spec("pyspark") is None:
        raise SparkUnavailableError(
            f"Spark needs the Python package pyspark, which the Python running this code ({sys.executable}) "
            f"does not have. Build the emulator's Spark environment (in the project: `npm test` or `npm start`, "
            f"which run scripts/pythonEnv.ts), or install it into this Python: "
            f"`{sys.executable} -m pip install {BASE_PACKAGES}`. Spark also needs Java {MIN_JAVA} or later."
        )
    _java()


def get_session():
    """The process's SparkSession, started on the first call."""
    if _state["session"] is None:
        if _state["conf_dir"] is None:
            raise SparkUnavailableError("Spark is not configured in this process.")
        check_requirements()
        from pyspark.sql import SparkSession

        _state["session"] = SparkSession.builder.getOrCreate()
    return _state["session"]


class LazySpark:
    """``spark`` (or, with ``attribute``, ``sc``) until first used: then the real object."""

    def __init__(self, attribute=None):
        object.__setattr__(self, "_attribute", attribute)

    def _target(self):
        session = get_session()
        return getattr(session, self._attribute) if self._attribute else session

    def __getattr__(self, name):
        return getattr(self._target(), name)

    def __setattr__(self, name, value):
        setattr(self._target(), name, value)

    def __dir__(self):
        return dir(self._target())

    def __repr__(self):
        if _state["session"] is None:
            return f"<{'SparkContext' if self._attribute else 'SparkSession'} (local emulator, not started yet)>"
        return repr(self._target())


# --------------------------------------------------------------------------------------------
# Paths.
# --------------------------------------------------------------------------------------------

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
PATH_OPTIONS = ("path", "checkpointlocation")


def resolve_path(path):
    """The local path Spark should use for a Databricks path; anything else unchanged."""
    dbfs = _state["dbfs"]
    if dbfs is None or not isinstance(path, str):
        return path
    text = path.strip()
    m = _SCHEME.match(text)
    if m:
        scheme = m.group(1).lower()
        if scheme == "dbfs" or scheme in ("wasbs", "wasb", "abfss", "abfs"):
            return dbfs.local(text)
        return path
    if not text.startswith("/"):
        return path
    if text == "/dbfs" or text.startswith("/dbfs/"):
        return dbfs.local_for_slash_dbfs(text)
    return dbfs.local("dbfs:" + text)


def _resolve_any(value):
    if isinstance(value, str):
        return resolve_path(value)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return type(value)(resolve_path(v) for v in value)
    return value


def drop_checksums(path):
    """Removes the ``.<file>.crc`` files Hadoop's local file system writes beside each file: DBFS
    has none, so a folder Spark wrote holds what it holds on Databricks."""
    if not isinstance(path, str) or not os.path.isdir(path):
        return
    for folder, _, names in os.walk(path):
        for name in names:
            if name.startswith(".") and name.endswith(".crc"):
                try:
                    os.remove(os.path.join(folder, name))
                except OSError:
                    pass


def _wrap(cls, name, positions=(0,), keywords=("path", "paths"), every_positional=False, writes=False):
    fn = cls.__dict__.get(name)
    if fn is None or getattr(fn, "_amldb_paths", False):
        return

    def wrapper(self, *args, **kwargs):
        args = tuple(_resolve_any(a) if every_positional or i in positions else a for i, a in enumerate(args))
        for k in keywords:
            if k in kwargs:
                kwargs[k] = _resolve_any(kwargs[k])
        result = fn(self, *args, **kwargs)
        if writes:
            drop_checksums(args[0] if args and 0 in positions else kwargs.get("path"))
        return result

    wrapper.__name__, wrapper.__qualname__, wrapper.__doc__, wrapper.__wrapped__ = fn.__name__, fn.__qualname__, fn.__doc__, fn
    wrapper._amldb_paths = True
    setattr(cls, name, wrapper)


def _wrap_options(cls):
    """``.option("path", p)`` and ``.options(path=p, checkpointLocation=c)``."""
    option, options = cls.__dict__.get("option"), cls.__dict__.get("options")
    if option is not None and not getattr(option, "_amldb_paths", False):

        def option_wrapper(self, key, value):
            return option(self, key, _resolve_any(value) if str(key).lower() in PATH_OPTIONS else value)

        option_wrapper.__doc__, option_wrapper._amldb_paths = option.__doc__, True
        cls.option = option_wrapper
    if options is not None and not getattr(options, "_amldb_paths", False):

        def options_wrapper(self, **kwargs):
            return options(self, **{k: (_resolve_any(v) if k.lower() in PATH_OPTIONS else v) for k, v in kwargs.items()})

        options_wrapper.__doc__, options_wrapper._amldb_paths = options.__doc__, True
        cls.options = options_wrapper


def _patch_readwriter(module):
    reader, writer = module.DataFrameReader, module.DataFrameWriter
    for name in ("load", "json", "csv", "xml", "orc", "text"):
        _wrap(reader, name)
    _wrap(reader, "parquet", every_positional=True)
    for name in ("save", "json", "parquet", "csv", "xml", "orc", "text"):
        _wrap(writer, name, writes=True)
    _wrap(writer, "saveAsTable", positions=(), keywords=("path",))
    _wrap_options(reader)
    _wrap_options(writer)


def _patch_streaming(module):
    reader, writer = module.DataStreamReader, module.DataStreamWriter
    for name in ("load", "json", "csv", "xml", "orc", "text", "parquet"):
        _wrap(reader, name)
    _wrap(writer, "start", keywords=("path", "checkpointLocation"))
    _wrap(writer, "toTable", positions=(), keywords=("checkpointLocation",))
    _wrap_options(reader)
    _wrap_options(writer)


def _patch_catalog(module):
    for name in ("createTable", "createExternalTable"):
        _wrap(module.Catalog, name, positions=(1,), keywords=("path",))


def _patch_context(module):
    for name in ("textFile", "wholeTextFiles", "binaryFiles"):
        _wrap(module.SparkContext, name, keywords=("name", "path"))


def _patch_rdd(module):
    _wrap(module.RDD, "saveAsTextFile", keywords=("path",), writes=True)


def _patch_gateway(module):
    """The JVM's output goes to the driver log; if it does not start, the log's end is shown."""
    launch = module.launch_gateway
    if getattr(launch, "_amldb_paths", False):
        return

    def launch_gateway(conf=None, popen_kwargs=None):
        take_metastore()
        if popen_kwargs is None and _state["driver_log"]:
            log = open(_state["driver_log"], "ab")
            popen_kwargs = {"stdout": log, "stderr": subprocess.STDOUT}
        try:
            return launch(conf, popen_kwargs)
        except Exception:
            tail = _driver_log_tail()
            if tail:
                sys.stderr.write(f"The Spark driver (JVM) did not start. The end of its log:\n{tail}\n")
            raise

    launch_gateway.__doc__, launch_gateway._amldb_paths = launch.__doc__, True
    module.launch_gateway = launch_gateway


def take_metastore():
    """Holds the emulator's Spark lock for the rest of this process (a Derby metastore in embedded
    mode is opened by one JVM at a time), waiting while another process holds it."""
    if _state["lock"] is not None or not _state["spark_dir"]:
        return
    fd = os.open(os.path.join(_state["spark_dir"], ".spark-session.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(
            "Waiting for another Spark session of the local emulator to end: its Derby metastore serves one Spark process at a time.",
            file=sys.stderr,
            flush=True,
        )
        fcntl.flock(fd, fcntl.LOCK_EX)
    _state["lock"] = fd


def _driver_log_tail():
    try:
        with open(_state["driver_log"], "r", encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-DRIVER_LOG_TAIL_LINES:]).rstrip("\n")
    except (OSError, TypeError):
        return ""


_PATCHES = {
    "pyspark.java_gateway": _patch_gateway,
    "pyspark.sql.readwriter": _patch_readwriter,
    "pyspark.sql.streaming.readwriter": _patch_streaming,
    "pyspark.sql.catalog": _patch_catalog,
    "pyspark.core.context": _patch_context,
    "pyspark.context": _patch_context,
    "pyspark.core.rdd": _patch_rdd,
    "pyspark.rdd": _patch_rdd,
}


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Applies the path mapping to a pyspark module right after it is imported."""

    def find_spec(self, name, path=None, target=None):
        if name not in _PATCHES:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader = _PatchingLoader(spec.loader, _PATCHES[name])
                return spec
            if spec is not None:
                return spec
        return None


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        module.__loader__ = self._loader
        self._patch(module)


# --------------------------------------------------------------------------------------------
# display() of DataFrames.
# --------------------------------------------------------------------------------------------

#: Rows ``display`` shows, as Databricks shows the first 1,000 rows of a result.
DISPLAY_ROWS = 1000


def is_spark_dataframe(obj):
    module = type(obj).__module__ or ""
    return module.startswith("pyspark.sql") and hasattr(obj, "columns") and hasattr(obj, "take")


def table_text(columns, rows):
    """A plain text table: a header, a rule, then one line per row."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values):
        return " | ".join(v.ljust(widths[i]) for i, v in enumerate(values)).rstrip()

    return "\n".join([line(columns), "-+-".join("-" * w for w in widths)] + [line(r) for r in cells])


def _cell(value):
    if value is None:
        return "null"
    return str(value).replace("\n", "\\n")


def render_dataframe(df):
    """The first rows of a Spark DataFrame as a table, with a note when there are more."""
    rows = df.take(DISPLAY_ROWS + 1)
    text = table_text(list(df.columns), [tuple(r) for r in rows[:DISPLAY_ROWS]])
    if len(rows) > DISPLAY_ROWS:
        text += f"\nTruncated results, showing first {DISPLAY_ROWS:,} rows."
    return text
