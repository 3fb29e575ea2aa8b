/**
 * The pages behind the links the emulator's API returns: the landing page at `/` (where a run's
 * `run_page_url` leads), the run page at `/jobs/<job>/runs/<run>`, a job's runs at `/jobs/<job>`
 * and a notebook at `/editor/notebooks/<id>`, server-rendered HTML from the workspace's state; and
 * an Azure ML job's page at `/runs/<job>` (where its Studio link leads) with the step graph of a
 * pipeline; the data page at `/data?uri=<datastore URI>` (where a job's outputs link); and the
 * index of everything the emulator holds at `/index`, linked from every page's header.
 *
 * No page shows the value of a secret: secret scopes show their key names only, and the values of
 * the emulator's secrets (scopes, Key Vault, a Databricks compute's access token) are taken out of
 * every log, output and error shown.
 *
 * Who may see them: a program with the emulator's bearer token, or a person who signed in with that
 * token at `/login.html` (a session cookie; see `./sessions`). The landing page and the sign-in page
 * show nothing of the workspace and are open; every other page sends a visitor who has not signed in
 * to the sign-in page and back. The server's browser guard still applies first (only `localhost` or
 * an IP as `Host`, no cross-site request), and pages take no injected faults.
 */
import type { EmulatorRequest, EmulatorResponse, EmulatorService, Route } from "../core/service";
import { secretValues as scopeSecretValues } from "../databricks/secrets/values";
import type { ScopeVault } from "../databricks/secrets/vault";
import type { DatabricksStore } from "../databricks/store";
import { findAttempt } from "../databricks/runs/records";
import type { StoredRun } from "../databricks/runs/models";
import { normalizeWorkspacePath } from "../databricks/paths";
import type { WorkspaceTree } from "../databricks/workspace/tree";
import { amlJobPage } from "./amlJobPage";
import { amlJobView, type AmlJobSources } from "./amlJobView";
import { dataPage } from "./dataPage";
import { DataRefused, dataView } from "./dataView";
import { indexPage } from "./indexPage";
import { indexView } from "./indexView";
import { errorPage, pageErrors } from "./errors";
import { redirect } from "./html";
import { INDEX_PATH, notebookPath, runPath } from "./links";
import { jobPage, landingPage } from "./listPages";
import { loginPage } from "./loginPage";
import { notebookPage } from "./notebookPage";
import { runPage } from "./runPage";
import { runView } from "./runView";
import { localPath, PageSessions, readForm } from "./sessions";

/** What the pages read. */
export interface PagesServiceOptions {
  /** The emulator's token: bearer for programs, the sign-in secret for people. */
  readonly token: string;
  /** The Databricks workspace's state (read only). */
  readonly store: DatabricksStore;
  /** The workspace's notebooks. */
  readonly tree: WorkspaceTree;
  /** The vault behind Key Vault-backed scopes, whose values are masked too. */
  readonly vault?: ScopeVault;
  /** The Azure ML workspace's jobs and the storage of their logs. */
  readonly azureml?: AmlJobSources;
  /** The DBFS mount table (mount point to source), listed on the index. Default: no mounts. */
  readonly mounts?: () => Record<string, string>;
}

/** Paths open to anyone the browser guard lets through. */
const OPEN_PATHS = ["/", "/login.html"];
/** Paths of pages that are not below a folder of their own. */
const OWN_PATHS = [...OPEN_PATHS, "/jobs", INDEX_PATH, "/data"];

