# Databricks notebook source
# The pipeline's Databricks step: writes rows.json into the Azure ML workspace blob store, mounted
# at /mnt/azuremlblobstore, in the folder the Azure ML step names (output_folder).
import json

dbutils.widgets.text("output_folder", "")
dbutils.widgets.text("rows", "5")
output_folder = dbutils.widgets.getArgument("output_folder")
rows = int(dbutils.widgets.getArgument("rows"))

# COMMAND ----------
data = [{"id": i, "square": i * i} for i in range(rows)]
dbutils.fs.put(f"/mnt/azuremlblobstore/{output_folder}/rows.json", json.dumps(data), overwrite=True)
dbutils.notebook.exit(json.dumps({"rows": rows}))
