/** Databricks REST client: configuration, authentication, HTTP pipeline, errors and typed APIs. */
export * from "./api";
export * from "./auth";
export * from "./config";
export * from "./errors";
export * from "./httpClient";
export * from "../../core/http/retryPolicy";
export * from "./types";
