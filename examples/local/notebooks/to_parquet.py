# Databricks notebook source
# The Databricks step of the root program: a Spark table written as parquet into the Azure ML
# workspace blob store, mounted at /mnt/azuremlblobstore, in the folder the Azure ML step names
# (output_folder, azureml/<step run id>/output_path). The notebook's exit value says which Spark ran it.
import json

dbutils.widgets.text("output_folder", "")
dbutils.widgets.text("rows", "10")
output_folder = dbutils.widgets.getArgument("output_folder")
rows = int(dbutils.widgets.getArgument("rows"))

# COMMAND ----------
if rows < 1:
    raise ValueError(f"rows must be >= 1, not {rows}")
df = spark.createDataFrame([(i, i * i) for i in range(rows)], ["id", "square"])

# COMMAND ----------
output_location = "/mnt/azuremlblobstore/" + output_folder
df.write.mode("overwrite").parquet(output_location)
dbutils.notebook.exit(json.dumps({"spark": spark.version, "rows": df.count(), "written": output_location}))
