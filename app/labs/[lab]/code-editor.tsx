"use client";
// The Monaco editor, loaded only on lab pages (next/dynamic, no SSR) from our own copy of
// monaco-editor (lib/labs/monaco-assets.ts): no CDN. One model per file, so each tab keeps its own
// undo history; setting `value` from outside (reset, restore) goes through Monaco's edit stack, so
// Ctrl+Z undoes it too.
import Editor, { type BeforeMount, loader, type OnMount } from "@monaco-editor/react";
import { useEffect, useRef } from "react";

export interface CodeEditorProps {
  monacoPath: string;
  /** Model path, e.g. "python/server.py": one model per language and file. */
  path: string;
  language: "python" | "typescript";
  value: string;
  onChange: (value: string) => void;
  /** Ctrl/Cmd+Enter inside the editor. */
  onRun: () => void;
}

let configured = false;

function configureLoader(vs: string): void {
  if (configured) return;
  configured = true;
  loader.config({ paths: { vs } });
}

interface TsDefaults {
  setDiagnosticsOptions(options: { noSemanticValidation: boolean; noSyntaxValidation: boolean }): void;
}

const beforeMount: BeforeMount = (monaco) => {
  // The SDK's types are not in the browser: semantic errors ("cannot find module") would only mislead.
  const ts = (monaco.languages as unknown as { typescript?: { typescriptDefaults?: TsDefaults } }).typescript;
  ts?.typescriptDefaults?.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
};

export default function CodeEditor(props: CodeEditorProps) {
  configureLoader(props.monacoPath);
  const onRun = useRef(props.onRun);
  useEffect(() => {
    onRun.current = props.onRun;
  }, [props.onRun]);

  const onMount: OnMount = (editor, monaco) => {
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => onRun.current());
    (window as unknown as { mcpLabEditor?: unknown }).mcpLabEditor = editor;
  };

  const dark = typeof window !== "undefined" && window.matchMedia?.("(prefers-color-scheme: dark)").matches;
  return (
    <Editor
      height="100%"
      path={props.path}
      language={props.language}
      value={props.value}
      theme={dark ? "vs-dark" : "vs"}
      beforeMount={beforeMount}
      onMount={onMount}
      onChange={(value) => props.onChange(value ?? "")}
      loading={<p className="muted editor-loading">Loading the editor…</p>}
      options={{
        minimap: { enabled: false },
        fontSize: 14,
        tabSize: props.language === "python" ? 4 : 2,
        insertSpaces: true,
        automaticLayout: true,
        scrollBeyondLastLine: false,
        renderWhitespace: "selection",
        wordWrap: "off",
        ariaLabel: `Code editor: ${props.path}`,
      }}
    />
  );
}
