// A failed zod check as one line of text, the same way everywhere: `path: message` per issue. zod's
// messages name the rule broken and the path names the field, never the value given, so the text
// may go into logs, error details and the registry's answers.
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

export interface DescribeOptions {
  /** At most this many issues (all by default). */
  readonly limit?: number;
  /** The path shown for an issue with the whole value (`(root)` by default). */
  readonly root?: string;
}

/** `person.address.street`, or `root` for an issue with the whole value. */
export function issuePath(issue: SchemaIssue, root = '(root)'): string {
  return issue.path.map(String).join('.') || root;
}

/** `path: message; path: message`, or `invalid` when there is no issue to name. */
export function describeIssues(issues: readonly SchemaIssue[], options: DescribeOptions = {}): string {
  const text = issues
    .slice(0, options.limit)
    .map((i) => `${issuePath(i, options.root)}: ${i.message}`)
    .join('; ');
  return text || 'invalid';
}
