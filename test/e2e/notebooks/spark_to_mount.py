# Databricks notebook source
# The seed's pattern: read a table, write parquet into the mounted Azure ML blob store under the
# folder the caller names; with a library from PyPI and a secret from a Key Vault-backed scope.
import json
from tabulate import tabulate

dbutils.widgets.text("output_folder", "")
output_folder = dbutils.widgets.getArgument("output_folder")
api_token = dbutils.secrets.get(scope="vault", key="api-token")

# COMMAND ----------
spark.createDataFrame([(i, i * i) for i in range(5)], ["id", "square"]).write.mode("overwrite").saveAsTable("squares")
df = spark.read.table("squares")
df.write.mode("overwrite").parquet("/mnt/aml-data/" + output_folder)

# COMMAND ----------
back = spark.read.parquet("/mnt/aml-data/" + output_folder).orderBy("id").collect()
table = tabulate([[r.id, r.square] for r in back], headers=["id", "square"], tablefmt="plain")
dbutils.notebook.exit(json.dumps({"rows": len(back), "tokenLength": len(api_token), "table": table}))
