import { describe, expect, it } from "vitest";
import { reportToCsv } from "../../../../analytics/platform/reports/cells.ts";
import { csvCell, readCell } from "../../../../analytics/platform/reports/csv.ts";
import type { Report } from "../../../../analytics/platform/reports/report.ts";

// OWASP, "CSV Injection": cells starting with =, +, -, @, tab (0x09) or carriage
// return (0x0D) are run as formulas by spreadsheets; prefix them with a single quote.
describe("CSV cells", () => {
  it("defuses text cells that a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://evil.example","click")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""click"")"`,
    );
    expect(csvCell("+1 555 0100")).toBe("'+1 555 0100");
    expect(csvCell("-cmd|' /C calc'!A0")).toBe("'-cmd|' /C calc'!A0");
    expect(csvCell("@SUM(1+1)")).toBe("'@SUM(1+1)");
    expect(csvCell("\tsneaky")).toBe("'\tsneaky");
    expect(csvCell("\rsneaky")).toBe(`"'\rsneaky"`);
  });

  it("leaves numbers as numbers, signed or not, as values and as text", () => {
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell("-12.50")).toBe("-12.50");
    expect(csvCell("+3")).toBe("+3");
    expect(csvCell("1e-3")).toBe("1e-3");
    expect(csvCell("Paid social")).toBe("Paid social");
    expect(csvCell(null)).toBe("");
  });

  it("reads a defused cell back as it was", () => {
    for (const text of ["=1+1", "+1 555 0100", "@x", "-x", "plain", "'quoted"])
      expect(readCell(csvCell(text).replace(/^"|"$/g, "").replace(/""/g, '"'))).toBe(text);
  });

  it("defuses the cells of a report's table, and its money stays numeric", () => {
    const report = {
      title: "Campaigns",
      summary: "",
      facts: [],
      table: {
        columns: [
          { label: "Campaign", format: "text" },
          { label: "Profit", format: "money" },
        ],
        rows: [
          ["=cmd|'/C calc'!A0", -1250],
          ["Spring sale", 990],
        ],
        currency: "USD",
      },
    } as unknown as Report;
    expect(reportToCsv(report)).toBe("Campaign,Profit (USD)\n'=cmd|'/C calc'!A0,-12.50\nSpring sale,9.90\n");
  });

  it("writes shares and changes in percent, with the unit in the header", () => {
    const report = {
      title: "Channels",
      summary: "",
      facts: [],
      table: {
        columns: [
          { label: "Channel", format: "text" },
          { label: "Share", format: "percent" },
          { label: "Change", format: "change" },
        ],
        rows: [
          ["Email", 0.07, -0.125],
          ["Direct", 0.3333333333333333, null],
        ],
      },
    } as unknown as Report;
    expect(reportToCsv(report)).toBe("Channel,Share (%),Change (%)\nEmail,7,-12.5\nDirect,33.3333333333,\n");
  });
});