/** Creates the pages service. */
export function createPagesService(options: PagesServiceOptions): EmulatorService {
  const sessions = new PageSessions(options.token);
  const { store, tree } = options;

  const liveRuns = (filter: (r: StoredRun) => boolean = () => true): StoredRun[] =>
    store.read((s) => Object.values(s.runs).filter((r) => !r.deleted && filter(r))).sort((a, b) => b.run_id - a.run_id);
  /** Every secret value the emulator holds: its scopes', its Key Vault's, and the Azure ML workspace's (a Databricks compute's token). */
  const secretValues = (): string[] => [
    ...Object.values(scopeSecretValues(store, options.vault)).flatMap((scope) => Object.values(scope)),
    ...(options.vault?.secrets() ?? []).map((v) => v.value),
    ...(options.azureml?.resources.all(/./).flatMap((r) => Object.values(r.secrets ?? {})) ?? []),
  ];
  const databricksRunPage = (jobId: number, runId: number): string | undefined => {
    const run = store.read((s) => s.runs[String(runId)]);
    return run && !run.deleted && run.job_id === jobId ? runPath(jobId, runId) : undefined;
  };
  const azureml: AmlJobSources | undefined = options.azureml && { ...options.azureml, secretValues, databricksRunPage };
  const notebookLink = (workspacePath: string): string | undefined => {
    let object;
    try {
      object = tree.find(normalizeWorkspacePath(workspacePath));
    } catch {
      return undefined;
    }
    return object?.object_type === "NOTEBOOK" ? notebookPath(object.object_id) : undefined;
  };
  const id = (text: string | undefined): number | undefined => (text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined);
  const runMissing = (runId: string) => errorPage(404, "Run not found", `Run ${runId} does not exist in this workspace.`);

  const routes: Route[] = [
    { method: "GET", path: "/", operation: "landing page", handle: (req) => landingPage(sessions.admits(req) ? liveRuns() : undefined) },
    { method: "GET", path: "/login.html", operation: "sign-in page", handle: (req) => loginPage(localPath(req.query.get("next"))) },
    {
      method: "POST",
      path: "/login.html",
      operation: "sign in",
      async handle(req): Promise<EmulatorResponse> {
        const form = await readForm(req);
        if (!form) return errorPage(400, "Bad request", "The sign-in form was not sent as a form.");
        const next = localPath(form.next);
        const cookie = sessions.signIn(form.token ?? "", req.baseUrl.startsWith("https:"));
        return cookie ? redirect(next, { "Set-Cookie": cookie }) : loginPage(next, true);
      },
    },
    {
      method: "GET",
      path: "/jobs/{jobId}",
      operation: "job page",
      handle(req) {
        const jobId = id(req.params.jobId);
        const runs = jobId === undefined ? [] : liveRuns((r) => r.job_id === jobId);
        const job = jobId === undefined ? undefined : store.read((s) => s.jobs[String(jobId)]);
        if (jobId === undefined || (!job && runs.length === 0)) return errorPage(404, "Job not found", `Job ${req.params.jobId} does not exist in this workspace.`);
        return jobPage(jobId, typeof job?.settings.name === "string" ? job.settings.name : undefined, runs);
      },
    },
    {
      method: "GET",
      path: "/jobs/{jobId}/runs/{runId}",
      operation: "run page",
      handle(req) {
        const [jobId, runId] = [id(req.params.jobId), id(req.params.runId)];
        if (jobId === undefined || runId === undefined) return runMissing(req.params.runId);
        const found = store.read((s) => {
          const run = s.runs[String(runId)];
          if (run) return { run, highlight: undefined };
          const attempt = findAttempt(s, runId);
          return attempt && { run: attempt.run, highlight: runId };
        });
        if (!found || found.run.deleted || found.run.job_id !== jobId) return runMissing(req.params.runId);
        return runPage(runView(found.run, secretValues()), notebookLink, found.highlight);
      },
    },
    {
      method: "GET",
      path: "/runs/{name}",
      operation: "Azure ML job page",
      async handle(req) {
        const view = azureml && (await amlJobView(azureml, req.params.name));
        return view ? amlJobPage(view) : errorPage(404, "Job not found", `Azure ML job ${req.params.name} does not exist in this workspace.`);
      },
    },
    {
      method: "GET",
      path: INDEX_PATH,
      operation: "index page",
      handle: () => indexPage(indexView({ store, vault: options.vault, mounts: options.mounts, resources: options.azureml?.resources })),
    },
    {
      method: "GET",
      path: "/data",
      operation: "data page",
      async handle(req) {
        const uri = req.query.get("uri");
        const storage = options.azureml?.storage;
        if (!uri) return errorPage(400, "Bad request", "Name the data with ?uri=azureml://datastores/<datastore>/paths/<path>.");
        if (!options.azureml || !storage) return errorPage(404, "Not found", "This emulator serves no Azure ML datastores.");
        try {
          return dataPage(await dataView(options.azureml.resources, storage, uri, secretValues()));
        } catch (err) {
          if (err instanceof DataRefused) return errorPage(404, "Not found", err.message);
          throw err;
        }
      },
    },
    {
      method: "GET",
      path: "/editor/notebooks/{objectId}",
      operation: "notebook page",
      handle(req) {
        const objectId = id(req.params.objectId);
        const object = store.read((s) => Object.values(s.workspace).find((o) => o.object_id === objectId && o.object_type === "NOTEBOOK"));
        if (!object) return errorPage(404, "Notebook not found", `Notebook ${req.params.objectId} does not exist in this workspace.`);
        return notebookPage(object, tree.read(object.path));
      },
    },
  ];

  return {
    name: "pages",
    routes,
    errors: pageErrors,
    takesFaults: false,
    owns: (pathname) => OWN_PATHS.includes(pathname) || pathname.startsWith("/jobs/") || pathname.startsWith("/editor/notebooks/") || pathname.startsWith("/runs/"),
    authenticate(req: EmulatorRequest): EmulatorResponse | undefined {
      if (OPEN_PATHS.includes(req.pathname) || sessions.admits(req)) return undefined;
      if (req.headers.authorization !== undefined) return errorPage(401, "Not signed in", "The bearer token is not the emulator's.");
      if (req.method !== "GET") return errorPage(401, "Not signed in", "Sign in first.");
      const query = req.query.toString();
      return redirect(`/login.html?next=${encodeURIComponent(req.pathname + (query ? `?${query}` : ""))}`);
    },
    validate: () => undefined,
    responseHeaders: () => ({}),
    reset: () => undefined,
  };
}

