"""Step 'prepare data' (PythonScriptStep data_prep.py): the rows the Databricks step makes, and a scale."""
import argparse
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, required=True)
parser.add_argument("--prepared", required=True)
args = parser.parse_args()

os.makedirs(args.prepared, exist_ok=True)
with open(os.path.join(args.prepared, "prep.json"), "w") as f:
    json.dump({"rows": args.rows, "scale": 10}, f)
print("prepared", args.rows, "rows")
