import type * as pulumi from "@pulumi/pulumi";

/** Drops `readonly` at every depth. */
export type Mutable<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

/**
 * What a provider receives for an Input-wrapped public args type: the same shape, resolved and
 * plain. Declaring the args once and deriving this keeps the two from drifting.
 */
export type Plain<T> = Mutable<pulumi.Unwrap<T>>;

/**
 * A service's request body as a `spec` argument: typed with the wire types for completion, and
 * any field may be an Input (the engine resolves them). Fields the types do not list are
 * accepted too, as the services add fields faster than types follow.
 */
export type WireSpec<T> = pulumi.Input<{ [K in keyof T]?: DeepInput<T[K]> } & Record<string, unknown>>;

/** A value whose every nested field may be an Input. */
export type DeepInput<T> = pulumi.Input<T extends (infer U)[] ? DeepInput<U>[] : T extends object ? { [K in keyof T]: DeepInput<T[K]> } : T>;
