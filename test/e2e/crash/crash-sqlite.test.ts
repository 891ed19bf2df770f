/** Crash and restart on sqlite: see crash-scenario.ts. */
import { crashAndRestart } from "./crash-scenario.js";

crashAndRestart("sqlite");
