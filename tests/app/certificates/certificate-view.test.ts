// The public certificate page, rendered to HTML: what it says for each status, and what a printout
// (or a PDF saved from the print dialog) keeps: the certificate itself, without the buttons and help.
import { readFileSync } from "node:fs";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CertificateView } from "../../../app/certificates/[id]/certificate-view.tsx";
import type { PublicCertificate } from "../../../lib/certificates/issue.ts";
import { projectPath } from "../../../lib/paths.ts";

const certificate: PublicCertificate = {
  id: "0b6f7a52-5d8e-4f3e-9a51-2f0c3c1e9d11",
  learnerName: "Ada Lovelace",
  courseName: "Best Practices for Writing MCP Servers",
  issuedAt: new Date("2026-03-04T10:00:00Z"),
  status: "valid",
  statusReason: null,
  credentialJwt: "x.y.z",
};

const render = (overrides: Partial<PublicCertificate> = {}) =>
  renderToStaticMarkup(
    createElement(CertificateView, {
      certificate: { ...certificate, ...overrides },
      siteUrl: "https://lab.example.com",
    }),
  );

/** The HTML without every element whose class list has `no-print` (what @media print hides). */
function printed(html: string): string {
  return html.replace(/<(nav|section|div|p)\b[^>]*class="[^"]*\bno-print\b[^"]*"[^>]*>[\s\S]*?<\/\1>/g, "");
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("public certificate view", () => {
  it("states the live status: valid, revoked with its reason, signature invalid with why", () => {
    expect(text(render())).toContain(" Valid ");
    expect(text(render({ status: "revoked", statusReason: "plagiarised lab" }))).toContain(
      "Revoked — plagiarised lab",
    );
    const tampered = text(
      render({
        status: "signature-invalid",
        statusReason: "signature invalid: the credential was altered or not signed by this issuer",
        learnerName: "(unverifiable)",
      }),
    );
    expect(tampered).toContain("Signature invalid — signature invalid: the credential was altered");
    expect(tampered).not.toContain("Ada Lovelace");
  });

  it("prints the certificate (name, course, date, status, id) and none of the controls or help", () => {
    const html = render();
    const paper = text(printed(html));
    for (const shown of [
      "Ada Lovelace",
      certificate.courseName,
      "Issued 2026-03-04",
      "Valid",
      certificate.id,
    ])
      expect(paper).toContain(shown);
    for (const hidden of ["Download the signed credential", "Print or save as PDF", "Verify it yourself"]) {
      expect(text(html)).toContain(hidden);
      expect(paper).not.toContain(hidden);
    }
    expect(text(html)).toContain("npm run verify-cert -- credential.jwt --issuer https://lab.example.com");
  });

  it("the stylesheet hides no-print and the site's header and footer when printing", () => {
    const css = readFileSync(projectPath("app/globals.css"), "utf8");
    const print = /@media print\s*{([\s\S]*?)\n}/.exec(css)?.[1] ?? "";
    const hiding = /([^{}]+){\s*display:\s*none;?\s*}/.exec(print)?.[1] ?? "";
    const selectors = hiding.split(",").map((selector) => selector.trim());
    expect(selectors).toEqual(expect.arrayContaining([".no-print", ".site-header", ".site-footer"]));
  });
});
