/** Crash and restart on json: see crash-scenario.ts. */
import { crashAndRestart, poisonJob } from "./crash-scenario.js";

crashAndRestart("json");
poisonJob("json");
