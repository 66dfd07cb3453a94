/**
 * The yardstick of bench/realworld.ts: bench/realworld-labels.json, one label per public example
 * file of ../shared/realworld/files, decided by reading each file. Checks the labels themselves,
 * and, when the shared folder is there, that labels and files match one to one.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import {
  benchRealworld,
  FLAG_CATEGORIES,
  formatRealworld,
  REALWORLD_LABELS,
  readRealworldLabels,
  realworldDir,
} from "../../bench/realworld.js";

const labels = await readRealworldLabels();
const KEYS = ["file", "persons", ...FLAG_CATEGORIES, "why"].sort();
/** 13 to 15 digits, spaces or dots allowed between them, or a Corsican NIR (2A, 2B): what a full NIR looks like. */
const FULL_IDENTIFIER = /\d(?:[ .]?\d){12,14}|\d(?:[ .]?\d){4}[ .]?2[ .]?[AB](?:[ .]?\d){6}/i;

describe("real-world labels", () => {
  it("holds labels", () => {
    expect(labels.length).toBeGreaterThan(0);
  });

  it("gives every label exactly the keys file, persons, the five categories and why (and maybe coverage), with their types", () => {
    for (const label of labels) {
      expect(
        Object.keys(label)
          .filter((k) => k !== "coverage")
          .sort(),
        label.file,
      ).toEqual(KEYS);
      if (label.coverage !== undefined) expect(label.coverage, label.file).toMatch(/^(partial|skipped): /);
      expect(typeof label.file).toBe("string");
      expect(Number.isInteger(label.persons) && label.persons >= 0, label.file).toBe(true);
      for (const c of FLAG_CATEGORIES) expect(typeof label[c], `${label.file} ${c}`).toBe("boolean");
    }
  });

  it("explains every label in a non-empty why", () => {
    for (const label of labels) expect(label.why.trim().length, label.file).toBeGreaterThan(10);
  });

  it("labels each file once", () => {
    const files = labels.map((l) => l.file);
    expect(new Set(files).size).toBe(files.length);
  });

  it("marks a patient record only where there is health data and an identity", () => {
    for (const label of labels) if (label.patientRecord) expect(label.health && label.identity, label.file).toBe(true);
  });

  it("stores no value that looks like a full NIR or INS, in any field", async () => {
    const text = await readFile(REALWORLD_LABELS, "utf8");
    expect(FULL_IDENTIFIER.exec(text)?.[0]).toBeUndefined();
  });

  it("would catch a full identifier, spaced or Corsican", () => {
    for (const bad of ["1850578006084", "2 77 07 27 903 512 15", "1881018172951", "1 88 10 2B 172 951"])
      expect(FULL_IDENTIFIER.test(`why: ${bad}`), bad).toBe(true);
    expect(FULL_IDENTIFIER.test("62 persons, 1 85 05 …")).toBe(false);
  });

  it.skipIf(!existsSync(realworldDir()))(
    "labels every file of the shared folder, and names no missing file",
    async () => {
      const files = (await readdir(realworldDir())).sort();
      expect(labels.map((l) => l.file).sort()).toEqual(files);
    },
  );

  it("skips the bench in one line when the folder is absent", async () => {
    const result = await benchRealworld("/nonexistent/realworld/files");
    expect(result.skipped).toContain("/nonexistent/realworld/files");
    expect(result.files).toBe(0);
    const lines = formatRealworld(result);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^real-world files: skipped/);
  });
});
