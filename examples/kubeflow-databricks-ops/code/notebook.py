# Databricks notebook source
# Imported by ImportWorkspaceItemOp's counterpart (named parameters form).
dbutils.notebook.exit("hello from the workspace")
