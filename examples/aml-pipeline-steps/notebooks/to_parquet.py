# Databricks notebook source
# The seed's notebook: a Spark table written as parquet into the Azure ML blob store, mounted at
# /mnt/azuremlblobstore, under the folder the Azure ML step names (azureml/<run id>/output_path).
dbutils.widgets.text("output_folder", "")
dbutils.widgets.text("rows", "5")
output_folder = dbutils.widgets.getArgument("output_folder")
rows = int(dbutils.widgets.getArgument("rows"))

# COMMAND ----------
if rows < 1:
    raise ValueError(f"rows must be >= 1, not {rows}")
df = spark.createDataFrame([(i, i * i) for i in range(rows)], ["id", "square"])

# COMMAND ----------
output_location = "/mnt/azuremlblobstore/" + output_folder
print(output_location)
df.write.mode("overwrite").parquet(output_location)
