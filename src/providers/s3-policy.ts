/** What an S3 bucket ACL and bucket policy grant, and to whom. Pure functions, unit-tested. */

interface Grant {
  Grantee?: { URI?: string; Type?: string; ID?: string };
  Permission?: string;
}

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

/** ACL grants to AllUsers (READ on a bucket lets anyone list) and AuthenticatedUsers (any AWS account). */
export function grantsOf(acl: { Grants?: Grant[] }, ignorePublicAcls: boolean) {
  const notes: string[] = [];
  const grants = acl.Grants ?? [];
  const to = (uri: string) => grants.filter((g) => g.Grantee?.URI === uri).map((g) => g.Permission ?? "?");
  const all = to(ALL_USERS);
  const auth = to(AUTH_USERS);
  const readable = (perms: string[]) => perms.some((x) => x === "READ" || x === "FULL_CONTROL");
  if (all.length > 0)
    notes.push(`bucket ACL grants AllUsers ${all.join(", ")}${readable(all) ? " (anyone can list)" : ""}`);
  if (auth.length > 0) notes.push(`bucket ACL grants AuthenticatedUsers ${auth.join(", ")} (any AWS account)`);
  if (all.length + auth.length === 0) notes.push("bucket ACL: no AllUsers or AuthenticatedUsers grant");
  if (ignorePublicAcls && all.length + auth.length > 0)
    notes.push("Block Public Access ignores these public ACL grants");
  const effective = !ignorePublicAcls;
  return { allUsersList: effective && readable(all), authenticated: effective && auth.length > 0, notes };
}

interface Statement {
  Effect?: string;
  Principal?: string | { AWS?: string | string[]; [k: string]: unknown };
  Action?: string | string[];
  Condition?: unknown;
}

const READS = /^(\*|s3:\*|s3:Get\*|s3:GetObject(Version)?)$/i;
const LISTS = /^(\*|s3:\*|s3:List\*|s3:ListBucket(Versions)?)$/i;

/**
 * Reads a bucket policy: statements allowing `*` (public read or list, unless Block Public
 * Access restricts public buckets) and the AWS accounts it names (possible cross-account access).
 */
export function policyFacts(json: string, restricted: boolean) {
  const notes: string[] = [];
  let statements: Statement[] = [];
  try {
    const doc = JSON.parse(json) as { Statement?: Statement | Statement[] };
    statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  } catch {
    notes.push("bucket policy is not valid JSON");
  }
  let publicRead = false;
  let publicList = false;
  const accounts = new Set<string>();
  for (const s of statements.filter((x) => x.Effect === "Allow")) {
    const principals = principalList(s.Principal);
    const actions = ([] as string[]).concat(s.Action ?? []);
    if (principals.includes("*")) {
      const reads = actions.some((a) => READS.test(a));
      const lists = actions.some((a) => LISTS.test(a));
      const condition = s.Condition ? " with a condition" : "";
      notes.push(
        `bucket policy allows * to ${actions.join(", ")}${condition}${restricted ? " (ignored: RestrictPublicBuckets)" : ""}`,
      );
      if (!restricted) {
        publicRead ||= reads;
        publicList ||= lists;
      }
    }
    for (const p of principals) {
      const account = /^(?:arn:aws[a-z-]*:iam::)?(\d{12})(?::|$)/.exec(p)?.[1];
      if (account) accounts.add(account);
    }
  }
  if (accounts.size > 0)
    notes.push(`bucket policy names AWS account(s) ${[...accounts].join(", ")} (cross-account unless yours)`);
  return { publicRead, publicList, accounts: [...accounts], notes };
}

function principalList(p: Statement["Principal"]): string[] {
  if (p === undefined) return [];
  if (typeof p === "string") return [p];
  return ([] as string[]).concat((p.AWS as string | string[] | undefined) ?? []);
}
