/**
 * What every resource's provider logic exports: the dynamic-provider methods, called in the
 * engine's provider process through the frozen entry (`src/provider.ts`). Inputs and outputs are
 * plain JSON objects; each module narrows them to its own types.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CheckFailure } from "./check";

/** Property bags as the engine hands them over (secrets unwrapped). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Props = any;

/** The operations of one resource type. */
export interface Lifecycle {
  check(olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }>;
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: Props): Promise<{ id: string; outs: Props }>;
  read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs: Props }>;
  remove(id: string, props: Props): Promise<void>;
}
