/**
 * The DFA run-time loop, TypeScript against WebAssembly, 1/4/8 interleaved streams, on an
 * Aho-Corasick automaton over ~250 French words (case folded, UTF-8 accents) and 256 MB of
 * CSV-like text scanned in 1 MiB blocks (the copy into wasm memory included). Prints MB per
 * CPU-second per variant, with the words' hits (~1 per 100 bytes) and with no output states
 * (the bare loop), and the cost of a callback per hit: best and median of $ROUNDS (3) rounds,
 * variants interleaved (this machine is noisy). Usage: npx tsx bench/wasm-loop.ts [MB]
 * Needs dist/rules/automaton/wasm/scan.wasm (tsx scripts/build-wasm.ts): fails without it.
 */
import { createRunner, type DfaTables, type RunnerOptions } from "../src/rules/automaton/wasm/runner.js";

const MB = Number(process.argv[2] ?? 256);
const enc = new TextEncoder();
let seed = 7;
const rand = (n: number) => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};
const pick = <T>(xs: readonly T[]) => xs[rand(xs.length)] as T;

const stems =
  "diabète cancer patient hôpital ordonnance séjour dossier médecin infirmier chirurgie cardiologie dialyse grossesse psychiatrie tumeur insuline radiothérapie hospitalisation urgence pédiatrie vaccin allergie asthme épilepsie hépatite leucémie lymphome mélanome sclérose schizophrénie dépression anorexie obésité hypertension infarctus thrombose anévrisme cirrhose pancréatite néphrologie oncologie neurologie rhumatologie gériatrie kinésithérapie ambulance consultation prescription posologie".split(
    " ",
  );
const words = [...new Set(stems.flatMap((w) => [w, `anti${w}`, `pré${w}`, `post${w}`, `néo${w}`]))].slice(0, 250);

/** Aho-Corasick as a byte-class DFA, output states numbered last (the compiler's layout). */
function ahoCorasick(list: readonly string[]): DfaTables {
  const fold = (b: number) => (b >= 65 && b <= 90 ? b + 32 : b);
  const classes = new Uint8Array(256);
  let width = 1;
  for (const w of list) for (const b of enc.encode(w)) if (classes[fold(b)] === 0) classes[fold(b)] = width++;
  for (let b = 65; b <= 90; b++) classes[b] = classes[b + 32] as number;
  const next: Int32Array[] = [new Int32Array(width).fill(-1)];
  const out: boolean[] = [false];
  for (const w of list) {
    let s = 0;
    for (const b of enc.encode(w)) {
      const c = classes[b] as number;
      if ((next[s] as Int32Array)[c] === -1) {
        (next[s] as Int32Array)[c] = next.length;
        next.push(new Int32Array(width).fill(-1));
        out.push(false);
      }
      s = (next[s] as Int32Array)[c] as number;
    }
    out[s] = true;
  }
  const fail = new Int32Array(next.length);
  const queue = [0];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q] as number;
    const row = next[s] as Int32Array;
    for (let c = 0; c < width; c++) {
      const t = row[c] as number;
      const viaFail = s === 0 ? 0 : ((next[fail[s] as number] as Int32Array)[c] as number);
      if (t === -1 || c === 0) row[c] = c === 0 ? 0 : viaFail;
      else {
        fail[t] = viaFail;
        out[t] = (out[t] as boolean) || (out[viaFail] as boolean);
        queue.push(t);
      }
    }
  }
  const order = [...next.keys()].sort((a, b) => Number(out[a]) - Number(out[b]) || a - b);
  const rank = new Int32Array(next.length);
  order.forEach((s, i) => {
    rank[s] = i;
  });
  const table = new Int32Array(next.length * width);
  order.forEach((s, i) => {
    for (let c = 0; c < width; c++)
      table[i * width + c] = (rank[(next[s] as Int32Array)[c] as number] as number) * width;
  });
  return { classes, width, table, firstOutput: out.filter((o) => !o).length * width };
}

