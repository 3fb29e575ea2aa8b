import * as assert from "node:assert/strict";
import { BOX_HEIGHT, BOX_WIDTH, graphSvg, layoutGraph, statusClass, type GraphStep } from "../../../src/emulator/pages/pipelineGraph";

const step = (name: string, status = "Completed"): GraphStep => ({ name, status, href: `#step-${name}` });
const edge = (from: string, to: string, output = "out", input = "data") => ({ from, to, output, input });

describe("Emulator pages: the step graph of a pipeline job", () => {
  it("puts each step in the column of its longest upstream chain, keeping the pipeline's order within a column", () => {
    // a → b → d, a → c → d, and e alone; d is listed before the steps it reads.
    const layout = layoutGraph([step("d"), step("a"), step("b"), step("c"), step("e")], [edge("a", "b"), edge("a", "c"), edge("b", "d", "x", "left"), edge("c", "d", "y", "right")]);
    assert.deepEqual(
      layout.steps.map((s) => [s.name, s.layer, s.row, s.x, s.y]),
      [
        ["d", 2, 0, 12 + 2 * (BOX_WIDTH + 110), 12],
        ["a", 0, 0, 12, 12],
        ["b", 1, 0, 12 + BOX_WIDTH + 110, 12],
        ["c", 1, 1, 12 + BOX_WIDTH + 110, 12 + BOX_HEIGHT + 24],
        ["e", 0, 1, 12, 12 + BOX_HEIGHT + 24],
      ],
    );
    assert.equal(layout.width, 2 * 12 + 3 * BOX_WIDTH + 2 * 110);
    assert.equal(layout.height, 2 * 12 + 2 * BOX_HEIGHT + 24);
    assert.equal(layout.edges.length, 4);
  });

  it("leaves out edges to steps it does not have and self edges, and draws a cycle (cut where it closes) rather than failing", () => {
    const layout = layoutGraph([step("a"), step("b")], [edge("ghost", "a"), edge("a", "a"), edge("a", "b"), edge("b", "a")]);
    assert.deepEqual(layout.edges, [edge("a", "b"), edge("b", "a")]);
    assert.deepEqual(
      layout.steps.map((s) => [s.name, s.layer]),
      [
        ["a", 2],
        ["b", 1],
      ],
    );
    assert.deepEqual(layoutGraph([], []), { steps: [], edges: [], width: 0, height: 0 });
  });

  it("colours each status", () => {
    assert.deepEqual(
      ["Completed", "Failed", "Canceled", "CancelRequested", "NotStarted", "Queued", "Running", "Finalizing", "Something"].map(statusClass),
      ["st-done", "st-failed", "st-canceled", "st-canceled", "st-waiting", "st-running", "st-running", "st-running", "st-running"],
    );
  });

  it("draws each step as a linked box with its name and status, each edge as an arrow and a line of text, every name escaped", () => {
    const svg = graphSvg(layoutGraph([step("<script>x()</script>", "Completed"), step("train", "Failed")], [edge("<script>x()</script>", "train", "o&1", "in")])).markup;
    const ends = [12 + BOX_WIDTH, 12 + BOX_HEIGHT / 2, 12 + BOX_WIDTH + 110, 12 + BOX_HEIGHT / 2];
    assert.ok(
      svg.includes(
        '<a href="#step-&lt;script&gt;x()&lt;/script&gt;" class="node st-done" data-step="&lt;script&gt;x()&lt;/script&gt;"><title>&lt;script&gt;x()&lt;/script&gt;: Completed</title>' +
          `<rect x="12" y="12" width="${BOX_WIDTH}" height="${BOX_HEIGHT}" rx="6"></rect><text x="22" y="32" class="name">&lt;script&gt;x()&lt;/script&gt;</text><text x="22" y="50" class="status">Completed</text></a>`,
      ),
      svg,
    );
    assert.ok(svg.includes(`<a href="#step-train" class="node st-failed" data-step="train"><title>train: Failed</title>`), svg);
    assert.ok(svg.includes(`<path class="edge" d="M${ends[0]} ${ends[1]} C${ends[0] + 55} ${ends[1]} ${ends[2] - 55} ${ends[3]} ${ends[2] - 2} ${ends[3]}" marker-end="url(#arrow)"><title>&lt;script&gt;x()&lt;/script&gt;.outputs.o&amp;1 → train.inputs.in</title></path>`), svg);
    assert.ok(svg.includes('<ul class="edges"><li>&lt;script&gt;x()&lt;/script&gt; → train <span class="note">(o&amp;1 → in)</span></li></ul>'), svg);
    assert.ok(!svg.includes("<script>"), "no markup from a name reaches the page");
  });

  it("cuts a long name in its box, keeping it whole in the tooltip", () => {
    const name = "a_step_with_a_very_long_name_indeed";
    const svg = graphSvg(layoutGraph([step(name)], [])).markup;
    assert.ok(svg.includes(`<title>${name}: Completed</title>`));
    assert.ok(svg.includes('class="name">a_step_with_a_very_long…</text>'), svg);
  });
});
