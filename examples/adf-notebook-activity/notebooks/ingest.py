# Databricks notebook source
# The Notebook activity's notebook: base parameters arrive as widgets, the secure input too; the
# exit value is the activity's output (runOutput).
import json

import six  # an appended library: not on the cluster by default

dbutils.widgets.text("table", "")
dbutils.widgets.text("rows", "3")
dbutils.widgets.text("api_key", "")
dbutils.widgets.text("marker", "")
table = dbutils.widgets.get("table")
rows = int(dbutils.widgets.get("rows"))
api_key = dbutils.widgets.get("api_key")
marker = dbutils.widgets.get("marker")

# COMMAND ----------
# A transient failure on the first attempt of each run (a marker in DBFS says it happened): the
# activity's retries run the notebook again after the retry interval, and the second attempt passes.
try:
    dbutils.fs.head(marker)
    dbutils.fs.rm(marker)
except Exception:
    dbutils.fs.put(marker, "first attempt failed", True)
    raise RuntimeError("transient failure on the first attempt")

# COMMAND ----------
total = spark.range(rows).groupBy().sum("id").collect()[0][0]
dbutils.notebook.exit(json.dumps({"table": table, "rows": rows, "sum": total, "apiKeyLength": len(api_key), "six": six.__version__}))