/** 8 MB of CSV-like lines, tiled to `mb` MB. */
function csv(mb: number): Uint8Array {
  const names = ["DUPONT", "Martin", "Lefèvre", "Nguyen", "Moreau", "Garcia", "Rousseau", "Bernard", "Petit"];
  const notes = ["RAS", "suivi habituel", "contrôle à 3 mois", "bilan sanguin normal", "rendez-vous annulé"];
  const lines: string[] = [];
  for (let size = 0; size < 8 << 20; ) {
    const note = rand(3) === 0 ? pick(words) : pick(notes);
    const motive = rand(3) === 0 ? pick(words) : pick(notes);
    const line = `${rand(1e6)};${pick(names)};${pick(names)};19${10 + rand(90)}-0${1 + rand(9)}-1${rand(10)};750${rand(20)};${note};${motive};${rand(1e4) / 100}\n`;
    lines.push(line);
    size += line.length;
  }
  const tile = enc.encode(lines.join(""));
  const all = new Uint8Array(mb << 20);
  for (let at = 0; at < all.length; at += tile.length) all.set(tile.subarray(0, all.length - at), at);
  return all;
}

const tables = ahoCorasick(words);
const bare: DfaTables = { ...tables, firstOutput: tables.table.length };
const text = csv(MB);
const BLOCK = 1 << 20;
const CHUNK = process.env.CHUNK ? Number(process.env.CHUNK) : undefined;
console.log(`${tables.table.length / tables.width} states, ${tables.width} classes, ${MB} MB in 1 MiB blocks`);

const sums = new Map<DfaTables, number>();
const ROUNDS = Number(process.env.ROUNDS ?? 3);

/** Scans the text once with one variant: MB per CPU-second; checks its hits against the other variants'. */
function measure(label: string, t: DfaTables, options: RunnerOptions, perHit: boolean): number {
  const runner = createRunner(t, { chunk: CHUNK, ...options });
  if (runner.fallback && options.wasm !== "ts") throw new Error(`${label}: no WebAssembly (${runner.fallback})`);
  let sum = 0;
  const onHit = (end: number) => {
    sum += end;
  };
  const onHits = perHit
    ? (p: Int32Array) => {
        for (let i = 0; i < p.length; i += 2) onHit(p[i] as number);
      }
    : (p: Int32Array) => {
        for (let i = 0; i < p.length; i += 2) sum += p[i] as number;
      };
  runner.run(text.subarray(0, 16 << 20), onHits); // warm up
  sum = 0;
  const cpu = process.cpuUsage();
  for (let at = 0; at < text.length; at += BLOCK) runner.run(text.subarray(at, at + BLOCK), onHits);
  const used = process.cpuUsage(cpu);
  if ((sums.get(t) ?? sum) !== sum) throw new Error(`${label}: hits differ from the first variant's`);
  sums.set(t, sum);
  return MB / ((used.user + used.system) / 1e6);
}

const variants: [string, DfaTables, RunnerOptions, boolean][] = [];
for (const [name, t] of [
  ["hits", tables],
  ["bare", bare],
] as const) {
  for (const streams of [1, 4, 8] as const)
    variants.push([`TS   ×${streams} ${name}`, t, { wasm: "ts", streams }, false]);
  for (const streams of [1, 4, 8] as const) variants.push([`WASM ×${streams} ${name}`, t, { streams }, false]);
}
for (const streams of [1, 4, 8] as const)
  variants.push([`WASM ×${streams} hits, callback per hit`, tables, { streams }, true]);
let hits = 0;
createRunner(tables, { wasm: "ts" }).run(text, (p) => {
  hits += p.length / 2;
});
console.log(
  `1 hit per ${Math.round(text.length / hits)} bytes; MB per CPU-second, best and median of ${ROUNDS} rounds`,
);
const speeds = variants.map(() => [] as number[]);
for (let round = 0; round < ROUNDS; round++)
  variants.forEach(([label, t, options, perHit], v) => {
    speeds[v]?.push(measure(label, t, options, perHit));
  });
variants.forEach(([label], v) => {
  const xs = (speeds[v] as number[]).sort((x, y) => y - x);
  const best = (xs[0] as number).toFixed(0).padStart(6);
  console.log(`${label.padEnd(34)} ${best} ${(xs[Math.floor(xs.length / 2)] as number).toFixed(0).padStart(6)}`);
});
