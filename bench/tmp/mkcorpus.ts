import { writeSpeedCorpus } from "../../test/corpus/speed-corpus.js";
await writeSpeedCorpus("/tmp/speed/patients_export.csv", 64 * 1024 * 1024);
