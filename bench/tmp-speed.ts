import { benchDetectSpeed } from "./detect-speed.js";

console.log(await benchDetectSpeed(new URL("../dist/cli/main.js", import.meta.url).pathname));
