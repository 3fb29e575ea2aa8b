/** Datastores (`{WS}/datastores`): the default one, secrets. */
import type { Datastore, DatastoreSecrets } from "./types";
import { CallOptions, enc, WorkspaceCalls } from "./workspace";

/** Datastores of one workspace. */
export class DatastoresApi {
  constructor(private readonly calls: WorkspaceCalls) {}

  /** The workspace's default datastore (`GET /datastores?isDefault=true`); undefined when none is marked. */
  async getDefault(opts: CallOptions = {}): Promise<Datastore | undefined> {
    const all = await this.calls.list<Datastore>("/datastores", "find the default datastore", { isDefault: true }, opts);
    return all.find((d) => d.properties?.isDefault) ?? all[0];
  }

  /** Gets a datastore (`GET /datastores/{name}`); without its secrets. */
  get(name: string, opts: CallOptions = {}): Promise<Datastore> {
    return this.calls.get<Datastore>(`/datastores/${enc(name)}`, `get datastore "${name}"`, opts);
  }

  /** A datastore's secrets (`POST /datastores/{name}/listSecrets`). */
  listSecrets(name: string, opts: CallOptions = {}): Promise<DatastoreSecrets> {
    return this.calls.post<DatastoreSecrets>(`/datastores/${enc(name)}/listSecrets`, `list the secrets of datastore "${name}"`, undefined, opts);
  }
}
