import { writeSpeedCorpus } from "../test/corpus/speed-corpus.js";

console.log(await writeSpeedCorpus("/tmp/sp/p.csv", 20 * 1024 * 1024));
