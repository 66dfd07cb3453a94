/**
 * Accent and case folding for words people write: rule terms, context words, column headers.
 * Shared by extraction (headers it reads) and rules (terms they look for).
 */

/** Folds a term: lower case (unless case-sensitive), accents removed, œ → oe, curly apostrophe → '. */
export function foldTerm(term: string, caseSensitive = false): string {
  const t = term.replace(/œ/g, "oe").replace(/Œ/g, "OE").replace(/[’`]/g, "'");
  const stripped = t.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  return caseSensitive ? stripped : stripped.toLowerCase();
}
