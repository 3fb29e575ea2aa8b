"""SparkPi in Python: pi as the integral of 4/(1+x^2) over [0, 1], over slices x 100000 points."""
import sys

from pyspark.sql import SparkSession

slices = int(sys.argv[1]) if len(sys.argv) > 1 else 2
n = 100000 * slices
spark = SparkSession.builder.getOrCreate()
total = spark.range(n).selectExpr(f"4.0 / (1.0 + pow((id + 0.5) / {n}, 2)) AS v").groupBy().sum("v").collect()[0][0]
print(f"Pi is roughly {total / n:.6f}")
