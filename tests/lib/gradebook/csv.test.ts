import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "../../../lib/gradebook/csv.ts";

/** A strict RFC 4180 reader, to prove what a spreadsheet will read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  expect(quoted, "unterminated quote").toBe(false);
  expect(field, "text after the last CRLF").toBe("");
  return rows;
}

describe("CSV", () => {
  it("quotes commas, quotes and line breaks, and reads back to the same values", () => {
    const values = ["Lovelace, Ada", 'say "hi"', "two\nlines", "cr\r\nlf", "plain", "", "ünïcødé"];
    const text = toCsv([values, ["a", "b"]]);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parseCsv(text)).toEqual([values, ["a", "b"]]);
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
    expect(csvField(42)).toBe("42");
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    for (const evil of ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      const [[read]] = parseCsv(toCsv([[evil]]));
      expect(read).toBe(`'${evil}`);
    }
    // A formula that also needs quoting stays quoted after the apostrophe.
    expect(csvField('=1,"2"')).toBe(`"'=1,""2"""`);
    // Ordinary text that merely contains those characters is left alone.
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField("ada@example.com")).toBe("ada@example.com");
  });
});
