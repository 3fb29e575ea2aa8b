# Databricks notebook source
# MAGIC %md
# MAGIC # Prepare data
# MAGIC Reads its parameters from widgets and an API token from a secret scope, writes its result
# MAGIC through the blob mount of the Azure ML datastore, and returns a summary to the caller.

# COMMAND ----------

dbutils.widgets.text("rows", "10")
dbutils.widgets.text("mount_point", "/mnt/aml-data")
dbutils.widgets.text("token_scope", "pipeline")
dbutils.widgets.text("token_key", "api-token")
rows = int(dbutils.widgets.get("rows"))
mount_point = dbutils.widgets.get("mount_point")
token = dbutils.secrets.get(scope=dbutils.widgets.get("token_scope"), key=dbutils.widgets.get("token_key"))
print(f"preparing {rows} rows; token is {token}")  # Databricks prints [REDACTED] for secrets

# COMMAND ----------

import json

data = [{"id": i, "square": i * i} for i in range(rows)]
output_path = f"{mount_point}/prepared/rows.json"
dbutils.fs.put(output_path, json.dumps(data), overwrite=True)

# COMMAND ----------

dbutils.notebook.exit(json.dumps({"rows": rows, "output": output_path, "tokenLength": len(token)}))
