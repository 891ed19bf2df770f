/** `jobd <args>` run from source (no build step needed): the bench's way to start `jobd serve`. */
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
