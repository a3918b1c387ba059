import { describe, expect, it } from "vitest";
import { renderTable } from "../../cli/render-table.js";

describe("renderTable", () => {
  it("sizes columns to the widest cell, ignoring colour codes, and right-aligns where asked", () => {
    const table = renderTable(
      [{ header: "COUNT", align: "right" }, { header: "REASON" }],
      [
        ["12", "\u001b[31mnot found\u001b[39m"],
        ["3", "rate limited"],
      ],
    );
    expect(table.split("\n")).toEqual([
      "COUNT  REASON",
      "-----  ------------",
      "   12  \u001b[31mnot found\u001b[39m",
      "    3  rate limited",
    ]);
  });
});
