/**
 * An Azure ML workspace as Resource Manager names it, the paths below it, and the calls every
 * workspace collection shares (get, put with its long-running operation, delete, list).
 */
import { JsonHttpClient, QueryParams } from "../../core/http";
import { ArmError } from "./errors";
import { completeOperation, LroOptions } from "./lro";
import type { ArmList, ArmResource, Workspace } from "./types";

/** The api-version of every call: the latest stable Microsoft.MachineLearningServices version. */
export const AZUREML_API_VERSION = "2025-12-01";

/** Which workspace. */
export interface WorkspaceRef {
  subscriptionId: string;
  resourceGroupName: string;
  workspaceName: string;
}

/** `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{ws}`. */
export function workspacePath(ws: WorkspaceRef): string {
  return `/subscriptions/${enc(ws.subscriptionId)}/resourceGroups/${enc(ws.resourceGroupName)}/providers/Microsoft.MachineLearningServices/workspaces/${enc(ws.workspaceName)}`;
}

/** One path segment, URL-encoded. */
export function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** Options every call accepts. */
export interface CallOptions {
  /** Aborts the call and any wait. */
  signal?: AbortSignal;
}

/** Options of calls that wait for a long-running operation. */
export type LroCallOptions = CallOptions & Partial<Pick<LroOptions, "timeoutMs" | "log" | "sleep">>;

/** The calls of one workspace; each API group adds its paths. */
export class WorkspaceCalls {
  /** The workspace's path, without a trailing slash. */
  readonly base: string;

  constructor(
    readonly client: JsonHttpClient<ArmError>,
    readonly workspace: WorkspaceRef,
    /** Defaults of every long-running wait (the local target polls sooner). */
    private readonly lroDefaults: Partial<Pick<LroOptions, "sleep" | "timeoutMs">> = {},
  ) {
    this.base = workspacePath(workspace);
  }

  /** Where the workspace is, for messages: `workspace "ws" (resource group "rg")`. */
  get where(): string {
    return `Azure ML workspace "${this.workspace.workspaceName}" (resource group "${this.workspace.resourceGroupName}")`;
  }

  /** GET below the workspace. */
  get<T>(path: string, operation: string, opts: CallOptions = {}, query: QueryParams = {}): Promise<T> {
    return this.client.request<T>({ method: "GET", path: this.base + path, query: { "api-version": AZUREML_API_VERSION, ...query }, operation: `${operation} in ${this.where}`, signal: opts.signal });
  }

  /**
   * POST below the workspace. Retried like an idempotent call: the POSTs this client sends read
   * (`listKeys`, `listSecrets`) or ask for a fresh upload location (`startPendingUpload`), which a
   * repeat asks for again, harmlessly.
   */
  post<T>(path: string, operation: string, body: unknown, opts: CallOptions = {}): Promise<T> {
    return this.client.request<T>({ method: "POST", path: this.base + path, query: { "api-version": AZUREML_API_VERSION }, body, operation: `${operation} in ${this.where}`, idempotent: true, signal: opts.signal });
  }

  /** Every page of a list below the workspace (`nextLink` followed on the same origin). */
  async list<T>(path: string, operation: string, query: QueryParams = {}, opts: CallOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let page = await this.get<ArmList<T>>(path, operation, opts, query);
    for (;;) {
      items.push(...(page.value ?? []));
      if (!page.nextLink) return items;
      const next = new URL(page.nextLink, this.client.baseUrl);
      if (next.origin !== new URL(this.client.baseUrl).origin) throw new ArmError({ operation, status: 0, code: "UNTRUSTED_HOST", message: `the next page is on ${next.origin}; refusing to send the token there` });
      page = await this.client.request<ArmList<T>>({ method: "GET", path: next.pathname + next.search, operation: `${operation} in ${this.where}`, signal: opts.signal });
    }
  }

  /** PUT below the workspace, then the long-running operation it starts (if any), then GET. */
  async put<T extends ArmResource<unknown>>(path: string, operation: string, body: unknown, label: string, opts: LroCallOptions = {}): Promise<T> {
    const op = `${operation} in ${this.where}`;
    const first = await this.client.exchange<T>({ method: "PUT", path: this.base + path, query: { "api-version": AZUREML_API_VERSION }, body, operation: op, signal: opts.signal });
    if (!first.headers["azure-asyncoperation"] && !(first.status === 202 && first.headers["location"]) && succeeded(first.body)) return first.body;
    await completeOperation(this.client, first, { ...this.lroDefaults, ...opts, label, operation: op, resourcePath: `${this.base}${path}?api-version=${AZUREML_API_VERSION}` });
    return this.get<T>(path, `read ${operation.replace(/^\w+ /, "")}`, opts);
  }

  /**
   * POST of an action below the workspace (no body) and the long-running operation it starts (a
   * 202), if any. `ifApplied` tells, after a reset connection or a 5xx, whether the action was
   * applied (the JSON client's `ifApplied`); without it such failures are not retried.
   */
  async action(path: string, operation: string, label: string, opts: LroCallOptions = {}, ifApplied?: () => Promise<unknown>): Promise<void> {
    const op = `${operation} in ${this.where}`;
    const first = await this.client.exchange<unknown>({ method: "POST", path: this.base + path, query: { "api-version": AZUREML_API_VERSION }, operation: op, ...(ifApplied && { ifApplied }), signal: opts.signal });
    if (first.status !== 202) return;
    await completeOperation(this.client, first, { ...this.lroDefaults, ...opts, label, operation: op, resourcePath: `${this.base}${path}?api-version=${AZUREML_API_VERSION}` });
  }

  /** DELETE below the workspace and its long-running operation; true when it was there. */
  async delete(path: string, operation: string, label: string, opts: LroCallOptions = {}, query: QueryParams = {}): Promise<boolean> {
    const op = `${operation} in ${this.where}`;
    const first = await this.client.exchange<unknown>({ method: "DELETE", path: this.base + path, query: { "api-version": AZUREML_API_VERSION, ...query }, operation: op, signal: opts.signal });
    if (first.status === 204) return false;
    await completeOperation(this.client, first, { ...this.lroDefaults, ...opts, label, operation: op, resourcePath: `${this.base}${path}?api-version=${AZUREML_API_VERSION}` });
    return true;
  }
}

/** True when the body shows no provisioning state, or `Succeeded`. */
function succeeded(body: unknown): boolean {
  const state = (body as { properties?: { provisioningState?: unknown } } | undefined)?.properties?.provisioningState;
  return typeof state !== "string" || state.toLowerCase() === "succeeded";
}

/** The workspace itself. */
export class WorkspacesApi {
  constructor(private readonly calls: WorkspaceCalls) {}

  /** Gets the workspace (`GET {WS}`). */
  get(opts: CallOptions = {}): Promise<Workspace> {
    return this.calls.get<Workspace>("", "get the workspace", opts);
  }
}
