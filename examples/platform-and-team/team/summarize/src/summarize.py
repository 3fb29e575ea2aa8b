"""The team's downstream step: reads the parquet folder the Databricks notebook wrote, writes summary.json."""
import argparse
import json
import os

import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--result", required=True)
args = parser.parse_args()

df = pd.read_parquet(args.data).sort_values("id")
summary = {"rows": int(len(df)), "sum_of_squares": int(df["square"].sum()), "ids": [int(i) for i in df["id"]]}
print("read", summary["rows"], "rows from", args.data)
os.makedirs(args.result, exist_ok=True)
with open(os.path.join(args.result, "summary.json"), "w") as f:
    json.dump(summary, f)
