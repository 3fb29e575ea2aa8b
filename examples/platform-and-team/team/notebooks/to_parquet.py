# Databricks notebook source
# The team's notebook: a Spark table written as parquet into the folder the Azure ML step names,
# output_path, which is under the platform's mount of the workspace blob store. The exit value
# says where it wrote and how many rows.
import json

dbutils.widgets.text("output_path", "")
dbutils.widgets.text("rows", "5")
output_path = dbutils.widgets.getArgument("output_path")
rows = int(dbutils.widgets.getArgument("rows"))

# COMMAND ----------
if rows < 1:
    raise ValueError(f"rows must be >= 1, not {rows}")
df = spark.createDataFrame([(i, i * i) for i in range(rows)], ["id", "square"])

# COMMAND ----------
df.write.mode("overwrite").parquet(output_path)
dbutils.notebook.exit(json.dumps({"rows": df.count(), "written": output_path}))
