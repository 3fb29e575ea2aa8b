"""Runs a Databricks notebook as one Azure ML pipeline step, with the Python standard library only.

Reads the Databricks token from Key Vault with the step's managed identity (or takes
DATABRICKS_TOKEN, or an Azure AD token of the managed identity for Azure Databricks), submits a
one-time run on a new cluster with an idempotency token derived from AZUREML_RUN_ID (a retried
step adopts the run its first attempt submitted), passes the step's output folder to the notebook
as the `output_path` parameter (the path under the blob store's DBFS mount) and `output_folder`
(the path inside the datastore, as the seed's notebooks read it), prints each state change of the
run, and exits non-zero unless the run ends SUCCESS, with the task's error and the run page last in
the log. On SIGTERM (the step is cancelled) it cancels the Databricks run. Tokens are never printed.
"""
import argparse
import email.utils
import hashlib
import http.client
import json
import os
import re
import signal
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# Key Vault's resource in Azure's public cloud; a vault of another cloud (`<name>.vault.azure.cn`, ...) names its own.
KEY_VAULT_RESOURCE = "https://vault.azure.net"
KEY_VAULT_HOST = re.compile(r"^[^.]+\.(vault\.[a-z0-9.-]+)$")
KEY_VAULT_API_VERSION = "7.4"
# The application id of Azure Databricks: the resource of its Azure AD tokens.
AZURE_DATABRICKS_RESOURCE = "2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"
JOBS_API = "/api/2.1/jobs"
DEFAULT_MOUNT_POINT = "/mnt/azuremlblobstore"
TASK_KEY = "notebook"
# Polling: the first poll soon, then slower by POLL_GROWTH up to POLL_CAP_S; back to the first
# interval after every state change, when the next change tends to follow soon.
POLL_FIRST_S = 1.0
POLL_GROWTH = 1.5
POLL_CAP_S = 30.0
# Transient HTTP faults: these statuses and dropped connections are retried with capped
# exponential backoff (or the server's Retry-After) up to HTTP_ATTEMPTS times in all.
TRANSIENT_STATUSES = (429, 502, 503, 504)
HTTP_ATTEMPTS = 6
RETRY_FIRST_S = 1.0
RETRY_CAP_S = 30.0
HTTP_TIMEOUT_S = 60
# A cancelled step has a grace of seconds before it is killed: the cancel tries less, and less long.
CANCEL_ATTEMPTS = 3
CANCEL_TIMEOUT_S = 5
TERMINAL_STATES = ("TERMINATED", "SKIPPED", "INTERNAL_ERROR")
ERROR_TRACE_LINES = 8
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# `azureml://[subscriptions/.../workspaces/<ws>/]datastores/<datastore>/paths/<path>`.
DATASTORE_URI = re.compile(r"^azureml://(?:.*/)?datastores/([^/]+)/paths/(.*)$")


class Terminated(BaseException):
    """SIGTERM arrived: the step is being cancelled (a BaseException, so no retry swallows it)."""


class StepFailed(Exception):
    """What the step's log ends with when it fails."""


class ServiceError(StepFailed):
    def __init__(self, operation, status, code, message):
        super().__init__(f"{operation} failed: HTTP {status} {code}" + (f": {message}" if message else ""))
        self.status = status


def log(line):
    print(line, flush=True)


def on_sigterm(_signum, _frame):
    raise Terminated()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect reaches the caller as its 3xx error: a token never follows one to another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def opener():
    """What sends the calls: trusting the CA bundle the step is given (REQUESTS_CA_BUNDLE / SSL_CERT_FILE), else the system's; no redirects."""
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
    return urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=bundle or None)))


def checked_url(url, what):
    """A service URL: https, or http to this machine only (a token never crosses a network in clear)."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme == "https" or (parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS):
        return url.rstrip("/")
    raise StepFailed(f"{what} {url!r} is not an https URL")


def retry_delay(error, attempt):
    """Seconds before the next attempt: the server's Retry-After (seconds or a date), else backoff."""
    after = error.headers.get("Retry-After") if isinstance(error, urllib.error.HTTPError) else None
    if after:
        if after.strip().isdigit():
            return min(float(after), RETRY_CAP_S)
        try:
            return min(max(email.utils.parsedate_to_datetime(after).timestamp() - time.time(), 0.0), RETRY_CAP_S)
        except (TypeError, ValueError):
            pass
    return min(RETRY_FIRST_S * 2**attempt, RETRY_CAP_S)


