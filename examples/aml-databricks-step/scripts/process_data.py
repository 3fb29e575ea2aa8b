"""The seed's process_data.py: what the step's cluster gives it, as one JSON line."""
import argparse
import json
import os

import six  # a PyPI library of the step
from pyspark.sql import SparkSession

parser = argparse.ArgumentParser()
parser.add_argument("--dataset_name", required=True)
args = parser.parse_args()

spark = SparkSession.builder.getOrCreate()
rows = spark.createDataFrame([(args.dataset_name, i) for i in range(3)], ["dataset", "i"]).count()
print(json.dumps({
    "dataset": args.dataset_name,
    "rows": rows,
    "delta_preview": spark.conf.get("spark.databricks.delta.preview.enabled", "unset"),
    "stage": os.environ.get("PIPELINE_STAGE", "unset"),
    "six": six.__version__,
}))
