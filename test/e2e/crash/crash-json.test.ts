/** Crash and restart on json: see crash-scenario.ts. */
import { crashAndRestart } from "./crash-scenario.js";

crashAndRestart("json");
