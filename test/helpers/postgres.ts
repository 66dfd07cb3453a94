/**
 * A throwaway PostgreSQL cluster from Debian's `postgresql-15` (initdb, pg_ctl, psql, pg_dump),
 * to make real dumps for the format tests. initdb refuses to run as root: as root, every
 * command runs as `nobody`, with the cluster and its socket in a temporary folder.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const BIN = ["/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin"];
const tool = (name: string) => BIN.map((d) => path.join(d, name)).find((p) => existsSync(p));

/** Why dumps cannot be made here (a test title suffix), or "" when they can. */
export const postgresMissing = ["initdb", "pg_ctl", "psql", "pg_dump"].every((t) => tool(t))
  ? ""
  : " (SKIPPED: PostgreSQL, which writes the fixtures, is not installed; run `npm run setup:system`)";

/** Runs `sql` in a new cluster and returns `pg_dump` of it with `args` (`-Fc`, `-Ft`). Throws with the tools' messages. */
export function pgDump(sql: string, args: string[]): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), "reliquat-pg-"));
  chmodSync(dir, 0o777);
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const run = (name: string, argv: string[], input?: string) => {
    const r = spawnSync(tool(name) as string, argv, { ...asNobody, input, maxBuffer: 64 << 20, timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${name} failed: ${r.error?.message ?? ""}${r.stderr?.toString() ?? ""}`);
    return r.stdout as Buffer;
  };
  const data = path.join(dir, "data");
  try {
    run("initdb", ["-D", data, "-A", "trust", "-U", "pg", "-E", "UTF8", "--no-locale"]);
    run("pg_ctl", ["-D", data, "-o", `-k ${dir} -c listen_addresses=`, "-l", path.join(dir, "log"), "-w", "start"]);
    try {
      run("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-h", dir, "-U", "pg", "-d", "postgres"], sql);
      return run("pg_dump", [...args, "-h", dir, "-U", "pg", "postgres"]);
    } finally {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    }
  } catch (error) {
    const log = existsSync(path.join(dir, "log")) ? readFileSync(path.join(dir, "log"), "utf8") : "";
    throw new Error(`${(error as Error).message}\n${log}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
