// Mocha's spec reporter plus one closing line, "N passed, N failed[, N skipped]", that CI reads.
const { Spec } = require("mocha").reporters;

class SpecWithSummary extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once("end", () => {
      const { passes, failures, pending } = this.stats;
      console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}`);
    });
  }
}

module.exports = SpecWithSummary;