def service_error(operation, error):
    """The service's own code and message from an error reply (Databricks, Key Vault, Azure AD, managed identity)."""
    text = error.read().decode("utf-8", "replace")
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    code, message = error.reason, text.strip()[:500]
    if 300 <= error.code < 400:
        message = f"a redirect to {error.headers.get('Location')}, not followed"
    if isinstance(body, dict):
        nested = body.get("error")
        if isinstance(nested, dict):
            code, message = nested.get("code", code), nested.get("message", message)
        elif "error_code" in body:
            code, message = body["error_code"], body.get("message", message)
        elif isinstance(nested, str):
            code, message = nested, body.get("error_description", message)
    return ServiceError(operation, error.code, code, message)


def call(sender, method, url, operation, headers, body=None, attempts=HTTP_ATTEMPTS, timeout=HTTP_TIMEOUT_S):
    """One JSON call, retrying transient faults; raises ServiceError naming `operation` otherwise."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    all_headers = {"Accept": "application/json", "User-Agent": "azureml-execute-databricks-notebook/1", **headers}
    if data is not None:
        all_headers["Content-Type"] = "application/json"
    for attempt in range(attempts):
        request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
        try:
            with sender.open(request, timeout=timeout) as reply:
                text = reply.read().decode("utf-8")
                return json.loads(text) if text.strip() else {}
        except urllib.error.HTTPError as error:
            if error.code not in TRANSIENT_STATUSES or attempt == attempts - 1:
                raise service_error(operation, error) from None
            wait, problem = retry_delay(error, attempt), f"HTTP {error.code}"
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise StepFailed(f"{operation} failed: the server's certificate is not trusted ({reason.verify_message}); set REQUESTS_CA_BUNDLE or SSL_CERT_FILE to a bundle with its CA") from None
            if attempt == attempts - 1:
                raise StepFailed(f"{operation} failed: {reason}") from None
            wait, problem = retry_delay(error, attempt), str(reason)
        log(f"{operation}: {problem}; retrying in {wait:.1f} s")
        time.sleep(wait)
    raise AssertionError("unreachable")


def managed_identity_token(sender, resource):
    """An access token of the step's managed identity, as Azure ML compute (MSI_ENDPOINT) or App Service (IDENTITY_ENDPOINT) hands it out."""
    env = os.environ
    operation = f"get a managed identity token for {resource}"
    if env.get("MSI_ENDPOINT") and env.get("MSI_SECRET"):
        query = {"api-version": "2017-09-01", "resource": resource}
        if env.get("DEFAULT_IDENTITY_CLIENT_ID"):
            query["clientid"] = env["DEFAULT_IDENTITY_CLIENT_ID"]
        url, headers = env["MSI_ENDPOINT"], {"secret": env["MSI_SECRET"]}
    elif env.get("IDENTITY_ENDPOINT") and env.get("IDENTITY_HEADER"):
        query = {"api-version": "2019-08-01", "resource": resource}
        url, headers = env["IDENTITY_ENDPOINT"], {"X-IDENTITY-HEADER": env["IDENTITY_HEADER"]}
    else:
        # The instance metadata service of an Azure VM: the last resort, asked once.
        query = {"api-version": "2018-02-01", "resource": resource}
        url, headers = "http://169.254.169.254/metadata/identity/oauth2/token", {"Metadata": "true"}
        reply = call(sender, "GET", f"{url}?{urllib.parse.urlencode(query)}", f"{operation} (no MSI_ENDPOINT or IDENTITY_ENDPOINT is set)", headers, attempts=1, timeout=5)
        return reply["access_token"]
    separator = "&" if "?" in url else "?"
    return call(sender, "GET", f"{url}{separator}{urllib.parse.urlencode(query)}", operation, headers)["access_token"]


def databricks_token(sender, args):
    """The Databricks credential: a Key Vault secret, DATABRICKS_TOKEN, or the managed identity's Azure AD token."""
    if args.kv_url or args.kv_secret_name:
        if not (args.kv_url and args.kv_secret_name):
            raise StepFailed("kv_url and kv_secret_name go together: give both, or neither")
        vault = checked_url(args.kv_url, "kv_url")
        name = urllib.parse.quote(args.kv_secret_name, safe="")
        log(f"reading the Databricks token from Key Vault secret {args.kv_secret_name} of {vault}")
        host = KEY_VAULT_HOST.match(urllib.parse.urlparse(vault).hostname or "")
        bearer = managed_identity_token(sender, f"https://{host.group(1)}" if host else KEY_VAULT_RESOURCE)
        secret = call(sender, "GET", f"{vault}/secrets/{name}?api-version={KEY_VAULT_API_VERSION}", f"read secret {args.kv_secret_name} from Key Vault {vault}", {"Authorization": f"Bearer {bearer}"})
        return secret["value"]
    if os.environ.get("DATABRICKS_TOKEN"):
        log("using the Databricks token of DATABRICKS_TOKEN")
        return os.environ["DATABRICKS_TOKEN"]
    log("using an Azure AD token of the managed identity for Azure Databricks")
    return managed_identity_token(sender, AZURE_DATABRICKS_RESOURCE)


