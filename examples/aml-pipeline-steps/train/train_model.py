"""Step 'train model' (PythonScriptStep train_model.py): reads the Databricks step's parquet and the prepared settings."""
import argparse
import json
import os

import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--prepared", required=True)
parser.add_argument("--model", required=True)
args = parser.parse_args()

with open(os.path.join(args.prepared, "prep.json")) as f:
    prep = json.load(f)
df = pd.read_parquet(args.data).sort_values("id")
model = {"rows": int(len(df)), "weight": int(df["square"].sum()) * prep["scale"], "expected_rows": prep["rows"]}
os.makedirs(args.model, exist_ok=True)
with open(os.path.join(args.model, "model.json"), "w") as f:
    json.dump(model, f)
print("trained on", model["rows"], "rows")
