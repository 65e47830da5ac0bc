// Monaco is served from the installed monaco-editor under a versioned URL: the version is the
// package's own (an upgrade cannot leave the editor 404ing on an old URL), files under min/vs are
// served with their type, and nothing else is.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MONACO_VERSION, MONACO_VS_PATH, monacoAsset } from "../../../lib/labs/monaco-assets.ts";
import { projectPath } from "../../../lib/paths.ts";

const installed = (
  JSON.parse(readFileSync(projectPath("node_modules/monaco-editor/package.json"), "utf8")) as {
    version: string;
  }
).version;

describe("monaco assets", () => {
  it("the URL carries the installed monaco-editor's version", () => {
    expect(MONACO_VERSION).toBe(installed);
    expect(MONACO_VS_PATH).toBe(`/api/labs/monaco/${installed}/vs`);
  });

  it("serves the loader and a worker of that version", async () => {
    const loader = await monacoAsset([installed, "vs", "loader.js"]);
    expect(loader?.contentType).toBe("text/javascript; charset=utf-8");
    expect(loader?.body.length).toBeGreaterThan(1000);
    const worker = readdirSync(projectPath("node_modules/monaco-editor/min/vs/assets")).find((name) =>
      /^editor\.worker-.*\.js$/.test(name),
    );
    expect(worker).toBeDefined();
    const served = await monacoAsset([installed, "vs", "assets", worker!]);
    expect(served?.contentType).toBe("text/javascript; charset=utf-8");
  });

  it.each([
    [["0.0.1", "vs", "loader.js"]],
    [[installed, "vs"]],
    [[installed, "other", "loader.js"]],
    [[installed, "vs", "..", "package.json"]],
    [[installed, "vs", ".hidden.js"]],
    [[installed, "vs", "no-such-file.js"]],
    [[installed, "vs", "loader.exe"]],
  ])("refuses %j", async (segments) => {
    expect(await monacoAsset(segments)).toBeNull();
  });
});
