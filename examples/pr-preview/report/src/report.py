"""The downstream step: reads rows.json from the notebook's output folder, writes report.json."""
import argparse
import json
import os

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--result", required=True)
args = parser.parse_args()

with open(os.path.join(args.data, "rows.json")) as f:
    rows = json.load(f)
report = {"rows": len(rows), "sum_of_squares": sum(r["square"] for r in rows)}
print("read", report["rows"], "rows from", args.data)
os.makedirs(args.result, exist_ok=True)
with open(os.path.join(args.result, "report.json"), "w") as f:
    json.dump(report, f)
