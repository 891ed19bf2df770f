/** Crash and restart on sqlite: see crash-scenario.ts. */
import { crashAndRestart, poisonJob } from "./crash-scenario.js";

crashAndRestart("sqlite");
poisonJob("sqlite");
