/**
 * Rows of an SQL dump, streamed: `INSERT INTO t (a, b) VALUES (…), (…);` (MySQL and PostgreSQL
 * quoting) and PostgreSQL `COPY t (a, b) FROM stdin;` blocks. Columns come from the insert's
 * list, else from the table's `CREATE TABLE`. Other statements are not rows and are dropped.
 * Written here because no maintained npm SQL parser streams: they parse a whole statement into
 * an AST, and one MySQL extended insert can hold a whole table.
 */

/** One row, with its table and column names. */
export interface SqlRow {
  table: string;
  columns: string[];
  cells: string[];
}

/** Longest statement head kept (a CREATE TABLE, or what precedes VALUES). */
const MAX_HEAD = 1024 * 1024;
const CONSTRAINT = /^(?:PRIMARY|KEY|UNIQUE|CONSTRAINT|INDEX|FOREIGN|CHECK|FULLTEXT|SPATIAL|EXCLUDE)\b/i;

export class SqlRowReader {
  private readonly tables = new Map<string, string[]>();
  private mode: "statement" | "values" | "copy" = "statement";
  private head = "";
  private quote = "";
  private pendingQuote = false;
  private escaped = false;
  private depth = 0;
  private field = "";
  private quotedField = false;
  private cells: string[] = [];
  private table = "";
  private columns: string[] = [];
  private line = "";
  private comment: "" | "line" | "block" = "";
  private copyStarted = false;
  /** The previous character of a statement, for `--` and `/*`. */
  private last = "";

  /** Reads decoded text and returns the rows it completed. */
  write(text: string): SqlRow[] {
    const rows: SqlRow[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (this.mode === "copy") this.copyChar(c, rows);
      else if (this.mode === "values") this.valueChar(c, rows);
      else this.statementChar(c);
    }
    return rows;
  }

  private statementChar(c: string): void {
    if (this.comment) {
      if (this.comment === "line" ? c === "\n" : c === "/" && this.last === "*") this.comment = "";
      this.last = c;
      return;
    }
    if (!this.quote && ((c === "-" && this.last === "-") || (c === "*" && this.last === "/"))) {
      this.comment = c === "-" ? "line" : "block";
      this.head = this.head.slice(0, -1);
      this.last = "";
      return;
    }
    this.last = c;
    if (this.quote) {
      if (this.escaped) this.escaped = false;
      else if (c === "\\" && this.quote === "'") this.escaped = true;
      else if (c === this.quote) this.quote = "";
    } else if (c === "'" || c === '"' || c === "`") this.quote = c;
    else if (c === ";") {
      this.endStatement();
      return;
    } else if (c === "(" && /VALUES\s*$/i.test(this.head.slice(-16))) {
      const m = /INSERT\s+(?:IGNORE\s+)?INTO\s+([^\s(]+)\s*(?:\(([^)]*)\))?\s*VALUES\s*$/i.exec(this.head);
      if (m) {
        this.table = unquote(m[1] as string);
        this.useColumns(m[2] ? splitNames(m[2]) : (this.tables.get(this.table) ?? []));
        this.mode = "values";
        this.head = "";
        this.depth = 1;
        return;
      }
    }
    if (this.head.length < MAX_HEAD) this.head += c;
  }

  /** Keeps the same array while the columns do not change, so that rows of one table compare by identity. */
  private useColumns(columns: string[]): void {
    if (columns.join("\u0001") !== this.columns.join("\u0001")) this.columns = columns;
  }

  private endStatement(): void {
    const statement = this.head.trim();
    this.head = "";
    const create = /^CREATE\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([^\s(]+)\s*\(([\s\S]*)\)/i.exec(
      statement,
    );
    if (create) {
      const names = splitTop(create[2] as string)
        .map((d) => d.trim())
        .filter((d) => d && !CONSTRAINT.test(d))
        .map((d) => unquote(d.split(/\s+/)[0] as string));
      this.tables.set(unquote(create[1] as string), names);
      return;
    }
    const copy = /^COPY\s+([^\s(]+)\s*(?:\(([^)]*)\))?\s+FROM\s+stdin/i.exec(statement);
    if (copy) {
      this.table = unquote(copy[1] as string);
      this.useColumns(copy[2] ? splitNames(copy[2]) : (this.tables.get(this.table) ?? []));
      this.mode = "copy";
      this.line = "";
      this.copyStarted = false; // the data starts on the line after the statement
    }
  }

  private valueChar(c: string, rows: SqlRow[]): void {
    if (this.quote) {
      if (this.pendingQuote) {
        this.pendingQuote = false;
        if (c === this.quote) {
          this.field += c; // a doubled quote is one quote
          return;
        }
        this.quote = "";
      } else if (this.escaped) {
        this.field += c === "n" || c === "r" || c === "t" ? " " : c;
        this.escaped = false;
        return;
      } else if (c === "\\") {
        this.escaped = true;
        return;
      } else if (c === this.quote) {
        this.pendingQuote = true;
        return;
      } else {
        this.field += c;
        return;
      }
    }
    if (this.depth === 0) {
      if (c === "(") this.depth = 1;
      else if (c === ";") this.mode = "statement";
      return;
    }
    if (c === "'" || c === '"') {
      this.quote = c;
      this.quotedField = true;
    } else if (c === "(") {
      this.depth++;
      this.field += c;
    } else if (c === ")" && --this.depth > 0) this.field += c;
    else if (c === ")" || (c === "," && this.depth === 1)) {
      this.endField();
      if (c === ")") {
        rows.push({ table: this.table, columns: this.columns, cells: this.cells });
        this.cells = [];
      }
    } else this.field += c;
  }

  private endField(): void {
    const raw = this.quotedField ? this.field : this.field.trim();
    this.cells.push(!this.quotedField && /^null$/i.test(raw) ? "" : raw);
    this.field = "";
    this.quotedField = false;
  }

  private copyChar(c: string, rows: SqlRow[]): void {
    if (c !== "\n") {
      this.line += c;
      return;
    }
    const line = this.line.replace(/\r$/, "");
    this.line = "";
    if (!this.copyStarted) {
      this.copyStarted = true;
      return;
    }
    if (line === "\\.") {
      this.mode = "statement";
      return;
    }
    const cells = line.split("\t").map((v) => (v === "\\N" ? "" : v.replace(/\\t/g, " ").replace(/\\n/g, " ")));
    rows.push({ table: this.table, columns: this.columns, cells });
  }
}

function unquote(name: string): string {
  const last = name.split(".").pop() as string;
  return last.replace(/^[`"[]|[`"\]]$/g, "");
}

function splitNames(list: string): string[] {
  return list.split(",").map((n) => unquote(n.trim()));
}

/** Splits on commas outside parentheses and quotes (column definitions such as DECIMAL(10,2)). */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = "";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === "'" || c === '"' || c === "`") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