def output_folder(output, run_id):
    """The output's folder inside its datastore: from an azureml:// or blob URI (mode direct); else the service's default path."""
    match = DATASTORE_URI.match(output or "")
    if match:
        return match.group(2).strip("/")
    parsed = urllib.parse.urlparse(output or "")
    if parsed.scheme in ("https", "http") and parsed.path.count("/") >= 2:
        return parsed.path.strip("/").split("/", 1)[1].strip("/")
    # A local folder (the output mounted or uploaded): the notebook writes the default output path.
    return f"azureml/{run_id}/output_path"


def json_argument(text, kind, name):
    try:
        value = json.loads(text) if text and text.strip() else kind()
    except ValueError as error:
        raise StepFailed(f"{name} is not valid JSON: {error}") from None
    if not isinstance(value, kind):
        raise StepFailed(f"{name} must be a JSON {'object' if kind is dict else 'list'}, not {type(value).__name__}")
    return value


def notebook_parameters(args, folder):
    """The notebook's base_parameters: the given ones (as strings) plus output_path and output_folder."""
    given = json_argument(args.parameters, dict, "parameters")
    taken = sorted(set(given) & {"output_path", "output_folder"})
    if taken:
        raise StepFailed(f"parameters must not set {' or '.join(taken)}: the component passes the step's output folder under those names")
    values = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in given.items()}
    mount = "/" + args.mount_point.strip("/")
    return {**values, "output_path": f"{mount}/{folder}", "output_folder": folder}


def submit_body(args, run_id, parameters):
    libraries = json_argument(args.libraries, list, "libraries")
    if not all(isinstance(item, dict) for item in libraries):
        raise StepFailed('libraries must be a JSON list of library objects such as {"pypi": {"package": "pandas"}}')
    # Azure ML's MLflow settings reach the notebook as the seed passes them (never the tracking token).
    spark_env = {k: os.environ[k] for k in ("MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_RUN_ID", "AZUREML_RUN_ID") if os.environ.get(k)}
    cluster = {"spark_version": args.spark_version, "node_type_id": args.node_type_id, "num_workers": args.num_workers}
    if spark_env:
        cluster["spark_env_vars"] = spark_env
    task = {"task_key": TASK_KEY, "new_cluster": cluster, "notebook_task": {"notebook_path": args.notebook_path, "base_parameters": parameters}}
    if libraries:
        task["libraries"] = libraries
    body = {"run_name": run_id or "azureml-step", "tasks": [task]}
    if run_id:
        # At most 64 characters; the same Azure ML run always gets the same token.
        body["idempotency_token"] = "azureml-" + hashlib.sha256(run_id.encode("utf-8")).hexdigest()[:48]
    return body


def state_line(run_id, state):
    line = f"Databricks run {run_id}: {state.get('life_cycle_state', 'UNKNOWN')}"
    if state.get("result_state"):
        line += f" {state['result_state']}"
    if state.get("state_message"):
        line += f" ({state['state_message']})"
    return line


