/**
 * Figure 3's second baseline: the ceiling of any design built on V8's regex engine. A bare loop
 * over the file in 256 KiB byte-string blocks, with the same NIR regex and term list as the
 * ripgrep baseline and the NIR key check, and nothing else: no rules engine, no records, no
 * report. Prints one JSON line: the CPU seconds of the loop (read included, process start not).
 * Usage: tsx bench/bare-loop.ts FILE NIR_REGEX TERMS_REGEX
 */
import { openSync, readSync } from "node:fs";

const [file, nirSource, termsSource] = process.argv.slice(2) as [string, string, string];
const nir = new RegExp(nirSource, "g");
const terms = new RegExp(termsSource, "gi");
const start = process.cpuUsage();
const fd = openSync(file, "r");
const buffer = Buffer.alloc(256 * 1024);
let carry = "";
let nirs = 0;
let hits = 0;
const keyOk = (raw: string) => {
  const v = raw.replace(/[^0-9AB]/gi, "").toUpperCase();
  const n = Number(v.slice(0, 13).replace("2A", "19").replace("2B", "18"));
  return 97 - (n % 97) === Number(v.slice(13, 15));
};
for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
  const text = carry + buffer.toString("latin1", 0, read);
  const cut = text.lastIndexOf("\n") + 1;
  const block = text.slice(0, cut);
  carry = text.slice(cut);
  nir.lastIndex = 0;
  for (let m = nir.exec(block); m !== null; m = nir.exec(block)) if (keyOk(m[0])) nirs++;
  terms.lastIndex = 0;
  while (terms.exec(block) !== null) hits++;
}
const used = process.cpuUsage(start);
console.log(JSON.stringify({ cpuSeconds: (used.user + used.system) / 1e6, nirs, hits }));
