// An SDK Transport over a server process's stdin/stdout (newline-delimited JSON-RPC) that records
// every message. Unlike the SDK's own stdio transport it tolerates lines that are not JSON-RPC:
// they are recorded as stdout noise (the classic print()-to-stdout bug) and grading goes on,
// so the learner sees the bug pointed out instead of a dead connection.
import type { Readable, Writable } from "node:stream";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import type { TraceRecorder } from "./trace.ts";

/** A line longer than this without a newline is flushed as noise (a runaway write, not a message). */
const MAX_LINE_BYTES = 8 * 1024 * 1024;

export class RecordedStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;
  /** stdio has no sessions. */
  readonly sessionId: string | undefined = undefined;
  /** Set by the SDK client once `initialize` is answered. */
  negotiatedVersion: string | undefined;

  private buffer: Buffer = Buffer.alloc(0);
  private closed = false;
  private ended = false;
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onEnd = () => this.finish();

  constructor(
    private readonly io: { stdin: Writable; stdout: Readable },
    private readonly recorder: TraceRecorder,
  ) {}

  async start(): Promise<void> {
    this.io.stdout.on("data", this.onData);
    this.io.stdout.on("end", this.onEnd);
    this.io.stdout.on("close", this.onEnd);
    this.io.stdin.on("error", (err) => this.onerror?.(err));
  }

  setProtocolVersion(version: string): void {
    this.negotiatedVersion = version;
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed || this.io.stdin.destroyed || this.io.stdin.writableEnded) {
      throw new Error("Not connected: the server's stdin is closed");
    }
    this.recorder.message("c2s", message);
    const line = `${JSON.stringify(message)}\n`;
    await new Promise<void>((resolve, reject) => {
      this.io.stdin.write(line, (err) => (err ? reject(err) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (!this.io.stdin.writableEnded) this.io.stdin.end();
    // The client is done, but stdout stays observed until it ends: whatever the server still
    // writes (a last print before exiting) belongs in the trace.
    this.markClosed();
  }

  /** Closes the server's stdin only (the spec's stdio shutdown), keeping stdout open. */
  closeInput(): void {
    if (!this.io.stdin.writableEnded) this.io.stdin.end();
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const index = this.buffer.indexOf(0x0a);
      if (index === -1) break;
      const line = this.buffer.toString("utf8", 0, index).replace(/\r$/, "");
      this.buffer = this.buffer.subarray(index + 1);
      this.line(line);
    }
    if (this.buffer.length > MAX_LINE_BYTES) {
      this.recorder.stdoutLine(this.buffer.toString("utf8", 0, 4000));
      this.buffer = Buffer.alloc(0);
    }
  }

  private line(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.recorder.stdoutLine(line);
      return;
    }
    const message = JSONRPCMessageSchema.safeParse(parsed);
    if (!message.success) {
      this.recorder.stdoutLine(line);
      return;
    }
    this.recorder.message("s2c", message.data);
    if (!this.closed) this.onmessage?.(message.data);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  /** stdout ended: flush a last unterminated line, stop listening, report the close. */
  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.buffer.length) {
      // A last line without a newline is not a delimited message: report it as noise.
      this.recorder.stdoutLine(this.buffer.toString("utf8", 0, 4000));
      this.buffer = Buffer.alloc(0);
    }
    this.io.stdout.off("data", this.onData);
    this.io.stdout.off("end", this.onEnd);
    this.io.stdout.off("close", this.onEnd);
    this.markClosed();
  }
}