class Runner:
    def __init__(self, args):
        self.args = args
        self.sender = opener()
        self.host = checked_url(args.databricks_host, "databricks_host")
        self.headers = None
        self.run_id = None
        self.page = None
        self.body = None

    def jobs(self, method, path, operation, body=None, query=None, **limits):
        url = f"{self.host}{JOBS_API}/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        return call(self.sender, method, url, f"{operation} in Databricks workspace {self.host}", self.headers, body, **limits)

    def submit(self, **limits):
        return self.jobs("POST", "runs/submit", f"submit a run of notebook {self.args.notebook_path}", self.body, **limits)["run_id"]

    def run(self):
        args = self.args
        aml_run = os.environ.get("AZUREML_RUN_ID", "")
        folder = output_folder(args.output_path, aml_run or "local")
        self.headers = {"Authorization": f"Bearer {databricks_token(self.sender, args)}"}
        self.body = submit_body(args, aml_run, notebook_parameters(args, folder))
        if not aml_run:
            log("AZUREML_RUN_ID is not set: the run is submitted without an idempotency token")
        self.run_id = self.submit()
        run = self.get()
        self.page = run.get("run_page_url", "")
        log(f"Databricks run {self.run_id} of notebook {args.notebook_path}, writing to {self.body['tasks'][0]['notebook_task']['base_parameters']['output_path']}: {self.page}")
        final = self.wait(run)
        state = final.get("state", {})
        if state.get("result_state") == "SUCCESS":
            log(f"Databricks run {self.run_id} succeeded: {self.page}")
            return 0
        raise StepFailed(self.failure(final))

    def get(self, **limits):
        return self.jobs("GET", "runs/get", f"get run {self.run_id}", query={"run_id": self.run_id}, **limits)

    def wait(self, run):
        interval, last = POLL_FIRST_S, None
        while True:
            state = run.get("state", {})
            line = state_line(self.run_id, state)
            if line != last:
                log(line)
                last, interval = line, POLL_FIRST_S
            if state.get("life_cycle_state") in TERMINAL_STATES:
                return run
            time.sleep(interval)
            interval = min(interval * POLL_GROWTH, POLL_CAP_S)
            run = self.get()

    def failure(self, run):
        """The end of the log of a failed step: each failed task's error trace tail and error, then the run page."""
        state = run.get("state", {})
        lines = []
        for task in run.get("tasks", []):
            if task.get("state", {}).get("result_state") == "SUCCESS" or "run_id" not in task:
                continue
            try:
                output = self.jobs("GET", "runs/get-output", f"get the output of task run {task['run_id']}", query={"run_id": task["run_id"]})
            except ServiceError as error:
                lines.append(f"(the task's output could not be read: {error})")
                continue
            trace = (output.get("error_trace") or "").rstrip().splitlines()[-ERROR_TRACE_LINES:]
            lines.extend(trace)
            if output.get("error"):
                lines.append(f"task {task.get('task_key', TASK_KEY)} failed: {output['error']}")
        outcome = state.get("result_state") or state.get("life_cycle_state")
        lines.append(f"Databricks run {self.run_id} ended {outcome}" + (f": {state['state_message']}" if state.get("state_message") else ""))
        lines.append(f"Databricks run page: {self.page}")
        return "\n".join(lines)

    def cancel(self):
        """The step is being cancelled: cancel the Databricks run (found by its idempotency token if submit was under way)."""
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        limits = {"attempts": CANCEL_ATTEMPTS, "timeout": CANCEL_TIMEOUT_S}
        if self.run_id is None and self.body is not None and "idempotency_token" in self.body:
            self.run_id = self.submit(**limits)
        if self.run_id is None:
            log("the step was cancelled before a Databricks run was submitted")
            return
        self.jobs("POST", "runs/cancel", f"cancel run {self.run_id}", {"run_id": self.run_id}, **limits)
        self.page = self.page or self.get(**limits).get("run_page_url", "")
        log(f"the step was cancelled: cancelled Databricks run {self.run_id}: {self.page}")


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Run a Databricks notebook as an Azure ML step.")
    parser.add_argument("--databricks-host", required=True)
    parser.add_argument("--notebook-path", "--notebook_path", dest="notebook_path", required=True)
    parser.add_argument("--keyvault-url", dest="kv_url", default="")
    parser.add_argument("--keyvault-secret-name", dest="kv_secret_name", default="")
    parser.add_argument("--num-workers", type=int, required=True)
    parser.add_argument("--node-type-id", required=True)
    parser.add_argument("--spark-version", required=True)
    parser.add_argument("--parameters", default="")
    parser.add_argument("--libraries", default="")
    parser.add_argument("--mount-point", default=DEFAULT_MOUNT_POINT)
    parser.add_argument("--output-path", default="")
    return parser.parse_args(argv)


def main(argv):
    signal.signal(signal.SIGTERM, on_sigterm)
    runner = None
    try:
        runner = Runner(parse_args(argv))
        return runner.run()
    except Terminated:
        try:
            if runner is not None:
                runner.cancel()
        except StepFailed as error:
            print(f"the step was cancelled, but its Databricks run could not be: {error}", file=sys.stderr, flush=True)
        return 128 + signal.SIGTERM
    except StepFailed as error:
        print(error, file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
