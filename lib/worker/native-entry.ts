// Everything the web app reaches of the engine, from one module graph (see native.ts).
import { listLabIds, loadLabConfig } from "../../conformance/lab-config.ts";
import { labChecksHash } from "../../conformance/lab-modules.ts";
import {
  answerPlaygroundServerRequest,
  playgroundRequest,
  playgroundState,
  startPlayground,
  stopPlayground,
} from "../labs/playground.ts";
import { startEmbeddedWorker } from "./embedded.ts";

export const labConfig = { loadLabConfig, listLabIds, labChecksHash };
export const playground = {
  start: startPlayground,
  state: playgroundState,
  stop: stopPlayground,
  request: playgroundRequest,
  answer: answerPlaygroundServerRequest,
};
export { startEmbeddedWorker };
