/** The one HTTP stack of this package's service clients. */
export * from "../abortableSleep";
export * from "./authPolicy";
export * from "./axiosTransport";
export * from "./errorMappingPolicy";
export * from "./failure";
export * from "./jsonClient";
export * from "./logPolicy";
export * from "./pipeline";
export * from "./retryPolicy";
export * from "./retryStrategy";
export * from "./tokenSource";
export * from "./userAgentPolicy";
export * from "./errorBody";
