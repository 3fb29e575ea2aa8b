/** A library installed on a task's cluster: the one model runs and jobs share. */
import type * as pulumi from "@pulumi/pulumi";
import type { Plain } from "../../core/plain";
import { Fail, isObject, known } from "../../core/check";
import type { Library } from "../client";

/** A PyPI or CRAN package. */
export interface DatabricksPackageArgs {
  /** The package, with an optional version, e.g. `"pandas==2.2.2"`. */
  readonly package: pulumi.Input<string>;
  /** The index to install from. Default: the public one. */
  readonly repo?: pulumi.Input<string>;
}

/** A Maven artifact. */
export interface DatabricksMavenArgs {
  /** `groupId:artifactId:version`. */
  readonly coordinates: pulumi.Input<string>;
  /** The repository to resolve from. Default: Maven Central. */
  readonly repo?: pulumi.Input<string>;
  /** Dependencies to leave out, as `groupId:artifactId`. Default: none. */
  readonly exclusions?: pulumi.Input<pulumi.Input<string>[]>;
}

/** A library: exactly one of the kinds. */
export interface DatabricksLibraryArgs {
  /** A PyPI package. */
  readonly pypi?: pulumi.Input<DatabricksPackageArgs>;
  /** A Maven artifact. */
  readonly maven?: pulumi.Input<DatabricksMavenArgs>;
  /** A CRAN package. */
  readonly cran?: pulumi.Input<DatabricksPackageArgs>;
  /** A JAR, e.g. `dbfs:/libs/etl.jar`. */
  readonly jar?: pulumi.Input<string>;
  /** An egg (deprecated by Databricks). */
  readonly egg?: pulumi.Input<string>;
  /** A Python wheel, e.g. `dbfs:/libs/etl-1.0-py3-none-any.whl`. */
  readonly whl?: pulumi.Input<string>;
  /** A `requirements.txt` file in the workspace or a volume. */
  readonly requirements?: pulumi.Input<string>;
}

/** A library as the provider sees it. */
export type LibraryInput = Plain<DatabricksLibraryArgs>;

/** The kinds of library, one per entry. */
export const LIBRARY_KINDS = ["pypi", "maven", "cran", "jar", "egg", "whl", "requirements"] as const;

/** Each entry of a known list names exactly one kind. */
export function checkLibraries(v: unknown, property: string, fail: Fail): void {
  if (!known(v)) return;
  if (!Array.isArray(v)) return fail(property, `${property} must be a list such as [{ pypi: { package: "pandas==2.2.2" } }].`);
  v.forEach((lib, i) => {
    if (!known(lib)) return;
    const keys = isObject(lib) ? Object.keys(lib).filter((k) => lib[k] !== undefined) : [];
    if (keys.length !== 1 || !(LIBRARY_KINDS as readonly string[]).includes(keys[0])) {
      fail(`${property}[${i}]`, `${property}[${i}] must name exactly one of ${LIBRARY_KINDS.join(", ")}, e.g. { whl: "dbfs:/libs/x.whl" }.`);
    }
  });
}

/** A library to the wire, field by field (the wire form has the same shape). */
export function toWireLibrary(l: LibraryInput): Library {
  const w: Library = {};
  if (l.pypi) w.pypi = { package: l.pypi.package, ...(l.pypi.repo !== undefined && { repo: l.pypi.repo }) };
  if (l.maven) w.maven = { coordinates: l.maven.coordinates, ...(l.maven.repo !== undefined && { repo: l.maven.repo }), ...(l.maven.exclusions && { exclusions: [...l.maven.exclusions] }) };
  if (l.cran) w.cran = { package: l.cran.package, ...(l.cran.repo !== undefined && { repo: l.cran.repo }) };
  for (const k of ["jar", "egg", "whl", "requirements"] as const) if (l[k] !== undefined) w[k] = l[k];
  return w;
}

/** A library from the wire; the same conversion, as both sides have the same shape. */
export const fromWireLibrary = (w: Library): LibraryInput => toWireLibrary(w);
