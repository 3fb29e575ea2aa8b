/**
 * The step graph of a pipeline job, laid out on the server and drawn as inline SVG (no script, no
 * external asset): each step a box holding its name and status, linked to its section of the page,
 * placed in the column of its longest chain of upstream steps; an arrow from each step to every step
 * that reads one of its outputs, labelled with the output and the input it feeds.
 */
import { html, type Html } from "./html";

/** One step of the graph. */
export interface GraphStep {
  readonly name: string;
  /** Its child job's status; `NotStarted` before the job exists. */
  readonly status: string;
  /** The step's section on the page. */
  readonly href: string;
}

/** One edge: `to` reads `output` of `from` as its input `input`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly output: string;
  readonly input: string;
}

/** A box placed on the drawing. */
export interface PlacedStep extends GraphStep {
  /** Its column: the length of its longest chain of upstream steps. */
  readonly layer: number;
  /** Its row within the column. */
  readonly row: number;
  readonly x: number;
  readonly y: number;
}

/** The graph laid out. */
export interface GraphLayout {
  readonly steps: readonly PlacedStep[];
  readonly edges: readonly GraphEdge[];
  readonly width: number;
  readonly height: number;
}

/** A step box's width on the drawing, in pixels. */
export const BOX_WIDTH = 190;
/** A step box's height on the drawing, in pixels. */
export const BOX_HEIGHT = 50;
const COLUMN_GAP = 110;
const ROW_GAP = 24;
const MARGIN = 12;

/**
 * Places `steps` (in the pipeline's order) in columns: a step's column is one more than the
 * greatest of its upstream steps' (0 for a step reading no other step's output); within a column
 * the steps keep the pipeline's order. Edges naming a step that is not in `steps`, and a step's
 * edge to itself, are left out; a cycle (which the executor refuses to run) is cut where the
 * walk upstream meets a step it came from, so it still draws.
 */
export function layoutGraph(steps: readonly GraphStep[], edges: readonly GraphEdge[]): GraphLayout {
  const names = new Set(steps.map((s) => s.name));
  const kept = edges.filter((e) => names.has(e.from) && names.has(e.to) && e.from !== e.to);
  const upstream = new Map(steps.map((s) => [s.name, kept.filter((e) => e.to === s.name).map((e) => e.from)]));
  const layers = new Map<string, number>();
  const layerOf = (name: string, trail: ReadonlySet<string>): number => {
    const known = layers.get(name);
    if (known !== undefined) return known;
    if (trail.has(name)) return 0;
    const next = new Set(trail).add(name);
    const layer = Math.max(-1, ...(upstream.get(name) ?? []).map((u) => layerOf(u, next))) + 1;
    layers.set(name, layer);
    return layer;
  };
  const rows = new Map<number, number>();
  const placed = steps.map((s): PlacedStep => {
    const layer = layerOf(s.name, new Set());
    const row = rows.get(layer) ?? 0;
    rows.set(layer, row + 1);
    return { ...s, layer, row, x: MARGIN + layer * (BOX_WIDTH + COLUMN_GAP), y: MARGIN + row * (BOX_HEIGHT + ROW_GAP) };
  });
  const columns = Math.max(0, ...placed.map((s) => s.layer + 1));
  const tallest = Math.max(0, ...rows.values());
  return {
    steps: placed,
    edges: kept,
    width: columns === 0 ? 0 : 2 * MARGIN + columns * BOX_WIDTH + (columns - 1) * COLUMN_GAP,
    height: tallest === 0 ? 0 : 2 * MARGIN + tallest * BOX_HEIGHT + (tallest - 1) * ROW_GAP,
  };
}

/** The style class of a status: its colour on the drawing. */
export function statusClass(status: string): string {
  switch (status) {
    case "Completed":
      return "st-done";
    case "Failed":
      return "st-failed";
    case "Canceled":
    case "CancelRequested":
      return "st-canceled";
    case "NotStarted":
      return "st-waiting";
    default:
      return "st-running";
  }
}

/** Longest step name shown whole in a box; a longer one is cut (its full name is the box's tooltip). */
const MAX_LABEL = 24;

/** The drawing as inline SVG, with a text list of the edges for readers without it. */
export function graphSvg(layout: GraphLayout): Html {
  if (layout.steps.length === 0) return html`<p class="note">No steps.</p>`;
  const at = new Map(layout.steps.map((s) => [s.name, s]));
  const edges = layout.edges.map((e) => {
    const [a, b] = [at.get(e.from) as PlacedStep, at.get(e.to) as PlacedStep];
    const [x1, y1, x2, y2] = [a.x + BOX_WIDTH, a.y + BOX_HEIGHT / 2, b.x, b.y + BOX_HEIGHT / 2];
    const bend = (x2 - x1) / 2;
    return html`<path class="edge" d="M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2 - 2} ${y2}" marker-end="url(#arrow)"><title>${e.from}.outputs.${e.output} → ${e.to}.inputs.${e.input}</title></path>`;
  });
  const boxes = layout.steps.map((s) => {
    const label = s.name.length > MAX_LABEL ? `${s.name.slice(0, MAX_LABEL - 1)}…` : s.name;
    return html`<a href="${s.href}" class="node ${statusClass(s.status)}" data-step="${s.name}"><title>${s.name}: ${s.status}</title><rect x="${s.x}" y="${s.y}" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="6"></rect><text x="${s.x + 10}" y="${s.y + 20}" class="name">${label}</text><text x="${s.x + 10}" y="${s.y + 38}" class="status">${s.status}</text></a>`;
  });
  return html`<svg class="graph" role="img" aria-label="Step graph" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" class="arrowhead"></path></marker></defs>
${edges}
${boxes}
</svg>
${layout.edges.length === 0 ? "" : html`<ul class="edges">${layout.edges.map((e) => html`<li>${e.from} → ${e.to} <span class="note">(${e.output} → ${e.input})</span></li>`)}</ul>`}`;
}
