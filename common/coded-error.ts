// The shape every error class of the project shares: a stable `code` callers branch on, a message
// for people taken from the class's own table, and a technical `detail` that never carries personal
// data. It sits below card-reader, sync and electron, and imports nothing of them.
export class CodedError<Code extends string> extends Error {
  readonly code: Code;
  readonly detail: string | undefined;

  constructor(messages: Readonly<Record<Code, string>>, code: Code, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${messages[code]} (${detail})` : messages[code], options);
    this.code = code;
    this.detail = detail;
  }
}
